"""What a visiting review panel sees: the frozen copy of a dossier behind a panel link
(scan.panels), read-only and without an account. Opening it is throttled per address
and per link and written to the partnership's audit log."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, g, render_template, request
from flask_babel import force_locale, get_locale
from markupsafe import Markup

from scan import accounts, panels
from scan.db import get_db
from scan.web.access import fail
from scan.web.i18n import gettext as _
from scan.web.security import limiter

bp = Blueprint("panel", __name__)


def render_both(render: Callable[[], str]) -> dict[str, str]:
    """The same content rendered in Dutch and in English (the panel chooses)."""
    copies = {}
    for lang in ("nl", "en"):
        g.pop("_samenscan_translations", None)   # scan.web.i18n keeps one per request
        with force_locale(lang):
            copies[lang] = render()
        g.pop("_samenscan_translations", None)
    return copies


def _token_key() -> str:
    return f"panel|{(request.view_args or {}).get('token', '')[:100]}"


@bp.get("/panel/<token>")
@limiter.limit("30 per minute")
@limiter.limit("120 per hour", key_func=_token_key)
def view(token: str):
    db = get_db()
    link = panels.by_token(db, token)
    if link is None:
        fail(404, _("This panel link does not exist."))
    if not panels.usable(link):
        fail(410, _("This panel link has expired or was withdrawn by the partnership. Ask "
                    "the coordinator for a new one."))
    accounts.record(db, "panel link opened", None, link["partnership_id"], f"link {link['id']}")
    html = link["html_en"] if str(get_locale()) == "en" else link["html_nl"]
    response = render_template("dossier/panel.html", link=link, body=Markup(html))
    return response, 200, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}

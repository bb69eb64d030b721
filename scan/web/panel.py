"""What a visiting review panel sees: the frozen copy of a dossier behind a panel link
(scan.panels), read-only and without an account. Opening it is throttled per address
and per link and written to the partnership's audit log."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from scan import accounts, panels
from scan.db import get_db
from scan.web.access import fail
from scan.web.i18n import gettext as _
from scan.web.security import limiter

bp = Blueprint("panel", __name__)


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

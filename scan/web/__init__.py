"""Everything that speaks HTTP: extensions, blueprints, errors, language."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    render_template,
    request,
    send_from_directory,
)
from flask_babel import format_date, get_locale
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from scan import caches, database
from scan.caches import Bounded
from scan.db import get_db
from scan.question_files import load_catalogue
from scan.web import (
    audit_log,
    compression,
    fragments,
    labels,
    mailing,
    numbers,
    security,
    times,
)
from scan.web.context import (
    LANG_COOKIE,
    LANGUAGES,
    babel,
    csrf,
    login_manager,
    question_catalogue,  # noqa: F401  (kept importable from scan.web for scripts)
    render_error,
)
from scan.web.i18n import gettext as _
from scan.web.i18n import translations


def select_locale() -> str:
    """The language the person chose (a cookie), else Dutch."""
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


def _install_fast_gettext(app: Flask) -> None:
    """Templates translate through scan.web.i18n's catalogue (the same catalogue, the
    same newstyle escaping as Flask-Babel's own callables, which these replace)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)


def _subnav(partnership: dict) -> Markup:
    """The partnership menu, rendered once per worker for each partnership, role,
    language and address the app is served under: it is on every partnership page
    and its links never change otherwise."""
    key = (partnership["id"], g.get("role"), str(get_locale()), request.script_root)
    cache = Bounded.of_app(current_app, "samenscan.subnav", entries=1024)
    return cache.get(key, lambda: Markup(render_template("partnerships/_subnav.html",
                                                         partnership=partnership)))


def _generation() -> tuple | None:
    """The database and its generation, read once per request: part of every worker
    cache's key (scan.caches), so a restored database is read afresh."""
    if not has_app_context():
        return None
    if "generation" not in g:
        g.generation = (current_app.config["DATABASE"], database.generation(get_db()))
    return g.generation


def _handle_http_error(error: HTTPException):
    # Our own aborts carry a translated description; werkzeug's defaults do not.
    custom = error.description if getattr(error, "samenscan", False) else None
    audit_log.record_refusal(error.code or 500)
    return render_error(error.code or 500, custom)


def _handle_database_error(error: sqlite3.OperationalError):
    """A full disk or a lock held too long anywhere else: a page that says what happened
    and what to do (503), logged with its context, instead of a bare 500."""
    current_app.logger.error("database error on %s %s: %s", request.method, request.path, error,
                             exc_info=error)
    return render_error(503, _("Our database could not be reached just now. Nothing you "
                               "sent on this page was stored: go back (your browser still "
                               "has what you typed), wait a moment and send it again."))


def _handle_csrf_error(_error: CSRFError):
    return render_error(400, _("This form has expired or was not sent from our site. Nothing "
                               "was changed. Reload the page and try again."))


def _text_filter(text) -> str:
    """Pick the current language from a Text of the question files."""
    return text(str(get_locale()))


def _score_filter(value) -> str:
    """A mean as report tables show it: two decimals, or a dash for none."""
    return Markup('<span class="muted">–</span>') if value is None else numbers.number(value)


def _day_filter(value) -> str:
    """An ISO date (or date-time) as a reader says it: "23 november 2026"."""
    if not value:
        return ""
    return format_date(date.fromisoformat(str(value)[:10]), format="long")


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def _markdown_filter(value) -> str:
    """Text that stays text in Markdown: no raw HTML, no links, no formatting."""
    text = str(value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


class StoredInteger(IntegerConverter):
    """<int:...> in every address stops at what SQLite stores: a longer id is no page
    (404), not an OverflowError (500) when it reaches the database."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def _favicon():
    """Browsers ask for /favicon.ico on any page, and on files without a <link rel=icon>
    (a PDF, a CSV): the same icon, so no console shows a 404."""
    return send_from_directory(current_app.static_folder, "favicon.svg",
                               mimetype="image/svg+xml", max_age=7 * 24 * 3600)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = StoredInteger
    compression.init_app(app)   # first registered, so it runs after every other hook
    app.add_url_rule("/favicon.ico", "favicon", _favicon)
    caches.key_on(_generation)
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.extensions["samenscan.catalogue"] = load_catalogue(app.config["QUESTIONS"])
    babel.init_app(app, locale_selector=select_locale)
    _install_fast_gettext(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(sqlite3.OperationalError, _handle_database_error)
    app.jinja_env.filters["t"] = _text_filter
    app.jinja_env.filters["score"] = _score_filter
    app.jinja_env.filters["at_least"] = labels.at_least
    app.jinja_env.filters["md"] = _markdown_filter
    app.jinja_env.filters["day"] = _day_filter
    app.jinja_env.filters["moment"] = times.moment
    app.jinja_env.filters["signed"] = numbers.signed
    app.jinja_env.filters["number"] = numbers.number
    app.jinja_env.filters["round_name"] = labels.round_name
    app.jinja_env.globals["current_lang"] = lambda: str(get_locale())
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.globals["subnav"] = _subnav
    app.before_request(lambda: g.setdefault("partnership", None))
    security.init_app(app)
    fragments.init_app(app)
    mailing.init_app(app)

    from scan.web import (
        accounts,
        actions,
        admin,
        agenda,
        benchmark,
        catalogue,
        comments,
        dossier,
        exports,
        joint,
        joint_phone,
        joint_wall,
        mirror,
        panel,
        participate,
        partnerships,
        personal,
        reports,
        respond,
        roles,
        rounds,
        second_factor,
        sheets,
        summaries,
        workshops,
    )

    for module in (accounts, actions, admin, catalogue, comments, exports, joint, joint_phone,
                   participate, partnerships, personal, reports, respond, roles, rounds,
                   second_factor, sheets, summaries, workshops, joint_wall, agenda, dossier,
                   panel, benchmark, mirror):
        app.register_blueprint(module.bp)
    from scan.web import help as help_pages

    app.register_blueprint(help_pages.bp)
    app.before_request(rounds.close_due_rounds)
    mailing.start(app)   # after the blueprints: the sender builds links to their pages

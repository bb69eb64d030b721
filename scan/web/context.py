"""What every blueprint shares: the extensions, the language choice, the loaded question
catalogue, the anonymity threshold, plotly's address and the error page. Blueprints
import these from here, not from the package that registers them, so no blueprint
imports `scan.web` back (no import circle)."""

from __future__ import annotations

from flask import Flask, after_this_request, current_app, g, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel, refresh
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from itsdangerous import URLSafeTimedSerializer
from plotly.offline import get_plotlyjs_version

from scan.web.i18n import KEPT
from scan.web.i18n import gettext as _

LANGUAGES = ("nl", "en")
LANG_COOKIE = "lang"
# plotly.js from the installed package, served by the reports blueprint; the version
# in the address gives a new plotly a new address (cached for a year).
PLOTLY_URL = f"/vendor/plotly-{get_plotlyjs_version()}.min.js"

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def language_chosen() -> str | None:
    """The language this person chose here (the cookie), or the one this request was
    opened in for them (`speak`), else None."""
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGUAGES else g.get("samenscan_language")


def speak(code: str) -> None:
    """Answer this request, and the person's next ones, in `code`, unless they chose a
    language here before: a personal invitation mailed in English opens in English."""
    if code not in LANGUAGES or request.cookies.get(LANG_COOKIE) in LANGUAGES:
        return
    g.samenscan_language = code
    refresh()    # Flask-Babel may have settled on a language already, and so may we:
    g.pop(KEPT, None)

    @after_this_request
    def remember(response):
        response.set_cookie(LANG_COOKIE, code, max_age=60 * 60 * 24 * 365, samesite="Lax",
                            httponly=True)
        return response


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its signing serializer built once per secret
    key rather than for every request: Flask builds a new one each time (and itsdangerous
    tries its JSON on the way), also for a request without a cookie, such as every
    phone's poll. The serializer holds nothing of a request; another app or a new secret
    key makes a new one (older keys, if any are set, are read once, at start-up)."""

    def __init__(self) -> None:
        self._kept: tuple[tuple, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (id(app), app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._kept
        if kept is None or kept[0] != key:
            kept = self._kept = (key, super().get_signing_serializer(app))
        return kept[1]


def signed_in() -> bool:
    """current_user.is_authenticated, without loading anyone for a request whose session
    names nobody (a phone's poll, a respondent's page): Flask-Login finds its user in the
    session alone here, as Samenscan never sets a remember-me cookie (remember=False)."""
    return "_user_id" in session and current_user.is_authenticated


def question_catalogue():
    """The question sets loaded at start-up (scan.question_files), one per app."""
    return current_app.extensions["samenscan.catalogue"]


def _error_messages() -> dict[int, str]:
    return {
        400: _("The request was not understood. Go back, reload the page and try again."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist, or it is not yours to see."),
        405: _("This address cannot be used like that."),
        409: _("This conflicts with what is already stored; nothing was changed."),
        410: _("This scan round is closed and no longer takes answers. Thank you for your "
               "interest."),
        413: _("What you sent is too large. Shorten it and try again."),
        429: _("Too many attempts in a short time. Wait a minute and try again."),
        500: _("Something went wrong on our side. Your saved answers are safe; please try "
               "again in a moment."),
    }


def render_error(code: int, message: str | None = None):
    """The error page in the reader's language with its status code."""
    text = message or _error_messages().get(code, _error_messages()[400])
    return render_template("error.html", code=code, message=text), code


def threshold() -> int:
    """k: the fewest respondents a shown number may stand for (docs/privacy.md)."""
    return int(current_app.config["ANONYMITY_THRESHOLD"])



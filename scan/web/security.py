"""The layer a public web app adds on top: throttling and response headers.

Throttling is Flask-Limiter. Its storage is in memory by default, which holds
per process: with several gunicorn workers, set SCAN_RATELIMIT_STORAGE_URI to
shared storage (e.g. redis://localhost:6379) so every worker counts together
(docs/security.md).

Headers come from a small after_request hook rather than Flask-Talisman: we
need five fixed headers and no HTTPS redirect (the reverse proxy does that),
and one policy string is easier to read and test than a wrapper's options.
"""

from __future__ import annotations

import os
import shlex
import sys
import time

from flask import Flask, current_app, g, request
from flask import Request as FlaskRequest
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict

from scan.text import xml_safe

# No X-RateLimit-* headers on every answer: working them out reads the count back from
# the storage twice more per request (with Redis, two more round trips on every phone's
# poll, most of a poll's time). A refusal still says when to come back (Retry-After).
limiter = Limiter(key_func=get_remote_address, headers_enabled=False)

# No inline script and no eval anywhere; charts get their data from JSON
# blocks (type="application/json", never executed). plotly sets inline styles,
# and so do the report's bar widths, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


FIXED_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    # Group and resume links carry their token in the address: never pass it on.
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


def _headers(response):
    """Our headers, where the route did not set its own. The route's headers are looked
    at once: werkzeug's `setdefault` and `in` raise and catch an exception for every
    header that is missing, ~15 µs each, a tenth of a phone's poll for these few."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    for name, value in FIXED_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if request.is_secure and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if response.status_code == 429 and "retry-after" not in present:
        headers.add("Retry-After", str(_retry_after()))
    # Nothing personal stays in the back-button cache of a shared school computer.
    # (A route's own choice stands: the QR images of group links are kept an hour, the
    # polls say no-store themselves, and so need not load the user to find out.)
    if "cache-control" not in present and _personal(response):
        headers.add("Cache-Control", "no-store")
    return response


def _retry_after() -> int:
    """Seconds until the limit that refused this request lets one through again."""
    if "retry_after" in g:   # refused by a flood guard (scan.web.flood_guard)
        return g.retry_after
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


PUBLIC_CACHEABLE = ("static", "reports.plotly")


def _personal(response) -> bool:
    """Pages and downloads that hold personal or row-level data: everything a
    signed-in person gets (pages, exports, the administrator's reset page) and every
    respondent's page; never our own static files."""
    if request.endpoint in PUBLIC_CACHEABLE:
        return False
    if request.path.startswith(("/r/", "/s/")):
        return True
    return current_user.is_authenticated


def login_key() -> str:
    """Failed sign-ins are counted per address and account together."""
    return f"{get_remote_address()}|{(request.form.get('email') or '').strip().lower()[:200]}"


class Request(FlaskRequest):
    """Every form value arrives without the characters no XML file can hold
    (scan.text): cleaned once where text comes in, so no route can store one."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form:
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, xml_safe(value)) for key, value in form.items(multi=True)])


def poll_limit() -> str:
    """Polls without an account (phones following a workshop), per address. A whole
    room usually shares one school address: 200 phones polling every 2 seconds make
    6,000 polls a minute, and a joint session seats up to 150, so the default leaves
    that room unrefused while one client flooding the server is still stopped."""
    return current_app.config.get("POLL_LIMIT", "6000 per minute")


def _workers_option(args: list[str]) -> int | None:
    for n, arg in enumerate(args):
        if arg in ("-w", "--workers") and n + 1 < len(args) and args[n + 1].isdigit():
            return int(args[n + 1])
        for prefix in ("--workers=", "-w"):
            if arg.startswith(prefix) and arg[len(prefix):].isdigit():
                return int(arg[len(prefix):])
    return None


def gunicorn_workers() -> int:
    """How many gunicorn workers this process is one of (1 when not under gunicorn):
    its command line, GUNICORN_CMD_ARGS, else WEB_CONCURRENCY, as gunicorn reads them."""
    if "gunicorn" not in os.path.basename(sys.argv[0]):
        return 1
    found = _workers_option(sys.argv[1:])
    if found is None:
        found = _workers_option(shlex.split(os.environ.get("GUNICORN_CMD_ARGS", "")))
    if found is None and os.environ.get("WEB_CONCURRENCY", "").isdigit():
        found = int(os.environ["WEB_CONCURRENCY"])
    return found or 1


def _warn_about_separate_counts(app: Flask) -> None:
    storage = app.config["RATELIMIT_STORAGE_URI"]
    workers = gunicorn_workers()
    if storage.startswith("memory://") and workers > 1:
        app.logger.warning(
            "Samenscan runs %d workers with throttling counted in memory (memory://): each "
            "worker counts for itself, so every limit is %d times as high. Set "
            "SCAN_RATELIMIT_STORAGE_URI=redis://localhost:6379/0 (docs/production.md).",
            workers, workers)


def _limits_for_every_route() -> bool:
    """Whether Flask-Limiter has limits its before-request hook checks: default,
    application-wide, meta, blueprint or fallback limits (none unless an operator sets
    SCAN_RATELIMIT_DEFAULT or the like). Read from Flask-Limiter 4.1's own attributes;
    should one be missing after an upgrade, the answer is yes, and the hook runs."""
    manager = getattr(limiter, "limit_manager", None)
    return bool(manager is None or getattr(manager, "default_limits", True)
                or getattr(manager, "application_limits", True)
                or getattr(manager, "_blueprint_limits", True)
                or getattr(limiter, "_meta_limits", True)
                or getattr(limiter, "_in_memory_fallback_enabled", True))


def _check_only_limits_that_exist(app: Flask) -> None:
    """Flask-Limiter checks every request before its view for limits that apply to
    all routes, and checks a route's own limits (the decorators) again in the view.
    We set no limits for all routes, yet that first check worked out the request's
    limits and exemptions each time: a fifth of a poll's time, on every page. It now
    runs only when such limits exist; a route's own limits are checked as before."""
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit
    if check not in hooks:
        return

    def check_limits_for_every_route():
        if _limits_for_every_route():
            check()

    hooks[hooks.index(check)] = check_limits_for_every_route


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    _warn_about_separate_counts(app)
    limiter.init_app(app)
    _check_only_limits_that_exist(app)
    app.after_request(_headers)

"""Signed cookies checked once per worker: the session, and the form token made from it.

Flask keeps the session in a cookie signed with the secret key (itsdangerous), and
checks that signature again on every request: a key derivation and an HMAC, about
a tenth of a signed-in request that is served from kept parts. The answer is the
same for the same cookie every time, so a worker keeps what a cookie it checked
holds, keyed by the whole cookie: only a cookie that is byte for byte one this
worker verified is answered from here, and a changed, forged or shortened cookie
is checked as before. The cookie's age is checked on every request as before
(PERMANENT_SESSION_LIFETIME), and its contents are decoded afresh each time, so
nothing one request changes in its session can reach the next.

Flask-WTF signs the session's CSRF token for every page with a form (another HMAC
and key derivation). With no time limit on tokens (WTF_CSRF_TIME_LIMIT=None, our
setting) a signed token stays valid for as long as its session's token, so it is
kept per worker for that session token. With a time limit, every page signs anew.
"""

from __future__ import annotations

import functools
import threading
import time

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSession
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

from scan.web.context import SessionCookies

# Sessions verified per worker: each entry is a cookie (at most 4 KB, mostly ~200
# bytes) and what it holds; a signed-in person's cookie changes at most once a minute.
SESSIONS_KEPT = 2048
# Signed form tokens per worker, one per session token (~130 bytes each).
TOKENS_KEPT = 4096
# Where Flask-WTF keeps the session's token and this request's signed token.
TOKEN_FIELD = "csrf_token"


class KeptSessionInterface(SessionCookies):
    """Flask's signed-cookie sessions, each cookie's signature checked once per worker
    (its serializer made once per key, as SessionCookies does for saving)."""

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        serializer, verified = self._verifier(app)
        found = verified(value)
        if found is None:
            return self.session_class()   # a bad signature, as Flask answers it
        payload, signed_at = found
        age = int(time.time()) - signed_at
        if age < 0 or age > int(app.permanent_session_lifetime.total_seconds()):
            return self.session_class()   # expired (itsdangerous' SignatureExpired)
        return self.session_class(serializer.load_payload(payload))

    def _verifier(self, app: Flask):
        """The app's serializer and its cache of verified cookies, made once per set of
        keys (the secret key and its fallbacks): a new key makes a new cache, so a
        cookie verified under the old key is checked again."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        found = app.extensions.get("samenscan.sessions")
        if found is None or found[0] != keys:
            serializer = self.get_signing_serializer(app)

            @functools.lru_cache(maxsize=SESSIONS_KEPT)
            def verified(value: str) -> tuple[bytes, int] | None:
                for signer in serializer.iter_unsigners():
                    try:
                        payload, signed_at = signer.unsign(value, return_timestamp=True)
                    except BadSignature:
                        continue
                    return payload, int(signed_at.timestamp())
                return None

            found = app.extensions["samenscan.sessions"] = (keys, serializer, verified)
        return found[1], found[2]


def signed_token() -> str:
    """This session's CSRF token, signed (what Flask-WTF's `generate_csrf` returns),
    signed once per worker for each session token when tokens never expire."""
    if TOKEN_FIELD in g:
        return g.get(TOKEN_FIELD)
    if current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None:
        return generate_csrf()
    tokens, lock = current_app.extensions["samenscan.tokens"]
    token = tokens.get(session.get(TOKEN_FIELD))
    if token is None:
        token = generate_csrf()   # stores a new session token when there was none
        raw = session[TOKEN_FIELD]
        with lock:
            if len(tokens) >= TOKENS_KEPT:
                del tokens[next(iter(tokens))]   # the oldest first
            tokens[raw] = token
    setattr(g, TOKEN_FIELD, token)
    return token


def init_app(app: Flask) -> None:
    """After Flask-WTF's own init_app: templates' csrf_token() signs through here."""
    app.session_interface = KeptSessionInterface()
    app.extensions["samenscan.tokens"] = ({}, threading.Lock())
    app.jinja_env.globals["csrf_token"] = signed_token

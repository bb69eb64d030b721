"""Who is signed in: the account behind the session cookie, a fresh session at sign-in
and where to go after it. The sign-in page (scan.web.accounts) and the second factor's
(scan.web.second_factor) both finish a sign-in with these."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import session
from flask_login import UserMixin, login_user

from scan import accounts
from scan.db import get_db
from scan.web.context import login_manager


class User(UserMixin):
    def __init__(self, row: dict):
        self.id = row["id"]
        self.name = row["name"]
        self.email = row["email"]
        self.is_admin = bool(row["is_admin"])
        self.session_version = row["session_version"]
        self.has_second_factor = bool(row["totp_secret"])
        self.must_change_password = bool(row["must_change_password"])

    def get_id(self) -> str:
        # The session holds id and session version (Flask-Login's "alternative
        # token"): signing out or a new password raises the version, and every
        # copied cookie of the old one stops working.
        return f"{self.id}:{self.session_version}"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    number, _sep, version = user_id.partition(":")
    if not (number.isdigit() and version.isdigit()):
        return None
    row = accounts.user_by_id(get_db(), int(number))
    return User(row) if row and row["session_version"] == int(version) else None


def start_session(user: dict) -> None:
    """Sign in on a fresh session that remembers when it began and was last used."""
    session.clear()   # a fresh session: nothing carried over from before sign-in
    login_user(User(user), remember=False)
    session["since"] = session["seen"] = int(time.time())


def safe_next(target: str | None, fallback: str) -> str:
    """Only local paths: a crafted link must not send people to another site."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target

"""Setting a new password through a link by e-mail ("Wachtwoord vergeten?").

A reset link works once and for an hour; only a hash of its token is stored.
Asking again makes a new link and ends the older ones, so at most one works.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlite_utils import Database

from scan import accounts
from scan.database import ids_among, immediate

VALID_MINUTES = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db: Database, user_id: int) -> str:
    """A new reset link's token for this account (the older ones stop working)."""
    token = secrets.token_urlsafe(24)
    with immediate(db):
        db.execute("update password_reset set used_at = datetime('now') "
                   "where user_id = ? and used_at is null", [user_id])
        db.execute("insert into password_reset (token_hash, user_id) values (?, ?)",
                   [_hash(token), user_id])
    return token


def pending(db: Database, token: str) -> dict | None:
    """The account a working reset link belongs to, or None."""
    return next(db.query(f"""
        select u.* from password_reset r join user u on u.id = r.user_id
        where r.token_hash = ? and r.used_at is null
          and r.created_at >= datetime('now', '-{VALID_MINUTES} minutes')""",
                         [_hash(token)]), None)


def use(db: Database, token: str, password: str) -> dict | None:
    """Set the new password and spend the link; None if it no longer works. Every
    session of the account ends (scan.accounts.set_password)."""
    with immediate(db):
        user = pending(db, token)
        if user is None:
            return None
        db.execute("update password_reset set used_at = datetime('now') where token_hash = ?",
                   [_hash(token)])
        accounts.set_password(db, user["id"], password)
    return user


def id_of(db: Database, token: str) -> int | None:
    found = db.execute("select id from password_reset where token_hash = ?", [_hash(token)])
    return next((row[0] for row in found), None)


def working(db: Database, ids: list[int]) -> set[int]:
    """Which of these reset links still work (scan.mail.forget_ended_links)."""
    return ids_among(db, ids, f"""
        select id from password_reset where id in ({{ids}}) and used_at is null
          and created_at >= datetime('now', '-{VALID_MINUTES} minutes')""")

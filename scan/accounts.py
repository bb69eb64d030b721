"""People, partnerships (opleidingsscholen) and who may do what in them.

Passwords are hashed by Werkzeug; nothing here knows about requests.
"""

from __future__ import annotations

import secrets

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from scan import audit, invitations, passwords
from scan.audit import record  # noqa: F401  (callers write the log through accounts)
from scan.database import immediate

MEMBER_ROLES = ("coordinator", "facilitator", "viewer")
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH


class LastCoordinator(Exception):
    """A partnership must keep at least one coordinator."""


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(db: Database, email: str, name: str, password: str,
                is_admin: bool = False, temporary: bool = False) -> int:
    """A new account; `temporary`: the password must be changed at the first sign-in."""
    with immediate(db):
        cursor = db.execute(
            "insert into user (email, name, password_hash, is_admin, must_change_password) "
            "values (?, ?, ?, ?, ?)",
            [email.strip().lower(), name.strip(), generate_password_hash(password),
             int(is_admin), int(temporary)])
    return cursor.lastrowid


def user_by_email(db: Database, email: str) -> dict | None:
    rows = db.query("select * from user where email = ?", [email.strip().lower()])
    return next(rows, None)


def user_by_id(db: Database, user_id: int) -> dict | None:
    return next(db.query("select * from user where id = ?", [user_id]), None)


def authenticate(db: Database, email: str, password: str) -> dict | None:
    """The account, if the password is right. An unknown address is checked against
    a dummy hash, so it takes as long as a wrong password and tells nothing."""
    user = user_by_email(db, email)
    matches = check_password_hash(user["password_hash"] if user else passwords.dummy_hash(),
                                  password[:passwords.MAX_LENGTH])
    return user if user and matches else None


def password_matches(user: dict, password: str) -> bool:
    return check_password_hash(user["password_hash"], password)


def set_password(db: Database, user_id: int, password: str, temporary: bool = False) -> None:
    """A new password ends every session of the account (see end_sessions)."""
    with immediate(db):
        db.execute("""update user set password_hash = ?, must_change_password = ?,
                      session_version = session_version + 1 where id = ?""",
                   [generate_password_hash(password), int(temporary), user_id])


def end_sessions(db: Database, user_id: int) -> None:
    """Every session cookie of this account stops working (sign-out everywhere)."""
    with immediate(db):
        db.execute("update user set session_version = session_version + 1 where id = ?",
                   [user_id])


def audit_log(db: Database, partnership_id: int | None = None, limit: int = 500) -> list[dict]:
    """Newest first; one partnership's lines, or all of them (for the administrator)."""
    return audit.entries(db, partnership_id, size=limit)[0]


def all_users(db: Database) -> list[dict]:
    return list(db.query("select id, email, name, is_admin from user order by name"))


def create_partnership(db: Database, name: str) -> int:
    with immediate(db):
        return db.execute("insert into partnership (name) values (?)", [name.strip()]).lastrowid


def partnership(db: Database, partnership_id: int) -> dict | None:
    return next(db.query("select * from partnership where id = ?", [partnership_id]), None)


def all_partnerships(db: Database) -> list[dict]:
    return list(db.query("""
        select p.*, (select count(*) from membership m where m.partnership_id = p.id) as members
        from partnership p order by p.name"""))


def memberships(db: Database, user_id: int) -> list[dict]:
    """The partnerships a person belongs to, with their role in each."""
    return list(db.query("""
        select p.id, p.name, m.role from membership m
        join partnership p on p.id = m.partnership_id
        where m.user_id = ? order by p.name""", [user_id]))


def role_in(db: Database, user_id: int, partnership_id: int) -> str | None:
    row = next(db.query("select role from membership where user_id = ? and partnership_id = ?",
                        [user_id, partnership_id]), None)
    return row["role"] if row else None


def members(db: Database, partnership_id: int) -> list[dict]:
    return list(db.query("""
        select u.id, u.name, u.email, m.role from membership m
        join user u on u.id = m.user_id
        where m.partnership_id = ? order by u.name""", [partnership_id]))


def set_member(db: Database, partnership_id: int, user_id: int, role: str) -> None:
    """Add a person to a partnership, or change their role there."""
    if role not in MEMBER_ROLES:
        raise ValueError(role)
    with immediate(db):
        current = role_in(db, user_id, partnership_id)
        if current == "coordinator" and role != "coordinator":
            _ensure_other_coordinator(db, partnership_id, user_id)
            invitations.lapse_made_by(db, partnership_id, user_id)
        db.execute("""
            insert into membership (user_id, partnership_id, role) values (?, ?, ?)
            on conflict (user_id, partnership_id) do update set role = excluded.role""",
                   [user_id, partnership_id, role])


def remove_member(db: Database, partnership_id: int, user_id: int) -> None:
    with immediate(db):
        if role_in(db, user_id, partnership_id) == "coordinator":
            _ensure_other_coordinator(db, partnership_id, user_id)
            invitations.lapse_made_by(db, partnership_id, user_id)
        db.execute("delete from membership where user_id = ? and partnership_id = ?",
                   [user_id, partnership_id])


def _ensure_other_coordinator(db: Database, partnership_id: int, user_id: int) -> None:
    others = db.execute("""select count(*) from membership where partnership_id = ?
                           and role = 'coordinator' and user_id != ?""",
                        [partnership_id, user_id]).fetchone()[0]
    if not others:
        raise LastCoordinator()

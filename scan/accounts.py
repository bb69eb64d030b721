"""People, partnerships (opleidingsscholen) and who may do what in them.

Passwords are hashed by Werkzeug; nothing here knows about requests.
"""

from __future__ import annotations

import secrets

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from scan.database import immediate

MEMBER_ROLES = ("coordinator", "facilitator", "viewer")
MIN_PASSWORD_LENGTH = 10


class LastCoordinator(Exception):
    """A partnership must keep at least one coordinator."""


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(db: Database, email: str, name: str, password: str,
                is_admin: bool = False) -> int:
    with immediate(db):
        cursor = db.execute(
            "insert into user (email, name, password_hash, is_admin) values (?, ?, ?, ?)",
            [email.strip().lower(), name.strip(), generate_password_hash(password),
             int(is_admin)])
    return cursor.lastrowid


def user_by_email(db: Database, email: str) -> dict | None:
    rows = db.query("select * from user where email = ?", [email.strip().lower()])
    return next(rows, None)


def user_by_id(db: Database, user_id: int) -> dict | None:
    return next(db.query("select * from user where id = ?", [user_id]), None)


def authenticate(db: Database, email: str, password: str) -> dict | None:
    user = user_by_email(db, email)
    if user and check_password_hash(user["password_hash"], password):
        return user
    return None


def password_matches(user: dict, password: str) -> bool:
    return check_password_hash(user["password_hash"], password)


def set_password(db: Database, user_id: int, password: str) -> None:
    with immediate(db):
        db.execute("update user set password_hash = ? where id = ?",
                   [generate_password_hash(password), user_id])


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
        db.execute("""
            insert into membership (user_id, partnership_id, role) values (?, ?, ?)
            on conflict (user_id, partnership_id) do update set role = excluded.role""",
                   [user_id, partnership_id, role])


def remove_member(db: Database, partnership_id: int, user_id: int) -> None:
    with immediate(db):
        if role_in(db, user_id, partnership_id) == "coordinator":
            _ensure_other_coordinator(db, partnership_id, user_id)
        db.execute("delete from membership where user_id = ? and partnership_id = ?",
                   [user_id, partnership_id])


def _ensure_other_coordinator(db: Database, partnership_id: int, user_id: int) -> None:
    others = db.execute("""select count(*) from membership where partnership_id = ?
                           and role = 'coordinator' and user_id != ?""",
                        [partnership_id, user_id]).fetchone()[0]
    if not others:
        raise LastCoordinator()

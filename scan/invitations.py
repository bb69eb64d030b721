"""Invitations to join a partnership (uitnodigingen).

A coordinator invites by e-mail address and gets a one-time link to hand over,
whatever the address: the answer is the same whether or not an account exists,
so nobody learns which addresses have accounts (or their stored names). The
person opening the link joins with their existing account after signing in,
or makes their own account with their own password: no temporary passwords.
Only a hash of the link's token is stored.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlite_utils import Database

from scan.database import ids_among, immediate

VALID_DAYS = 14
# Made within VALID_DAYS by someone who may still invite: a coordinator of the
# partnership, or an administrator (who invites a partnership's first coordinator).
_STILL_VALID = f"""i.created_at >= datetime('now', '-{VALID_DAYS} days')
    and (exists (select 1 from membership m where m.user_id = i.invited_by
                 and m.partnership_id = i.partnership_id and m.role = 'coordinator')
         or exists (select 1 from user u where u.id = i.invited_by and u.is_admin = 1))
    and i.revoked_at is null and i.lapsed_at is null"""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(db: Database, partnership_id: int, email: str, name: str, role: str,
           invited_by: int) -> str:
    """A new invitation; returns the token for the link (shown once)."""
    token = secrets.token_urlsafe(24)
    with immediate(db):
        db.execute("""insert into invitation (token_hash, partnership_id, email, name, role,
                      invited_by) values (?, ?, ?, ?, ?, ?)""",
                   [_hash(token), partnership_id, email.strip().lower(), name.strip(), role,
                    invited_by])
    return token


def pending(db: Database, token: str) -> dict | None:
    """The open invitation behind a link, with its partnership's name, or None.

    An invitation lapses when whoever made it is no longer a coordinator there
    (or, for a partnership's first coordinator, an administrator): a removed
    coordinator cannot let themselves back in with a link made before.
    A revoked or lapsed invitation stays ended (revoked_at, lapsed_at), also when its
    coordinator becomes one again.
    """
    return next(db.query(f"""
        select i.*, p.name as partnership from invitation i
        join partnership p on p.id = i.partnership_id
        where i.token_hash = ? and i.accepted_at is null and {_STILL_VALID}""",
                         [_hash(token)]), None)


def accept(db: Database, token: str, user_id: int) -> dict | None:
    """Make the person a member with the invited role; a link works once."""
    with immediate(db):
        found = pending(db, token)
        if found is None:
            return None
        db.execute("update invitation set accepted_at = datetime('now') where id = ?",
                   [found["id"]])
        db.execute("""insert into membership (user_id, partnership_id, role) values (?, ?, ?)
                      on conflict (user_id, partnership_id) do nothing""",
                   [user_id, found["partnership_id"], found["role"]])
    return found


def open_invitations(db: Database, partnership_id: int) -> list[dict]:
    return list(db.query(f"""
        select i.id, i.email, i.name, i.role, i.created_at from invitation i
        where i.partnership_id = ? and i.accepted_at is null and {_STILL_VALID}
        order by i.created_at desc""", [partnership_id]))


def renew(db: Database, partnership_id: int, invitation_id: int,
          invited_by: int) -> tuple[str, dict] | None:
    """A new link for an open invitation ("send again"): the old link stops working and
    the new one is valid for VALID_DAYS from now. None if it is not open."""
    token = secrets.token_urlsafe(24)
    with immediate(db):
        found = next(db.query(f"""select i.* from invitation i where i.id = ?
                                  and i.partnership_id = ? and i.accepted_at is null
                                  and {_STILL_VALID}""", [invitation_id, partnership_id]), None)
        if found is None:
            return None
        db.execute("""update invitation set token_hash = ?, created_at = datetime('now'),
                      invited_by = ? where id = ?""", [_hash(token), invited_by, invitation_id])
    return token, found


def revoke(db: Database, partnership_id: int, invitation_id: int) -> dict | None:
    """End an open invitation of this partnership for good; None if there is none."""
    with immediate(db):
        found = next(db.query("""select id, email, role from invitation
                                 where id = ? and partnership_id = ? and accepted_at is null
                                   and revoked_at is null""", [invitation_id, partnership_id]),
                     None)
        if found:
            db.execute("update invitation set revoked_at = datetime('now') where id = ?",
                       [invitation_id])
    return found


def lapse_made_by(db: Database, partnership_id: int, user_id: int) -> None:
    """The invitations this person made here end: they are no longer its coordinator
    (called inside the change of role, so both happen or neither)."""
    db.execute("""update invitation set lapsed_at = datetime('now')
                  where partnership_id = ? and invited_by = ? and accepted_at is null
                    and lapsed_at is null""", [partnership_id, user_id])


def id_of(db: Database, token: str) -> int | None:
    found = db.execute("select id from invitation where token_hash = ?", [_hash(token)])
    return next((row[0] for row in found), None)


def working(db: Database, ids: list[int]) -> set[int]:
    """Which of these invitations' links still work (scan.mail.forget_ended_links)."""
    return ids_among(db, ids, f"""select i.id from invitation i where i.id in ({{ids}})
                                  and i.accepted_at is null and {_STILL_VALID}""")

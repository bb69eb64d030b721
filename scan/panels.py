"""Panel links (peer review): a time-limited, read-only, revocable link for a visiting
review panel to a frozen copy of a partnership's dossier.

The copy is rendered once when the link is made, in both languages, and stored with
the link: the panel reads exactly what the coordinator handed over, and nothing else
of the partnership is reachable through it (the panel's page is built only from the
stored copy). Only a hash of the token is kept, as for invitations; a link stops
working when it expires or is revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from scan.database import immediate


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def create(db: Database, partnership_id: int, framework_id: str, years: list[str],
           frozen: dict[str, str], days: int, user_id: int | None,
           now: datetime | None = None) -> str:
    """Store a frozen copy ({"nl": html, "en": html}); returns the token, once."""
    token = secrets.token_urlsafe(32)
    expires = (now or _now()) + timedelta(days=days)
    with immediate(db):
        db.execute("""insert into panel_link (partnership_id, framework_id, token_hash, years,
                      html_nl, html_en, expires_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)""",
                   [partnership_id, framework_id, _hash(token), ", ".join(years),
                    frozen["nl"], frozen["en"], expires.isoformat(sep=" "), user_id])
    return token


def by_token(db: Database, token: str) -> dict | None:
    if not token or len(token) > 100:
        return None
    return next(db.query("select * from panel_link where token_hash = ?", [_hash(token)]), None)


def usable(link: dict, now: datetime | None = None) -> bool:
    """Not revoked and not expired."""
    return link["revoked_at"] is None and (now or _now()).isoformat(sep=" ") < link["expires_at"]


def links(db: Database, partnership_id: int) -> list[dict]:
    """The partnership's panel links, newest first, without their copies."""
    return list(db.query("""
        select l.id, l.framework_id, l.years, l.expires_at, l.revoked_at, l.created_at,
               u.name as made_by,
               (select count(*) from audit a where a.partnership_id = l.partnership_id
                  and a.action = 'panel link opened' and a.detail = 'link ' || l.id) as opened
        from panel_link l left join user u on u.id = l.created_by
        where l.partnership_id = ? order by l.id desc""", [partnership_id]))


def revoke(db: Database, partnership_id: int, link_id: int) -> bool:
    """Stop a link of this partnership; False when it is not one of theirs."""
    with immediate(db):
        found = db.execute("select 1 from panel_link where id = ? and partnership_id = ?",
                           [link_id, partnership_id]).fetchone()
        if found is None:
            return False
        db.execute("update panel_link set revoked_at = coalesce(revoked_at, datetime('now')) "
                   "where id = ?", [link_id])
    return True

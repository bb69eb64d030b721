"""A dot vote over the cards of a card workshop (stippen plakken): which card's
conversation to continue, or to take into the action plan.

The same promise as joint scoring's vote (scan.joint): a phone's dots are kept
only while the vote runs, under a token only that phone's cookie knows; no
running total is shown (it would show each new voter's dots); ending the vote
keeps only the totals per card, and only from MIN_SHOWN voters, then forgets
the voters. A vote over fewer than two cards decides nothing and is not started.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlite_utils import Database

from scan.database import immediate
from scan.joint import MAX_DOTS, MIN_SHOWN, NotNow
from scan.ranking import by_dots
from scan.workshops import open_session, presented


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _session(db: Database, workshop_id: int) -> dict:
    return open_session(db, workshop_id, "cards")


def start(db: Database, workshop_id: int, dots: int) -> None:
    """Every phone gets `dots` dots to spread over the cards discussed so far."""
    if not 1 <= dots <= MAX_DOTS:
        raise ValueError(dots)
    with immediate(db):
        _session(db, workshop_id)
        if len(presented(db, workshop_id)) < 2:
            raise NotNow()
        _forget(db, workshop_id)
        db.execute("update workshop set dots = ?, version = version + 1 where id = ?",
                   [dots, workshop_id])


def _forget(db: Database, workshop_id: int) -> None:
    db.execute("delete from card_dot where voter_id in (select id from card_voter "
               "where workshop_id = ?)", [workshop_id])
    db.execute("delete from card_voter where workshop_id = ?", [workshop_id])


def forget(db: Database, workshop_id: int) -> None:
    """Closing the session forgets the phones' dots of a vote still running; the
    session's vote ends without a result (nothing to count from once closed)."""
    with immediate(db):
        _forget(db, workshop_id)
        db.execute("update workshop set dots = 0 where id = ? and kind = 'cards'",
                   [workshop_id])


def cast(db: Database, workshop_id: int, token: str | None, dots: dict[int, int]) -> str:
    """A phone's dots (row id -> dots); sending again replaces them. Returns the
    phone's token (a new one the first time)."""
    with immediate(db):
        session = _session(db, workshop_id)
        if not session["dots"]:
            raise NotNow()
        ours = {c["id"] for c in presented(db, workshop_id)}
        if set(dots) - ours or any(n < 0 for n in dots.values()) \
                or sum(dots.values()) > session["dots"]:
            raise ValueError("dots")
        voter = token and db.execute("select id from card_voter where workshop_id = ? and "
                                     "token_hash = ?", [workshop_id, _hash(token)]).fetchone()
        if not voter:
            token = secrets.token_urlsafe(18)
            voter = (db.execute("insert into card_voter (workshop_id, token_hash) values (?, ?)",
                                [workshop_id, _hash(token)]).lastrowid,)
        db.execute("delete from card_dot where voter_id = ?", [voter[0]])
        db.conn.executemany("insert into card_dot (voter_id, row_id, dots) values (?, ?, ?)",
                            [(voter[0], r, n) for r, n in dots.items() if n])
        return token


def voters(db: Database, workshop_id: int) -> int:
    return db.execute("select count(distinct d.voter_id) from card_dot d join card_voter v "
                      "on v.id = d.voter_id where v.workshop_id = ?",
                      [workshop_id]).fetchone()[0]


def own(db: Database, workshop_id: int, token: str | None) -> dict[int, int]:
    if not token:
        return {}
    return dict(db.execute("select d.row_id, d.dots from card_dot d join card_voter v "
                           "on v.id = d.voter_id where v.workshop_id = ? and v.token_hash = ?",
                           [workshop_id, _hash(token)]).fetchall())


def end(db: Database, workshop_id: int) -> dict[int, int] | None:
    """Close the vote; keep the totals per card when at least MIN_SHOWN phones voted."""
    with immediate(db):
        session = _session(db, workshop_id)
        if not session["dots"]:
            raise NotNow()
        totals = None
        if voters(db, workshop_id) >= MIN_SHOWN:
            totals = dict(db.execute("""select d.row_id, sum(d.dots) from card_dot d
                                        join card_voter v on v.id = d.voter_id
                                        where v.workshop_id = ? group by d.row_id""",
                                     [workshop_id]).fetchall())
        db.execute("update workshop_card set dots = 0 where workshop_id = ?", [workshop_id])
        if totals:
            db.conn.executemany("update workshop_card set dots = ? where id = ?",
                                [(n, r) for r, n in totals.items()])
        _forget(db, workshop_id)
        db.execute("update workshop set dots = 0, version = version + 1 where id = ?",
                   [workshop_id])
        return totals


def ranking(rows: list[dict]) -> list[tuple[int, dict]]:
    """The cards with dots, most first; equal totals share a place (1, 2, 2, 4), in the
    order the cards were drawn (scan.ranking)."""
    return by_dots(rows, came_up="sequence")

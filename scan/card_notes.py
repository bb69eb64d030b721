"""Phones take part in a card workshop: an anonymous note (reactie) on the card on screen.

The same promise as joint scoring's sticky notes (scan.joint): a note has no
author, the room sees a card's notes only once the facilitator shows them, and
they are listed alphabetically, not in the order they came in, so the order
gives no one away. Showing the notes moves the session's version, so every
screen (projector, phones) redraws; a new note does not, so sixty phones do not
redraw whenever one person writes (the console shows a count instead).
"""

from __future__ import annotations

from sqlite_utils import Database

from scan.database import immediate
from scan.workshops import Duplicate, SessionClosed, presented

NOTE_MAX = 280


class NotOnScreen(Exception):
    """The card is not the one on screen any more (the facilitator moved on)."""


def _on_screen(db: Database, workshop_id: int, row_id: int) -> None:
    session = db.execute("select status, position, kind from workshop where id = ?",
                         [workshop_id]).fetchone()
    if session is None or session[2] != "cards":
        raise LookupError(workshop_id)
    if session[0] != "open":
        raise SessionClosed()
    shown = presented(db, workshop_id)
    if not shown or shown[min(session[1], len(shown) - 1)]["id"] != row_id:
        raise NotOnScreen()


def add(db: Database, workshop_id: int, row_id: int, body: str) -> None:
    """An anonymous note on the card on screen; the same text twice is kept once."""
    body = body.strip()
    if not body or len(body) > NOTE_MAX:
        raise ValueError("note length")
    with immediate(db):
        _on_screen(db, workshop_id, row_id)
        if db.execute("select 1 from card_note where row_id = ? and body = ?",
                      [row_id, body]).fetchone():
            raise Duplicate()
        db.execute("insert into card_note (workshop_id, row_id, body) values (?, ?, ?)",
                   [workshop_id, row_id, body])


def show(db: Database, workshop_id: int, row_id: int) -> None:
    """The facilitator shows a card's notes to the room (and every screen redraws)."""
    with immediate(db):
        found = db.execute("update workshop_card set notes_shown = 1 where id = ? "
                           "and workshop_id = ?", [row_id, workshop_id]).rowcount
        if not found:
            raise LookupError(row_id)
        db.execute("update workshop set version = version + 1 where id = ?", [workshop_id])


def notes(db: Database, row_id: int) -> list[str]:
    return [r[0] for r in db.execute("select body from card_note where row_id = ? order by body",
                                     [row_id])]


def waiting(db: Database, row_id: int) -> int:
    return db.execute("select count(*) from card_note where row_id = ?", [row_id]).fetchone()[0]


def shown_notes(db: Database, workshop_id: int) -> dict[int, list[str]]:
    """Per drawn card (row id), its notes once shown: for the summary."""
    rows = db.execute("""select n.row_id, n.body from card_note n
                         join workshop_card c on c.id = n.row_id
                         where n.workshop_id = ? and c.notes_shown = 1
                         order by n.row_id, n.body""", [workshop_id]).fetchall()
    found: dict[int, list[str]] = {}
    for row_id, body in rows:
        found.setdefault(row_id, []).append(body)
    return found

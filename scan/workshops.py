"""Workshop sessions (werksessies) with drawn cards, notes, and the actions agreed.

A session keeps the cards in the order they were drawn; `position` points at
the card on the screen among the cards not skipped, and `version` goes up on
every change, so screens that poll know when to redraw.
"""

from __future__ import annotations

import json
import secrets
from datetime import date

from sqlite_utils import Database

from scan.database import immediate

ACTION_STATUSES = ("open", "bezig", "klaar")
OPEN_STATUSES = ("open", "bezig")
NOTES_MAX = 10_000
LOG_NOTE_MAX = 200


class AlreadyDrawn(Exception):
    """A card appears once per session."""


class HasNotes(Exception):
    """A card with notes is not put back: its notes would be lost. Skip it instead."""


class Duplicate(Exception):
    """The same session or agreement sent twice (a double click): kept once."""


class SessionClosed(Exception):
    """A closed session takes no more changes."""


def open_session(db, workshop_id: int, kind: str) -> dict:
    """The session of this kind ('cards' or 'joint') for a change from a phone or the
    console: LookupError when there is none, SessionClosed when it is closed."""
    row = next(db.query("select * from workshop where id = ?", [workshop_id]), None)
    if row is None or row["kind"] != kind:
        raise LookupError(workshop_id)
    if row["status"] != "open":
        raise SessionClosed()
    return row


def create(db: Database, partnership_id: int, title: str, held_on: date,
           round_id: int | None, deck_ids: list[str], set_id: str | None = None,
           dimension_ids: tuple[str, ...] = ()) -> int:
    """A session with cards; with a set and its dimensions, a joint scoring session
    (scan.joint) that goes through those dimensions in this order."""
    with immediate(db):
        if db.execute("select 1 from workshop where partnership_id = ? and held_on = ? "
                      "and lower(title) = lower(?)",
                      [partnership_id, held_on.isoformat(), title.strip()]).fetchone():
            raise Duplicate()
        wid = db.execute("""insert into workshop (partnership_id, title, held_on, round_id, token,
                                                  kind, set_id) values (?, ?, ?, ?, ?, ?, ?)""",
                         [partnership_id, title.strip(), held_on.isoformat(), round_id,
                          secrets.token_urlsafe(9), "joint" if set_id else "cards",
                          set_id]).lastrowid
        db.conn.executemany("insert into workshop_deck (workshop_id, deck_id) values (?, ?)",
                            [(wid, d) for d in deck_ids])
        db.conn.executemany("insert into joint_dimension (workshop_id, dimension_id, position) "
                            "values (?, ?, ?)",
                            [(wid, d, n) for n, d in enumerate(dimension_ids)])
    return wid


def workshop_of(db: Database, partnership_id: int, workshop_id: int) -> dict | None:
    return next(db.query("select * from workshop where id = ? and partnership_id = ?",
                         [workshop_id, partnership_id]), None)


def workshop_by_token(db: Database, token: str) -> dict | None:
    return next(db.query("select * from workshop where token = ?", [token]), None)


def workshops(db: Database, partnership_id: int) -> list[dict]:
    return list(db.query("""
        select w.*, (select count(*) from workshop_card c where c.workshop_id = w.id) as cards,
               (select count(*) from action a where a.workshop_id = w.id) as actions,
               (select count(*) from joint_dimension j where j.workshop_id = w.id
                and j.score is not null) as agreed
        from workshop w where w.partnership_id = ? order by w.held_on desc, w.id desc""",
                         [partnership_id]))


def deck_ids(db: Database, workshop_id: int) -> list[str]:
    return [r["deck_id"] for r in db.query(
        "select deck_id from workshop_deck where workshop_id = ? order by deck_id", [workshop_id])]


def drawn(db: Database, workshop_id: int) -> list[dict]:
    """The cards of a session in drawing order, with why each was drawn."""
    rows = list(db.query("select * from workshop_card where workshop_id = ? order by sequence",
                         [workshop_id]))
    for row in rows:
        row["reason"] = json.loads(row["reason"]) if row["reason"] else None
    return rows


def presented(db: Database, workshop_id: int) -> list[dict]:
    return [c for c in drawn(db, workshop_id) if not c["skipped"]]


def _open(db: Database, workshop_id: int) -> None:
    status = db.execute("select status from workshop where id = ?", [workshop_id]).fetchone()
    if status is None or status[0] != "open":
        raise SessionClosed()


def _bump(db: Database, workshop_id: int) -> None:
    db.execute("update workshop set version = version + 1 where id = ?", [workshop_id])


def add_card(db: Database, workshop_id: int, card_id: str, reason: dict | None = None) -> int:
    with immediate(db):
        _open(db, workshop_id)
        if db.execute("select 1 from workshop_card where workshop_id = ? and card_id = ?",
                      [workshop_id, card_id]).fetchone():
            raise AlreadyDrawn()
        sequence = db.execute("select coalesce(max(sequence), 0) + 1 from workshop_card "
                              "where workshop_id = ?", [workshop_id]).fetchone()[0]
        row_id = db.execute("""insert into workshop_card (workshop_id, card_id, sequence, reason)
                               values (?, ?, ?, ?)""",
                            [workshop_id, card_id, sequence,
                             json.dumps(reason) if reason else None]).lastrowid
        _bump(db, workshop_id)
    return row_id


def _card_row(db: Database, workshop_id: int, row_id: int) -> dict | None:
    return next(db.query("select * from workshop_card where id = ? and workshop_id = ?",
                         [row_id, workshop_id]), None)


def put_back(db: Database, workshop_id: int, row_id: int) -> None:
    """The card goes back into the pile and can be drawn again."""
    with immediate(db):
        _open(db, workshop_id)
        row = _card_row(db, workshop_id, row_id)
        if row is None:
            return
        if row["notes"].strip() or db.execute(
                "select 1 from action where workshop_id = ? and card_id = ?",
                [workshop_id, row["card_id"]]).fetchone():
            raise HasNotes()
        db.execute("delete from workshop_card where id = ?", [row_id])
        _clamp(db, workshop_id)


def toggle_skip(db: Database, workshop_id: int, row_id: int) -> None:
    with immediate(db):
        _open(db, workshop_id)
        db.execute("update workshop_card set skipped = 1 - skipped where id = ? "
                   "and workshop_id = ?", [row_id, workshop_id])
        _clamp(db, workshop_id)


def _clamp(db: Database, workshop_id: int) -> None:
    shown = db.execute("select count(*) from workshop_card where workshop_id = ? "
                       "and skipped = 0", [workshop_id]).fetchone()[0]
    db.execute("update workshop set position = max(0, min(position, ?)), version = version + 1 "
               "where id = ?", [max(shown - 1, 0), workshop_id])


def move(db: Database, workshop_id: int, position: int) -> None:
    """Show the card at this position (0-based, among cards not skipped)."""
    with immediate(db):
        _open(db, workshop_id)
        db.execute("update workshop set position = ?, revealed = 0 where id = ?",
                   [max(position, 0), workshop_id])
        _clamp(db, workshop_id)


def reveal(db: Database, workshop_id: int, follow_ups: int) -> None:
    """Show the next follow-up question of the current card."""
    with immediate(db):
        _open(db, workshop_id)
        db.execute("update workshop set revealed = min(revealed + 1, ?), version = version + 1 "
                   "where id = ?", [follow_ups, workshop_id])


def save_notes(db: Database, workshop_id: int, row_id: int, text: str,
               base_version: int) -> tuple[str, int, bool]:
    """Store notes for a drawn card; returns (notes, version, merged).

    Two facilitators may type at once. When the notes changed since this
    writer loaded them, both texts are kept (theirs first) instead of one
    overwriting the other; the writer gets the merged text back.
    """
    if len(text) > NOTES_MAX:
        raise ValueError("notes too long")
    with immediate(db):
        _open(db, workshop_id)
        row = _card_row(db, workshop_id, row_id)
        if row is None:
            raise LookupError(row_id)
        merged = row["notes_version"] != base_version and text.strip() not in row["notes"]
        notes = f"{row['notes'].rstrip()}\n\n{text.strip()}" if merged else text
        if len(notes) > NOTES_MAX:
            raise ValueError("notes too long")
        db.execute("update workshop_card set notes = ?, notes_version = notes_version + 1 "
                   "where id = ?", [notes, row_id])
        return notes, row["notes_version"] + 1, merged


def set_status(db: Database, workshop_id: int, status: str) -> None:
    """Close or reopen a session. Closing a joint scoring session (scan.joint) forgets
    its participants: no placement stays tied to anyone, a running dot vote is
    dropped, placements on themes never revealed are deleted, and phones must join
    again if the session reopens."""
    with immediate(db):
        db.execute("update workshop set status = ?, dots = case when ? = 'closed' then 0 "
                   "else dots end, version = version + 1 where id = ?",
                   [status, status, workshop_id])
        if status == "closed":
            # Placements on themes never revealed were never shown: a reopened session
            # would show them beside new ones, so they go (scan.joint).
            db.execute("""delete from placement where workshop_id = ? and dimension_id in
                          (select dimension_id from joint_dimension
                           where workshop_id = ? and step = 'place')""",
                       [workshop_id, workshop_id])
            db.execute("update placement set participant_id = null where workshop_id = ?",
                       [workshop_id])
            db.execute("delete from dot where workshop_id = ?", [workshop_id])
            db.execute("delete from participant where workshop_id = ?", [workshop_id])


def add_action(db: Database, partnership_id: int, text: str, owner: str, due_on: date | None,
               dimension_id: str | None, workshop_id: int | None = None,
               card_id: str | None = None) -> int:
    """An agreement becomes an action (actiepunt) in the partnership's action plan."""
    with immediate(db):
        if workshop_id is not None:
            _open(db, workshop_id)
        return insert_action(db, partnership_id, text, owner, due_on, dimension_id,
                             workshop_id, card_id)


def insert_action(db: Database, partnership_id: int, text: str, owner: str,
                  due_on: date | None, dimension_id: str | None, workshop_id: int | None,
                  card_id: str | None) -> int:
    """add_action inside a transaction the caller holds."""
    if db.execute("select 1 from action where partnership_id = ? and workshop_id is ? "
                  "and card_id is ? and text = ?",
                  [partnership_id, workshop_id, card_id, text.strip()]).fetchone():
        raise Duplicate()
    return db.execute("""
        insert into action (partnership_id, workshop_id, card_id, text, owner, due_on,
                            dimension_id) values (?, ?, ?, ?, ?, ?, ?)""",
        [partnership_id, workshop_id, card_id, text.strip(), owner.strip(),
         due_on.isoformat() if due_on else None, dimension_id or None]).lastrowid


def _stored(value):
    return value.isoformat() if isinstance(value, date) else (value or None)


def update_action(db: Database, partnership_id: int, action_id: int, **fields) -> None:
    allowed = {"text", "owner", "due_on", "status", "dimension_id"}
    assert set(fields) <= allowed, fields
    values = {k: _stored(v) for k, v in fields.items()}
    assignments = ", ".join(f"{k} = ?" for k in values)
    with immediate(db):
        db.execute(f"update action set {assignments}, updated_at = datetime('now') "
                   "where id = ? and partnership_id = ?",
                   [*values.values(), action_id, partnership_id])


def action_of(db: Database, partnership_id: int, action_id: int) -> dict | None:
    return next(db.query("select * from action where id = ? and partnership_id = ?",
                         [action_id, partnership_id]), None)


def actions(db: Database, partnership_id: int, status: str | None = None,
            owner: str | None = None, dimension: str | None = None,
            workshop_id: int | None = None, overdue: bool = False,
            today: date | None = None) -> list[dict]:
    """The action plan, optionally filtered; each action says whether it is overdue
    and carries its latest progress entry (last_at, last_status, last_note)."""
    today_text = (today or date.today()).isoformat()
    where, params = ["a.partnership_id = ?"], [partnership_id]
    for column, value in (("a.status", status), ("a.dimension_id", dimension),
                          ("a.workshop_id", workshop_id)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if owner:
        where.append("a.owner like ?")
        params.append(f"%{owner}%")
    if overdue:
        where.append(_OVERDUE)
        params.append(today_text)
    return list(db.query(f"""
        select a.*, w.title as workshop, {_OVERDUE} as overdue,
               l.at as last_at, l.status as last_status, l.note as last_note
        from action a left join workshop w on w.id = a.workshop_id
        left join action_log l on l.id = (select id from action_log where action_id = a.id
                                          order by at desc, id desc limit 1)
        where {' and '.join(where)}
        order by a.status = 'klaar', coalesce(a.due_on, '9999'), a.id""",
                         [today_text, *params]))


# Due before today and not done ('klaar'); the one parameter is today's date.
_OVERDUE = "(a.status != 'klaar' and a.due_on is not null and a.due_on < ?)"


def is_overdue(action: dict, today: date) -> bool:
    """Due before today and not done."""
    return bool(action["due_on"]) and action["status"] != "klaar" \
        and action["due_on"] < today.isoformat()


def to_review(db: Database, partnership_id: int, today: date,
              leave_out_workshop: int | None = None) -> list[dict]:
    """The open and ongoing actions a next session starts by looking at: overdue
    first, then by due date. The session's own agreements are left out."""
    found = [a for a in actions(db, partnership_id, today=today)
             if a["status"] in OPEN_STATUSES
             and (leave_out_workshop is None or a["workshop_id"] != leave_out_workshop)]
    return sorted(found, key=lambda a: (not a["overdue"], a["due_on"] or "9999", a["id"]))


def default_theme(card_dimensions: tuple[str, ...], round_dimensions: set[str]) -> str:
    """The theme an agreement on a card is about unless chosen otherwise: the card's
    first theme that the session's round asked about, else its first theme."""
    ours = [d for d in card_dimensions if d in round_dimensions]
    return (ours or list(card_dimensions) or [""])[0]


def one_line(text: str) -> str:
    """A progress note as one line: runs of white space (newlines too) become one space."""
    return " ".join(text.split())


def add_progress(db: Database, partnership_id: int, action_id: int, at: date, status: str,
                 note: str) -> int:
    """Log progress on an action and give the action that status, unless an entry
    dated later is logged already (then the entry is only added to the history).

    ValueError: unknown status or a note over LOG_NOTE_MAX characters.
    LookupError: not an action of this partnership. Duplicate: the same entry as the
    latest one (a double submit).
    """
    note = one_line(note)
    if status not in ACTION_STATUSES:
        raise ValueError("unknown status")
    if len(note) > LOG_NOTE_MAX:
        raise ValueError("note too long")
    with immediate(db):
        if action_of(db, partnership_id, action_id) is None:
            raise LookupError(action_id)
        last = db.execute("select at, status, note from action_log where action_id = ? "
                          "order by id desc limit 1", [action_id]).fetchone()
        if last is not None and tuple(last) == (at.isoformat(), status, note):
            raise Duplicate()   # the same entry sent twice in a row: a double submit
        later = db.execute("select 1 from action_log where action_id = ? and at > ?",
                           [action_id, at.isoformat()]).fetchone()
        log_id = db.execute("insert into action_log (action_id, at, status, note) "
                            "values (?, ?, ?, ?)",
                            [action_id, at.isoformat(), status, note]).lastrowid
        if not later:
            db.execute("update action set status = ?, updated_at = datetime('now') "
                       "where id = ?", [status, action_id])
    return log_id


def progress(db: Database, partnership_id: int, action_id: int) -> list[dict]:
    """An action's progress log, newest first."""
    return list(db.query("""
        select l.* from action_log l join action a on a.id = l.action_id
        where l.action_id = ? and a.partnership_id = ? order by l.at desc, l.id desc""",
                         [action_id, partnership_id]))


def owners(db: Database, partnership_id: int) -> list[str]:
    return [r["owner"] for r in db.query(
        "select distinct owner from action where partnership_id = ? order by owner",
        [partnership_id])]

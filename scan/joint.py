"""Joint scoring (samen scoren): the partnership decides together where it stands.

A joint scoring session is a workshop of kind 'joint' for one round and one
set. For each of its dimensions in turn the facilitator moves through three
steps:

1. place  - every participant places the partnership on the set's scale, on
            their phone, silently; they may change it until the next step;
2. spread - the placements are shown (and fixed from then on);
3. agree  - the group records a joint score, what it is based on (evidence)
            and perhaps a next step, which becomes an action.

Anonymity, the same promise as the survey (docs/privacy.md):
- A placement is linked to its participant only while it may still change.
  Revealing the spread cuts the link (participant_id = null); only the partner
  type stays, for colouring.
- A distribution of fewer than MIN_SHOWN placements is not shown. It is
  coloured by partner type only when every partner type in it has at least
  MIN_SHOWN placements; otherwise one colour, so no one stands out and no
  small group can be worked out by subtracting the others from the total.
- Sticky notes never record who wrote them, and are listed in alphabetical
  order, not in the order they came in.
- A dot vote's totals appear only after the vote ends (a running total would
  show each new voter's dots) and only from MIN_SHOWN voters; then each
  person's dots are replaced by the totals.
- Closing the session forgets the participants (scan.workshops.set_status), and
  placements on themes never revealed are deleted: a reopened session starts
  those themes empty, so its spread holds only who placed after reopening.
- Seats are counted, because one phone could join hundreds of times and then
  outnumber (and so read off) a lone real participant. A session takes at most
  MAX_SEATS seats; the facilitator may give the number expected in the room
  (no more seats than that) or lock joining once the room is in. The
  projector shows seats joined against the number expected, and how many of
  them placed, so a flood is visible to everyone in the room.

Screens follow `workshop.version`, which goes up with every change the
facilitator makes. Placements, joins and notes do not bump it, so 60 phones do
not all redraw whenever one person places; the projector polls their counts.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from scan.database import immediate
from scan.ranking import by_dots
from scan.workshops import Duplicate, insert_action, open_session

STEPS = ("place", "spread", "agree")
MIN_SHOWN = 3
NOTE_MAX = 280
EVIDENCE_MAX = 2000
MAX_DOTS = 10
TIMER_MAX_MINUTES = 60
PARTNER_TYPES = ("school", "bestuur", "instituut")
MAX_SEATS = 150      # a large workshop room; beyond it seats are a flood, not people


class NotNow(Exception):
    """The step this asks for is not the step the session is in (e.g. placing after the reveal)."""


class SessionFull(Exception):
    """No more seats: joining is locked, or the expected number (or MAX_SEATS) joined."""


class OutOfScale(ValueError):
    """A value that is not a point of the set's scale."""


@dataclass(frozen=True)
class Room:
    """Who is in: seats joined, how many of them placed on the theme on screen, and
    what the facilitator expects. More seats than expected is shown on the projector."""

    joined: int
    placed: int
    expected: int | None
    locked: bool

    @property
    def crowded(self) -> bool:
        """More seats than the facilitator expected, or seats that never place."""
        return self.expected is not None and self.joined > self.expected


@dataclass(frozen=True)
class Spread:
    """The placements for one dimension, as far as they may be shown."""

    placed: int
    counts: dict | None            # scale value -> number; None below MIN_SHOWN
    by_type: dict | None           # partner type -> {value: n}; None unless each type >= 3
    mean: float | None

    @property
    def shown(self) -> bool:
        return self.counts is not None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _session(db: Database, workshop_id: int) -> dict:
    return open_session(db, workshop_id, "joint")


def _bump(db: Database, workshop_id: int) -> None:
    db.execute("update workshop set version = version + 1 where id = ?", [workshop_id])


# ---- reading -------------------------------------------------------------------------

def dimensions(db: Database, workshop_id: int) -> list[dict]:
    """The session's dimensions in the order discussed."""
    return list(db.query("select * from joint_dimension where workshop_id = ? order by position",
                         [workshop_id]))


def current(db: Database, workshop: dict, rows: list[dict] | None = None) -> dict | None:
    """The dimension on screen: from `rows` when the caller read them already, else that
    row alone (every phone's poll asks, every 2 seconds; reading all of a session's
    rows as dicts took most of a poll's database time)."""
    if rows is not None:
        return rows[min(workshop["position"], len(rows) - 1)] if rows else None
    on_screen = "select * from joint_dimension where workshop_id = ? order by position "
    return (next(db.query(on_screen + "limit 1 offset ?", [workshop["id"], workshop["position"]]),
                 None)
            or next(db.query(on_screen + "desc limit 1", [workshop["id"]]), None))


def _total(db: Database, workshop_id: int) -> int:
    return db.execute("select count(*) from joint_dimension where workshop_id = ?",
                      [workshop_id]).fetchone()[0]


def seconds_left(workshop: dict, now: datetime | None = None) -> int | None:
    """Seconds on the facilitator's timer; None without a timer. The server's clock
    counts, so a phone with a wrong clock still shows the right time."""
    if not workshop["timer_ends"]:
        return None
    ends = datetime.fromisoformat(workshop["timer_ends"])
    return max(0, round((ends - (now or _now())).total_seconds()))


def state(db: Database, workshop: dict, rows: list[dict] | None = None) -> dict:
    """What every screen needs to know whether to redraw: small, for polling (two small
    reads, or none when the caller read the rows already)."""
    total = len(rows) if rows is not None else _total(db, workshop["id"])
    here = current(db, workshop, rows)
    return {"version": workshop["version"], "status": workshop["status"],
            "position": workshop["position"], "total": total,
            "dimension": here["dimension_id"] if here else None,
            "step": here["step"] if here else None,
            "timer": seconds_left(workshop), "dots": workshop["dots"]}


def counts(db: Database, workshop: dict, rows: list[dict] | None = None) -> dict:
    """The projector's live numbers: who joined, how many placed, notes waiting, voters."""
    here = current(db, workshop, rows)
    dimension = here["dimension_id"] if here else ""
    row = db.execute("""
        select (select count(*) from participant where workshop_id = :w),
               (select count(*) from placement where workshop_id = :w and dimension_id = :d),
               (select count(*) from sticky_note where workshop_id = :w and dimension_id = :d),
               (select count(distinct participant_id) from dot where workshop_id = :w)""",
                     {"w": workshop["id"], "d": dimension}).fetchone()
    return {"participants": row[0], "placed": row[1],
            "notes": row[2] if here and not here["notes_shown"] else 0, "voters": row[3]}


def room(db: Database, workshop: dict, rows: list[dict] | None = None) -> Room:
    """The room check the projector shows beside the join code."""
    live = counts(db, workshop, rows)
    return Room(live["participants"], live["placed"], workshop["expected_seats"],
                bool(workshop["joining_locked"]))


def participant(db: Database, workshop_id: int, token: str | None) -> dict | None:
    if not token:
        return None
    return next(db.query("select * from participant where workshop_id = ? and token_hash = ?",
                         [workshop_id, _hash(token)]), None)


def own_placement(db: Database, workshop_id: int, participant_id: int,
                  dimension_id: str) -> int | None:
    """A participant's own placement, while it is still theirs (before the reveal)."""
    row = db.execute("select value from placement where workshop_id = ? and dimension_id = ? "
                     "and participant_id = ?",
                     [workshop_id, dimension_id, participant_id]).fetchone()
    return row[0] if row else None


def spread(db: Database, workshop_id: int, dimension_id: str) -> Spread:
    rows = db.execute("select partner_type, value from placement where workshop_id = ? "
                      "and dimension_id = ?", [workshop_id, dimension_id]).fetchall()
    if len(rows) < MIN_SHOWN:
        return Spread(len(rows), None, None, None)
    counts_ = Counter(value for _type, value in rows)
    per_type: dict[str, Counter] = {}
    for partner_type, value in rows:
        per_type.setdefault(partner_type, Counter())[value] += 1
    coloured = (len(per_type) > 1
                and all(sum(c.values()) >= MIN_SHOWN for c in per_type.values()))
    return Spread(len(rows), dict(counts_),
                  {t: dict(c) for t, c in per_type.items()} if coloured else None,
                  sum(v for _t, v in rows) / len(rows))


def notes(db: Database, workshop_id: int, dimension_id: str) -> list[str]:
    return [r[0] for r in db.execute("select body from sticky_note where workshop_id = ? "
                                     "and dimension_id = ? order by body",
                                     [workshop_id, dimension_id])]


def own_dots(db: Database, workshop_id: int, participant_id: int) -> dict[str, int]:
    return dict(db.execute("select dimension_id, dots from dot where workshop_id = ? "
                           "and participant_id = ?", [workshop_id, participant_id]).fetchall())


def _running_tally(db: Database, workshop_id: int) -> dict[str, int] | None:
    voters = db.execute("select count(distinct participant_id) from dot where workshop_id = ?",
                        [workshop_id]).fetchone()[0]
    if voters < MIN_SHOWN:
        return None
    return dict(db.execute("select dimension_id, sum(dots) from dot where workshop_id = ? "
                           "group by dimension_id", [workshop_id]).fetchall())


def tally(db: Database, workshop_id: int) -> dict[str, int] | None:
    """Dots per dimension of the last vote that ended with at least MIN_SHOWN voters."""
    found = dict(db.execute("select dimension_id, dots from joint_dimension "
                            "where workshop_id = ? and dots > 0", [workshop_id]).fetchall())
    return found or None


def seats(db: Database, workshop_id: int) -> list[tuple[str, str, int]]:
    """Who is in the room, counted per partner type and role (never a placement)."""
    return db.execute("select partner_type, role, count(*) from participant where workshop_id = ? "
                      "group by partner_type, role order by partner_type, role",
                      [workshop_id]).fetchall()


def agreed_scores(db: Database, round_id: int, set_id: str) -> dict[str, dict]:
    """Per dimension, the joint score most recently agreed for this round and set,
    with its evidence and the session it was agreed in."""
    rows = db.query("""
        select j.dimension_id, j.score, j.evidence, j.agreed_at, w.id as workshop_id,
               w.title, w.held_on
        from joint_dimension j join workshop w on w.id = j.workshop_id
        where w.round_id = ? and w.set_id = ? and j.score is not null
        order by w.held_on, j.agreed_at, w.id""", [round_id, set_id])
    return {r["dimension_id"]: r for r in rows}


# ---- participants --------------------------------------------------------------------

def join(db: Database, workshop_id: int, partner_type: str, role: str) -> str:
    """A participant joins; the token (kept on their phone) is returned once."""
    if partner_type not in PARTNER_TYPES:
        raise ValueError(partner_type)
    token = secrets.token_urlsafe(18)
    with immediate(db):
        session = _session(db, workshop_id)
        _seat_free(db, session)
        db.execute("insert into participant (workshop_id, token_hash, partner_type, role) "
                   "values (?, ?, ?, ?)", [workshop_id, _hash(token), partner_type, role])
    return token


def _seat_free(db: Database, session: dict) -> None:
    if session["joining_locked"]:
        raise SessionFull()
    joined = db.execute("select count(*) from participant where workshop_id = ?",
                        [session["id"]]).fetchone()[0]
    if joined >= min(session["expected_seats"] or MAX_SEATS, MAX_SEATS):
        raise SessionFull()


def set_joining(db: Database, workshop_id: int, expected: int | None, locked: bool) -> None:
    """The facilitator's room check: the number of people expected (None: not given)
    and whether joining is locked. Seats already in stay."""
    if expected is not None and not 1 <= expected <= MAX_SEATS:
        raise ValueError(expected)
    with immediate(db):
        _session(db, workshop_id)
        db.execute("update workshop set expected_seats = ?, joining_locked = ?, "
                   "version = version + 1 where id = ?", [expected, int(locked), workshop_id])


def _in_step(db: Database, workshop_id: int, dimension_id: str, step: str) -> dict:
    session = _session(db, workshop_id)
    here = current(db, session)
    if here is None or here["dimension_id"] != dimension_id or here["step"] != step:
        raise NotNow()
    return here


def place(db: Database, workshop_id: int, who: dict, dimension_id: str, value: int,
          scale: tuple[int, ...]) -> None:
    """Place (or move) one's placement for the dimension on screen, while placing is open.

    One row per participant and dimension: a double tap or a second device
    replaces the value instead of adding a second placement.
    """
    if value not in scale:
        raise OutOfScale(value)
    with immediate(db):
        _in_step(db, workshop_id, dimension_id, "place")
        db.execute("""insert into placement (workshop_id, dimension_id, participant_id,
                                             partner_type, value) values (?, ?, ?, ?, ?)
                      on conflict (workshop_id, dimension_id, participant_id)
                      do update set value = excluded.value""",
                   [workshop_id, dimension_id, who["id"], who["partner_type"], value])


def add_note(db: Database, workshop_id: int, dimension_id: str, body: str) -> None:
    """An anonymous sticky note on the dimension on screen. The same text twice
    (a double tap) is kept once."""
    body = body.strip()
    if not body or len(body) > NOTE_MAX:
        raise ValueError("note length")
    with immediate(db):
        session = _session(db, workshop_id)
        here = current(db, session)
        if here is None or here["dimension_id"] != dimension_id:
            raise NotNow()
        if db.execute("select 1 from sticky_note where workshop_id = ? and dimension_id = ? "
                      "and body = ?", [workshop_id, dimension_id, body]).fetchone():
            raise Duplicate()
        db.execute("insert into sticky_note (workshop_id, dimension_id, body) values (?, ?, ?)",
                   [workshop_id, dimension_id, body])


def cast_dots(db: Database, workshop_id: int, who: dict, dots: dict[str, int]) -> None:
    """A participant's dots for the running vote; sending again replaces them."""
    with immediate(db):
        session = _session(db, workshop_id)
        if not session["dots"]:
            raise NotNow()
        ours = {d["dimension_id"] for d in dimensions(db, workshop_id)}
        if (set(dots) - ours or any(n < 0 for n in dots.values())
                or sum(dots.values()) > session["dots"]):
            raise ValueError("dots")
        db.execute("delete from dot where workshop_id = ? and participant_id = ?",
                   [workshop_id, who["id"]])
        db.conn.executemany("insert into dot (workshop_id, participant_id, dimension_id, dots) "
                            "values (?, ?, ?, ?)",
                            [(workshop_id, who["id"], d, n) for d, n in dots.items() if n])


# ---- the facilitator -----------------------------------------------------------------

def go_to(db: Database, workshop_id: int, position: int) -> None:
    """Put another dimension on screen; the timer stops."""
    with immediate(db):
        _session(db, workshop_id)
        last = len(dimensions(db, workshop_id)) - 1
        if not 0 <= position <= last:
            raise IndexError(position)
        db.execute("update workshop set position = ?, timer_ends = null, version = version + 1 "
                   "where id = ?", [position, workshop_id])


def set_step(db: Database, workshop_id: int, step: str) -> None:
    """Move the dimension on screen to a step. Revealing the spread fixes the
    placements and forgets who placed them; after that there is no way back to placing."""
    if step not in STEPS:
        raise ValueError(step)
    with immediate(db):
        session = _session(db, workshop_id)
        here = current(db, session)
        if here is None or (step == "place" and here["step"] != "place"):
            raise NotNow()
        if step != "place":
            db.execute("update placement set participant_id = null where workshop_id = ? "
                       "and dimension_id = ?", [workshop_id, here["dimension_id"]])
        db.execute("update joint_dimension set step = ? where workshop_id = ? "
                   "and dimension_id = ?", [step, workshop_id, here["dimension_id"]])
        _bump(db, workshop_id)


def set_timer(db: Database, workshop_id: int, minutes: int, now: datetime | None = None) -> None:
    """Start a timer of this many minutes (0 stops it)."""
    if not 0 <= minutes <= TIMER_MAX_MINUTES:
        raise ValueError(minutes)
    ends = ((now or _now()) + timedelta(minutes=minutes)).isoformat() if minutes else None
    with immediate(db):
        _session(db, workshop_id)
        db.execute("update workshop set timer_ends = ?, version = version + 1 where id = ?",
                   [ends, workshop_id])


def show_notes(db: Database, workshop_id: int) -> None:
    with immediate(db):
        here = current(db, _session(db, workshop_id))
        if here is None:
            raise NotNow()
        db.execute("update joint_dimension set notes_shown = 1 where workshop_id = ? "
                   "and dimension_id = ?", [workshop_id, here["dimension_id"]])
        _bump(db, workshop_id)


def start_vote(db: Database, workshop_id: int, dots: int) -> None:
    """A dot vote: every participant gets this many dots to spread over the dimensions."""
    if not 1 <= dots <= MAX_DOTS:
        raise ValueError(dots)
    with immediate(db):
        _session(db, workshop_id)
        db.execute("delete from dot where workshop_id = ?", [workshop_id])
        db.execute("update workshop set dots = ?, version = version + 1 where id = ?",
                   [dots, workshop_id])


def end_vote(db: Database, workshop_id: int) -> dict[str, int] | None:
    """Close the vote and put the dimensions not yet agreed in order of dots, most
    first, after the one on screen. Too few voters: the order stays. Only the
    totals are kept."""
    with immediate(db):
        session = _session(db, workshop_id)
        if not session["dots"]:
            raise NotNow()
        votes = _running_tally(db, workshop_id)
        db.execute("update workshop set dots = 0, version = version + 1 where id = ?",
                   [workshop_id])
        db.execute("delete from dot where workshop_id = ?", [workshop_id])
        db.execute("update joint_dimension set dots = 0 where workshop_id = ?", [workshop_id])
        if votes:
            db.conn.executemany("update joint_dimension set dots = ? where workshop_id = ? "
                                "and dimension_id = ?",
                                [(n, workshop_id, d) for d, n in votes.items()])
            _reorder(db, session, votes)
        return votes


def _reorder(db: Database, session: dict, votes: dict[str, int]) -> None:
    rows = dimensions(db, session["id"])
    keep = rows[:session["position"] + 1]
    rest = rows[session["position"] + 1:]
    done = [r for r in rest if r["score"] is not None]
    todo = sorted((r for r in rest if r["score"] is None),
                  key=lambda r: (-votes.get(r["dimension_id"], 0), r["position"]))
    for n, row in enumerate(keep + todo + done):
        db.execute("update joint_dimension set position = ? where workshop_id = ? "
                   "and dimension_id = ?", [n, session["id"], row["dimension_id"]])


def agree(db: Database, workshop_id: int, dimension_id: str, score: int, evidence: str,
          scale: tuple[int, ...], next_step: tuple[str, str, date | None] | None = None) -> None:
    """Record the joint score and its evidence for a revealed dimension; a next step
    (text, owner, due date) becomes an action in the action plan. Sending the same
    agreement again changes nothing and adds no second action."""
    if score not in scale:
        raise OutOfScale(score)
    evidence = evidence.strip()
    if not evidence or len(evidence) > EVIDENCE_MAX:
        raise ValueError("evidence")
    with immediate(db):
        session = _session(db, workshop_id)
        row = next((d for d in dimensions(db, workshop_id)
                    if d["dimension_id"] == dimension_id), None)
        if row is None:
            raise LookupError(dimension_id)
        if row["step"] == "place":
            raise NotNow()
        db.execute("""update joint_dimension set score = ?, evidence = ?, step = 'agree',
                      agreed_at = coalesce(agreed_at, datetime('now'))
                      where workshop_id = ? and dimension_id = ?""",
                   [score, evidence, workshop_id, dimension_id])
        if next_step and next_step[0].strip():
            text, owner, due_on = next_step
            try:
                insert_action(db, session["partnership_id"], text, owner, due_on,
                              dimension_id, workshop_id, None)
            except Duplicate:
                pass  # the same agreement sent twice: one action
        _bump(db, workshop_id)


# ---- the dot vote's result ----------------------------------------------------------

def vote_choices(rows: list[dict]) -> list[dict]:
    """What a dot vote is over: the themes still to score. A vote over one theme
    (or none) decides nothing, so it is not offered."""
    return [r for r in rows if r["score"] is None]


def can_vote(rows: list[dict]) -> bool:
    return len(vote_choices(rows)) > 1


def ranking(rows: list[dict]) -> list[tuple[int, dict]]:
    """The last vote's totals as a ranking, most dots first; equal totals share a
    place (1, 2, 2, 4), in the order the themes were scored (scan.ranking). Only the
    totals were kept (see end_vote), so this is all anyone can see of the vote."""
    return by_dots(rows, came_up="position")

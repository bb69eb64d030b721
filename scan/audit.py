"""The audit log (logboek): who did what, when, and what was refused.

Nothing is ever deleted from it, and nothing can be buried in it: the log is
read a page at a time, filtered by who, what and when. Events anyone can cause
without being known to us (failed sign-ins, refused pages) are *summarised*:
one row per hour, action, account and partnership with a count, and the first
few addresses they came from. Ten thousand failed sign-ins in an hour are one
line; a coordinator's invitation stays a line of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from scan.database import immediate

PAGE_SIZE = 100
DETAIL_LENGTH = 500


@dataclass(frozen=True)
class Filters:
    """What a reader narrows the log to; empty fields filter nothing."""

    actor: str = ""        # part of an e-mail address
    action: str = ""       # one action exactly
    since: str = ""        # ISO date, inclusive, a day in Dutch time
    until: str = ""        # ISO date, inclusive, a day in Dutch time


# The log stores UTC; its readers see and pick days on Dutch clocks (scan.web.times).
LOCAL = ZoneInfo("Europe/Amsterdam")


def day_start(day: str, later: int = 0) -> str:
    """The stored (UTC) moment a Dutch calendar day starts, `later` days on."""
    start = datetime.combine(date.fromisoformat(day) + timedelta(days=later), time(),
                             LOCAL)
    return start.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def record(db: Database, action: str, user_id: int | None = None,
           partnership_id: int | None = None, detail: str = "") -> None:
    """One line in the audit log of privileged actions."""
    with immediate(db):
        db.execute("insert into audit (user_id, partnership_id, action, detail) "
                   "values (?, ?, ?, ?)", [user_id, partnership_id, action,
                                            detail[:DETAIL_LENGTH]])


def record_summarised(db: Database, action: str, user_id: int | None = None,
                      partnership_id: int | None = None, source: str = "") -> None:
    """Count an event into this hour's line for (action, account, partnership).

    `source` (an address, a page) is added to the line's detail while there is
    room, so a reader sees where most of it came from without a line per try.
    """
    with immediate(db):
        line = db.execute("""
            select id, detail from audit
            where action = ? and user_id is ? and partnership_id is ? and count > 0
              and at >= strftime('%Y-%m-%d %H:00:00', 'now') order by id desc limit 1""",
                          [action, user_id, partnership_id]).fetchone()
        if line is None:
            db.execute("insert into audit (user_id, partnership_id, action, detail, count) "
                       "values (?, ?, ?, ?, 1)",
                       [user_id, partnership_id, action, source[:DETAIL_LENGTH]])
            return
        detail = line[1]
        if source and source not in detail.split(", ") and \
                len(detail) + len(source) + 2 <= DETAIL_LENGTH:
            detail = f"{detail}, {source}" if detail else source
        db.execute("update audit set count = count + 1, detail = ? where id = ?",
                   [detail, line[0]])


def _where(partnership_id: int | None, filters: Filters) -> tuple[str, list]:
    clauses, args = [], []
    if partnership_id is not None:
        clauses.append("a.partnership_id = ?")
        args.append(partnership_id)
    if filters.actor:
        clauses.append("u.email like ? escape '\\'")
        escaped = filters.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"%{escaped}%")
    if filters.action:
        clauses.append("a.action = ?")
        args.append(filters.action)
    if filters.since:
        clauses.append("a.at >= ?")
        args.append(day_start(filters.since))
    if filters.until:
        clauses.append("a.at < ?")
        args.append(day_start(filters.until, later=1))
    return ("where " + " and ".join(clauses)) if clauses else "", args


def entries(db: Database, partnership_id: int | None = None, filters: Filters = Filters(),
            page: int = 1, size: int = PAGE_SIZE) -> tuple[list[dict], bool]:
    """One page of the log, newest first, and whether an older page follows.
    `partnership_id`: that partnership's lines only (its coordinators' view)."""
    where, args = _where(partnership_id, filters)
    rows = list(db.query(f"""
        select a.at, a.action, a.detail, a.count, u.email, p.name as partnership
        from audit a left join user u on u.id = a.user_id
        left join partnership p on p.id = a.partnership_id
        {where} order by a.id desc limit ? offset ?""",
                         [*args, size + 1, (max(page, 1) - 1) * size]))
    return rows[:size], len(rows) > size


def actions(db: Database, partnership_id: int | None = None) -> list[str]:
    """The actions that occur in a log, for the filter's choices."""
    if partnership_id is None:
        return [r["action"] for r in db.query("select distinct action from audit order by 1")]
    return [r["action"] for r in db.query(
        "select distinct action from audit where partnership_id = ? order by 1",
        [partnership_id])]

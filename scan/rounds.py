"""Scan rounds (scanrondes) and their group links, one per partner and role."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from sqlite_utils import Database

from scan.database import immediate
from scan.personal import forget_addresses
from scan.questions import Catalogue, QuestionSet

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


class DuplicateRound(Exception):
    """A partnership has one round of a title per school year (guards double clicks too)."""


def valid_school_year(text: str) -> bool:
    """A school year is written as two consecutive years, e.g. 2025-2026."""
    match = SCHOOL_YEAR.match(text.strip())
    return bool(match) and int(match[2]) == int(match[1]) + 1 and 2000 <= int(match[1]) <= 2100


def school_year_of(day: date) -> str:
    """The school year a day falls in; a new one starts on 1 August."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def new_token() -> str:
    return secrets.token_urlsafe(12)


def create_round(db: Database, partnership_id: int, school_year: str, title: str,
                 sets: Iterable[QuestionSet], partner_ids: Iterable[int] = (),
                 roles: Iterable[str] = (), pairs: Iterable[tuple[int, str]] = (),
                 expected: int | None = None) -> int:
    """Open a round with a group link for every partner × role, and for each of `pairs`,
    each expecting `expected` people (see add_pairs)."""
    with immediate(db):
        if db.execute("select 1 from round where partnership_id = ? and school_year = ? "
                      "and lower(title) = lower(?)",
                      [partnership_id, school_year.strip(), title.strip()]).fetchone():
            raise DuplicateRound()
        round_id = db.execute(
            "insert into round (partnership_id, school_year, title) values (?, ?, ?)",
            [partnership_id, school_year.strip(), title.strip()]).lastrowid
        db.conn.executemany(
            """insert into round_set (round_id, set_id, set_version, item_ids, position)
               values (?, ?, ?, ?, ?)""",
            [(round_id, s.id, s.version, json.dumps([i.id for i in s.items]), n)
             for n, s in enumerate(sets)])
        roles = list(roles)
        add_pairs(db, round_id, [*((p, r) for p in partner_ids for r in roles), *pairs],
                  expected)
    return round_id


def add_links(db: Database, round_id: int, partner_ids: Iterable[int],
              roles: Iterable[str], expected: int | None = None) -> None:
    """Group links for every partner × role."""
    roles = list(roles)
    add_pairs(db, round_id, [(p, r) for p in partner_ids for r in roles], expected)


def add_pairs(db: Database, round_id: int, pairs: Iterable[tuple[int, str]],
              expected: int | None = None) -> None:
    """Group links for (partner, role) pairs; a link switched off before comes back on,
    with its old address, so what was shared still works.

    `expected` is the number of people each new link expects (group_link.invited): its
    questionnaires count towards k up to that number, and a link without one counts
    none (docs/privacy.md, "who counts"). A link switched on again keeps its number
    unless a new one is given."""
    with immediate(db):
        db.conn.executemany(
            """insert into group_link (round_id, partner_id, role, token, invited)
               values (?, ?, ?, ?, ?)
               on conflict (round_id, partner_id, role) do update
               set active = 1, invited = coalesce(excluded.invited, invited)""",
            [(round_id, p, r, new_token(), expected) for p, r in pairs])


def set_link_active(db: Database, round_id: int, link_id: int, active: bool) -> None:
    """Switch a group link off (it takes no new questionnaires) or on again. Those who
    started through it can still finish: their answers are theirs to complete."""
    with immediate(db):
        db.execute("update group_link set active = ? where id = ? and round_id = ?",
                   [int(active), link_id, round_id])


def set_invited(db: Database, round_id: int, invited: dict[int, int | None]) -> None:
    """The coordinator's count of people asked per link, for the response rate."""
    with immediate(db):
        db.conn.executemany("update group_link set invited = ? where id = ? and round_id = ?",
                            [(n, link_id, round_id) for link_id, n in invited.items()])


def set_closing_date(db: Database, round_id: int, closes_on: str | None) -> None:
    """The round closes itself at the end of this day (ISO date; None: no date)."""
    with immediate(db):
        db.execute("update round set closes_on = ? where id = ?", [closes_on, round_id])


def due_for_closing(db: Database, today: str) -> list[int]:
    """Open rounds whose closing date has passed (closing happens the day after)."""
    return [r[0] for r in db.execute(
        "select id from round where status = 'open' and closes_on is not null "
        "and closes_on < ?", [today]).fetchall()]


def close_when_due(db: Database, round_id: int, today: str) -> bool:
    """Close the round if it is still open and its date has passed; True if this call
    closed it (another worker, or a coordinator reopening it, may have come first)."""
    with immediate(db):
        closed = db.execute("""update round set status = 'closed', closed_at = datetime('now')
                               where id = ? and status = 'open' and closes_on < ?""",
                            [round_id, today]).rowcount == 1
        if closed:
            forget_addresses(db, round_id)
        return closed


def response_rate(links: list[dict], k: int) -> dict:
    """Completed against invited, per link and overall, where the coordinator gave the
    number invited. A rate is only given for at least k completed: with the number
    invited known, a rate below that would name the count the page keeps back."""
    per_link = {x["id"]: round(100 * x["completed"] / x["invited"])
                for x in links if x["invited"] and x["completed"] >= k}
    counted = [x for x in links if x["invited"]]
    completed = sum(x["completed"] for x in counted)
    invited = sum(x["invited"] for x in counted)
    # Overall only when every counted link shows its own rate: otherwise the overall
    # rate times the invited total, minus the links shown, names a hidden count.
    every_shown = bool(counted) and all(x["id"] in per_link for x in counted)
    overall = round(100 * completed / invited) if every_shown else None
    return {"links": per_link, "overall": overall, "invited": invited}


def by_partner(links: list[dict], k: int) -> list[dict]:
    """The response per partner, its links (one per role) under it, in the links' order.

    A partner's count adds up its links, but a link's count below k reads "fewer
    than k": where exactly one of a partner's links is that small, the partner's
    total would name it (total minus the others), so the total then counts only the
    links that show their number and `few_left_out` says one small link is left out.
    `rate` is the partner's response rate under the rules of response_rate.
    """
    grouped: dict[int, list[dict]] = {}
    for link in links:
        grouped.setdefault(link["partner_id"], []).append(link)
    return [{"id": own[0]["partner_id"], "name": own[0]["partner"],
             "type": own[0]["partner_type"], "links": own,
             **_partner_counts(own, k), "rate": response_rate(own, k)["overall"]}
            for own in grouped.values()]


def _partner_counts(own: list[dict], k: int) -> dict:
    counts = {}
    for key in ("started", "completed"):
        few = [x["id"] for x in own if 0 < x[key] < k]
        counts[key] = sum(x[key] for x in own if len(few) != 1 or x["id"] not in few)
        counts[f"{key}_few_left_out"] = len(few) == 1
    return counts


def partnership_of(db: Database, round_id: int) -> int:
    return db.execute("select partnership_id from round where id = ?", [round_id]).fetchone()[0]


def busy(db: Database, round_id: int) -> int:
    """People who started the questionnaire and have not sent it in yet."""
    return db.execute("select count(*) from respondent where round_id = ? "
                      "and submitted_at is null", [round_id]).fetchone()[0]


def round_of(db: Database, partnership_id: int, round_id: int) -> dict | None:
    """A round, but only when it belongs to this partnership."""
    return next(db.query("select * from round where id = ? and partnership_id = ?",
                         [round_id, partnership_id]), None)


def rounds(db: Database, partnership_id: int) -> list[dict]:
    return list(db.query("""
        select r.*,
          (select count(*) from respondent x where x.round_id = r.id) as started,
          (select count(*) from respondent x where x.round_id = r.id
             and x.submitted_at is not null) as completed,
          (select group_concat(set_id, ', ') from round_set s where s.round_id = r.id) as sets
        from round r where r.partnership_id = ?
        order by r.school_year desc, r.id desc""", [partnership_id]))


def rounds_asking(db: Database, partnership_id: int, set_id: str) -> list[dict]:
    """The partnership's rounds that asked a set, newest school year first, each with
    the items it asked of that set (`item_ids`, see `as_asked`). One read: what the
    years page and "since last year" need, without counting anyone's responses."""
    return list(db.query("""
        select r.*, s.item_ids from round r
        join round_set s on s.round_id = r.id and s.set_id = ?
        where r.partnership_id = ?
        order by r.school_year desc, r.id desc""", [set_id, partnership_id]))


def as_asked(catalogue: Catalogue, set_id: str, item_ids: str) -> QuestionSet | None:
    """A set as a round asked it, from its round_set row's `item_ids` (see round_sets)."""
    qset = catalogue.sets.get(set_id)
    return None if qset is None else _as_asked(qset, json.loads(item_ids))


def round_sets(db: Database, catalogue: Catalogue, round_id: int) -> list[QuestionSet]:
    """The sets a round asks, in order, with exactly the items that round asked.

    A set edited since (an item removed, renamed or added) must not change what
    an old round asked or how its results read: reports, exports, the years
    page and the questionnaire itself all work on these items. Items the
    question files no longer hold are left out, as there is no text to show.
    """
    rows = db.query("select set_id, item_ids from round_set where round_id = ? "
                    "order by position", [round_id])
    return [_as_asked(catalogue.sets[r["set_id"]], json.loads(r["item_ids"]))
            for r in rows if r["set_id"] in catalogue.sets]


def _as_asked(qset: QuestionSet, item_ids: list[str]) -> QuestionSet:
    asked = set(item_ids)
    if asked >= {i.id for i in qset.items}:
        return qset
    dimensions = [replace(d, items=tuple(i for i in d.items if i.id in asked))
                  for d in qset.dimensions]
    return replace(qset, dimensions=tuple(d for d in dimensions if d.items))


def sets_used(db: Database, catalogue: Catalogue, partnership_id: int) -> list[QuestionSet]:
    """Every set this partnership has asked in any round, for the years comparison."""
    rows = db.query("""select distinct s.set_id from round_set s join round r on r.id = s.round_id
                       where r.partnership_id = ? order by s.set_id""", [partnership_id])
    return [catalogue.sets[r["set_id"]] for r in rows if r["set_id"] in catalogue.sets]


def links(db: Database, round_id: int) -> list[dict]:
    """Group links with their partner and response counts (started, completed).

    Two reads rather than one join grouped per link: the counts come from the
    respondent index alone, and a round of 8,000 links reads in a tenth of the time.
    """
    counts = {row[0]: (row[1], row[2]) for row in db.execute(
        """select group_link_id, count(*), count(submitted_at) from respondent
           where round_id = ? group by group_link_id""", [round_id])}
    found = []
    for row in db.query("""
            select l.id, l.role, l.token, l.active, l.invited, p.name as partner,
                   p.type as partner_type, p.sector, p.id as partner_id
            from group_link l join partner p on p.id = l.partner_id
            where l.round_id = ? order by p.type, p.name, l.role""", [round_id]):
        row["started"], row["completed"] = counts.get(row["id"], (0, 0))
        found.append(row)
    return found


def response_totals(db: Database, round_id: int) -> tuple[int, int]:
    """How many people started the questionnaire in this round, and how many sent it in."""
    started, submitted = db.execute(
        "select count(*), count(submitted_at) from respondent where round_id = ?",
        [round_id]).fetchone()
    return started, submitted


def link(db: Database, round_id: int, link_id: int) -> dict | None:
    return next((x for x in links(db, round_id) if x["id"] == link_id), None)


def link_by_token(db: Database, token: str) -> dict | None:
    """The group link a respondent opened, with its round and partner."""
    return next(db.query("""
        select l.id, l.round_id, l.role, l.active, p.name as partner, p.sector, r.status,
               r.school_year, r.title, r.partnership_id, r.closed_at, r.closes_on,
               s.name as partnership
        from group_link l join round r on r.id = l.round_id
        join partner p on p.id = l.partner_id
        join partnership s on s.id = r.partnership_id
        where l.token = ?""", [token]), None)


def set_status(db: Database, round_id: int, status: str) -> None:
    """Open or close the round. Closing erases the addresses of personal invitations
    (data minimisation): nobody is invited or reminded after it."""
    today = date.today().isoformat()   # the same clock as the closing sweep
    with immediate(db):
        if status == "closed":
            forget_addresses(db, round_id)
        # Reopening forgets a closing date that has passed, or the round would
        # close itself again at the next request.
        db.execute("""update round set status = ?,
                      closed_at = case when ? = 'closed' then datetime('now') end,
                      closes_on = case when ? = 'open' and closes_on < ? then null
                                  else closes_on end
                      where id = ?""", [status, status, status, today, round_id])


def set_results_mode(db: Database, round_id: int, mode: str) -> None:
    """'closed': results at closing (default); 'interim': released in steps of k people."""
    with immediate(db):
        db.execute("update round set results = ? where id = ?", [mode, round_id])


def padding(db: Database, round_id: int) -> dict:
    """Responses that are not what they seem, for the coordinator's eyes only.

    Sent in with nothing but "don't know" (they count toward nobody's k), and
    questionnaires started again from a browser that already had one for this
    round (a shared computer, or someone filling in twice).
    """
    row = db.execute("""
        select
          (select count(*) from respondent x where x.round_id = ? and x.submitted_at is not null
             and not exists (select 1 from answer a where a.respondent_id = x.id
                             and a.value is not null)),
          (select count(*) from respondent x where x.round_id = ? and x.started_again = 1)""",
                     [round_id, round_id]).fetchone()
    return {"only_dont_know": row[0], "started_again": row[1]}


def set_cap(db: Database, round_id: int, cap: int | None) -> None:
    """The most questionnaires one group link may start (None: no cap)."""
    with immediate(db):
        db.execute("update round set cap_per_link = ? where id = ?", [cap, round_id])


def set_cap_at_expected(db: Database, round_id: int, capped: bool) -> None:
    """Whether group links stop at their expected number of people (scan.responses)."""
    with immediate(db):
        db.execute("update round set cap_at_expected = ? where id = ?", [int(capped), round_id])

"""A respondent's way through a round: start, save page by page, submit.

A respondent has no account; they hold a resume token (hervatlink). Only its
hash is stored, so a copy of the database does not let anyone answer on
someone else's behalf. Saving a page is one transaction and idempotent: the
same page sent twice leaves the same rows.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlite_utils import Database

from scan.database import immediate
from scan.questions import Dimension, QuestionSet
from scan.text import xml_safe

COMMENT_MAX = 4000


class RoundClosed(Exception):
    """The round no longer takes answers."""


class LinkOff(Exception):
    """The coordinator switched this group link off; it starts no new questionnaires."""


class LinkFull(Exception):
    """The group link has started as many questionnaires as the round allows."""


class Gone(RoundClosed):
    """The respondent or its round was removed under the request (a restore, a deletion)."""


class AlreadySubmitted(Exception):
    """The respondent has sent in their answers; they are final."""


class Incomplete(Exception):
    """Submit was asked before every page was saved."""


@dataclass(frozen=True)
class Page:
    """One questionnaire page: one dimension of one set."""

    number: int
    set: QuestionSet
    dimension: Dimension


def pages(sets: list[QuestionSet]) -> list[Page]:
    dims = [(s, d) for s in sets for d in s.dimensions]
    return [Page(n, s, d) for n, (s, d) in enumerate(dims)]


def clean_text(text: str) -> str:
    """Free text without control characters or XML non-characters (they break
    spreadsheets and can hide content), with line breaks and tabs kept and Windows
    line ends made plain."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return xml_safe(text).strip()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Database, round_id: int, link_id: int, again: bool = False,
          token: str | None = None, via: str = "group") -> str:
    """Make a respondent for a group link; returns their resume token.

    `again`: this browser already holds a questionnaire of the round (a shared
    computer, or someone filling in twice); the coordinator sees how often.
    `via` 'personal': started by a personal invitation (scan.personal), which
    brings its own resume token; the switch and cap of the group link are for
    the shared link only.
    """
    token = token or secrets.token_urlsafe(16)
    with immediate(db):
        row = db.execute("select status, cap_per_link from round where id = ?",
                         [round_id]).fetchone()
        if row is None or row[0] != "open":
            raise RoundClosed()
        if via == "group":
            _check_group_link(db, round_id, link_id, row[1])
        db.execute("insert into respondent (round_id, group_link_id, token_hash, started_again, "
                   "via) values (?, ?, ?, ?, ?)",
                   [round_id, link_id, _hash(token), int(again), via])
    return token


def _check_group_link(db: Database, round_id: int, link_id: int, cap: int | None) -> None:
    link = db.execute("select active, invited from group_link where id = ?",
                      [link_id]).fetchone()
    if not link[0]:
        raise LinkOff()
    if cap is not None and db.execute(
            "select count(*) from respondent where group_link_id = ? and via = 'group'",
            [link_id]).fetchone()[0] >= cap:
        raise LinkFull()
    if _beyond_expected(db, round_id, link_id, link[1]):
        raise LinkFull()


def _beyond_expected(db: Database, round_id: int, link_id: int, expected: int | None) -> bool:
    """The link already started as many questionnaires (personal and through the
    shared link) as people are expected in its group (group_link.invited), and the
    round keeps to that cap (the default).

    Anyone holding the link could otherwise fill in extra questionnaires from fresh
    browsers and so lift a group of one real person over k (docs/privacy.md).
    Personal invitations are not stopped here: each is one person.
    """
    if expected is None:
        return False
    capped = db.execute("select cap_at_expected from round where id = ?",
                        [round_id]).fetchone()[0]
    started = db.execute("select count(*) from respondent where group_link_id = ?",
                         [link_id]).fetchone()[0]
    return bool(capped) and started >= expected


def respondent(db: Database, token: str) -> dict | None:
    """The respondent holding this resume token, with their round's state."""
    return next(db.query("""
        select x.*, r.status, r.results, r.title, r.school_year, r.partnership_id,
               r.closed_at, r.closes_on,
               l.role, p.name as partner, p.sector, s.name as partnership
        from respondent x join round r on r.id = x.round_id
        join group_link l on l.id = x.group_link_id
        join partner p on p.id = l.partner_id
        join partnership s on s.id = r.partnership_id
        where x.token_hash = ?""", [_hash(token)]), None)


def saved_page(db: Database, respondent_id: int, dimension: Dimension) -> tuple[dict, str]:
    """What this respondent stored for a page: {item id: value or None} and the comment.

    None stands for "don't know"; items never answered are absent.
    """
    ids = [i.id for i in dimension.items]
    marks = ", ".join("?" for _ in ids)
    found = db.execute(f"""select item_id, value, dont_know from answer
                           where respondent_id = ? and item_id in ({marks})""",
                       [respondent_id, *ids])
    answers = {item: (None if dont_know else value) for item, value, dont_know in found}
    comment = db.execute("select body from comment where respondent_id = ? and dimension_id = ?",
                         [respondent_id, dimension.id]).fetchone()
    return answers, comment[0] if comment else ""


def progress(db: Database, respondent_id: int, reached: int, pages: list[Page]) -> int:
    """How far a respondent is: the page they reached, but never past the first page
    with a statement they have not answered. Routing is read from the question files,
    which may change while a round is open; a page that appears then must still be
    answered before sending in."""
    answered = {r[0] for r in db.execute("select item_id from answer where respondent_id = ?",
                                         [respondent_id])}
    first_open = next((p.number for p in pages
                       if any(i.id not in answered for i in p.dimension.items)), len(pages))
    return min(reached, first_open)


def _check_answers(page: Page, answers: dict) -> None:
    """Refuse anything the page did not ask: a last line behind form validation."""
    allowed = set(page.set.scale.values) | {None}
    if set(answers) - {i.id for i in page.dimension.items}:
        raise ValueError("unknown item")
    if any(v not in allowed for v in answers.values()):
        raise ValueError("value out of range")


def _ensure_writable(db: Database, respondent_id: int) -> None:
    row = db.execute("""select x.submitted_at, r.status from respondent x
                        join round r on r.id = x.round_id where x.id = ?""",
                     [respondent_id]).fetchone()
    if row is None:
        raise Gone()
    submitted_at, status = row
    if status != "open":
        raise RoundClosed()
    if submitted_at:
        raise AlreadySubmitted()


def save_page(db: Database, respondent_id: int, round_id: int, page: Page,
              answers: dict, comment: str, advance: bool = True) -> None:
    """Store one page in one transaction; sending it again changes nothing.

    `advance`: the page counts as done (every statement answered and going on);
    a page saved while going back does not move progress forward.
    """
    _check_answers(page, answers)
    comment = clean_text(comment)
    if len(comment) > COMMENT_MAX:
        raise ValueError("comment too long")
    with immediate(db):
        _ensure_writable(db, respondent_id)
        db.conn.executemany("""
            insert into answer (respondent_id, round_id, set_id, dimension_id, item_id,
                                value, dont_know) values (?, ?, ?, ?, ?, ?, ?)
            on conflict (respondent_id, item_id) do update
            set value = excluded.value, dont_know = excluded.dont_know""",
            [(respondent_id, round_id, page.set.id, page.dimension.id, item, value,
              int(value is None)) for item, value in answers.items()])
        _store_comment(db, respondent_id, round_id, page, comment)
        if advance:
            db.execute("update respondent set next_page = max(next_page, ?) where id = ?",
                       [page.number + 1, respondent_id])


def _store_comment(db: Database, respondent_id: int, round_id: int, page: Page,
                   comment: str) -> None:
    if not comment:
        db.execute("delete from comment where respondent_id = ? and dimension_id = ?",
                   [respondent_id, page.dimension.id])
        return
    db.execute("""
        insert into comment (respondent_id, round_id, set_id, dimension_id, body)
        values (?, ?, ?, ?, ?)
        on conflict (respondent_id, dimension_id) do update set body = excluded.body""",
        [respondent_id, round_id, page.set.id, page.dimension.id, comment])


def submit(db: Database, respondent_id: int, pages: list[Page]) -> None:
    """Send in the answers to these pages (the respondent's, as routed). Submitting
    twice is harmless; the first time counts."""
    with immediate(db):
        row = next(db.query("""select x.submitted_at, x.next_page, r.status from respondent x
                               join round r on r.id = x.round_id where x.id = ?""",
                            [respondent_id]), None)
        if row is None:
            raise Gone()
        if row["submitted_at"]:
            return
        if row["status"] != "open":
            raise RoundClosed()
        if not pages or progress(db, respondent_id, row["next_page"], pages) < len(pages):
            raise Incomplete()
        db.execute("update respondent set submitted_at = datetime('now') where id = ?",
                   [respondent_id])

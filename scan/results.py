"""The one door for published numbers (uitkomsten): every number a reader sees
passes here.

A release (scan.releases) decides, with one audit (scan.disclosure), which theme
and group totals, statement totals and row-level classes may be shown, in one
system of equations: statement-level pieces and routing included, against every
earlier release. Reports (scan.scoring, stored by scan.stored) and row-level
answers (scan.anonymised) only ever read what a release decided. Views, the
command line and the demo reach results through this module alone, and
tests/test_one_door.py proves that no view imports the layers behind it and, at
run time, that every read of the answer tables on every page comes in here.

Imports run one way: results -> releases -> stored -> scoring -> release_types.
"""

from __future__ import annotations

from sqlite_utils import Database

from scan import anonymised, comments, release_types, releases, rounds, scoring, stored
from scan.questions import QuestionSet
from scan.release_types import Release
from scan.scoring import GROUP_KINDS, GroupScore, RoundReport, Unaudited, YearScore
from scan.stored import Headline

__all__ = ["GROUP_KINDS", "GroupScore", "Headline", "Release", "RoundReport", "Unaudited",
           "YearScore",
           "answer_rows", "any_release", "comments_for_review", "headline", "held_back",
           "latest", "latest_number", "load_report", "padding", "publish",
           "publish_closed_rounds", "report", "report_row", "rows_left_out", "years"]


def publish(db: Database, round_id: int, sets: list[QuestionSet], k: int) -> int | None:
    """Release what was sent in, if k or more new people count (scan.releases.release)."""
    return releases.release(db, round_id, sets, k)


def publish_closed_rounds(db: Database, catalogue, k: int) -> list[int]:
    return releases.release_closed_rounds(db, catalogue, k)


def held_back(db: Database, round_id: int) -> int:
    return releases.held_back(db, round_id)


def latest(db: Database, round_id: int) -> Release | None:
    return release_types.latest(db, round_id)


def any_release(db: Database, partnership_id: int) -> bool:
    """Whether any round of the partnership has released results (the first-hour list)."""
    return bool(db.execute("select exists(select 1 from release l join round r "
                           "on r.id = l.round_id where r.partnership_id = ?)",
                           [partnership_id]).fetchone()[0])


def latest_number(db: Database, round_id: int) -> int | None:
    return db.execute("select max(number) from release where round_id = ?",
                      [round_id]).fetchone()[0]


def latest_and_held_back(db: Database, round_id: int) -> tuple[int | None, int]:
    """The latest release's number and how many submitted respondents no release shows
    yet (held_back), in one read: what a closed round's report checks on every view."""
    return tuple(db.execute(
        "select (select max(number) from release where round_id = ?), "
        "(select count(*) from respondent where round_id = ? and submitted_at is not null "
        "and release_no is null)", [round_id, round_id]).fetchone())


def report(db: Database, release: Release | None, qset: QuestionSet, k: int,
           names: dict | None = None) -> RoundReport:
    """A set's report as a release shows it (nothing before the first release)."""
    return scoring.round_report(db, release, qset, k, names)


def report_row(db: Database, round_id: int, release_no: int, qset: QuestionSet,
               k: int) -> int:
    return stored.report_row(db, round_id, release_no, qset, k)


def load_report(db: Database, row_id: int, qset: QuestionSet,
                names: dict | None) -> tuple[RoundReport, int]:
    return stored.load_report(db, row_id, qset, names)


def headline(db: Database, row_id: int) -> Headline:
    return stored.headline(db, row_id)


def years(reports: list[tuple[dict, RoundReport]], qset: QuestionSet):
    return scoring.years(reports, qset)


def answer_rows(db: Database, release: Release | None, qset: QuestionSet,
                k: int) -> list[list]:
    """Row-level answers, k-anonymous per theme on label and statements held."""
    return anonymised.answer_rows(db, release, qset, k)


def rows_left_out(db: Database, release: Release | None, qset: QuestionSet,
                  k: int) -> list[list]:
    return anonymised.rows_left_out(release, qset, db, k)


# Read from the live answers for the coordinator's eyes, not for readers of results:
# they pass the door too, so that no read of the answer tables happens outside it
# (tests/test_one_door.py traces every page's reads).

def padding(db: Database, round_id: int) -> dict:
    """Questionnaires of only "don't know", and ones started again (scan.rounds)."""
    return rounds.padding(db, round_id)


def comments_for_review(db: Database, round_id: int) -> list[dict]:
    """The round's comments, for a coordinator to hold back (scan.comments)."""
    return comments.for_review(db, round_id)

"""The opt-in benchmark across partnerships (benchmark): where a partnership stands
among others that asked the same statements in the same school year.

A partnership's coordinator opts in per set. What enters is only what each
partnership's own report already shows: its released survey mean per theme, read
from the stored released reports through scan.results, never an answer. Disclosure control
works at the level of partnerships (docs/privacy.md, "The benchmark"):

- One publication per set, school year and version of the statements, drawn up once
  the school year is over (after 31 July) and at least MIN_PARTNERSHIPS + 1
  opted-in partnerships released the set in it (a closed round). Its members and
  their theme means are frozen (benchmark_publication): a later opt-in, opt-out or
  release changes nothing already shown, so no two figures differ by one
  partnership.
- A reader sees the distribution of the *others*: every member except the
  partnerships the reader belongs to, so no reader can subtract their own value.
- No figure from fewer than MIN_PARTNERSHIPS partnerships.
- Each quartile is the mean of the two or three members' means around it, never a
  single partnership's value; shown to one decimal.
- Dominance: a theme is withheld when one partnership holds more than
  DOMINANCE_SHARE of the people behind the others' means for it.
- Never a name: members are kept by id and shown only as a count.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from scan import results, stored
from scan.anonymised import survey_means
from scan.database import immediate
from scan.questions import Catalogue
from scan.rounds import round_sets

MIN_PARTNERSHIPS = 5
DOMINANCE_SHARE = 0.5
QUARTILES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Contribution:
    """One partnership's released theme means (and the people behind each) in a year."""

    partnership_id: int
    means: dict          # dimension id -> mean, None where its report shows none
    people: dict         # dimension id -> people behind that mean


@dataclass(frozen=True)
class ThemeBenchmark:
    """One theme: the reader's own mean beside the others' quartiles, or why not."""

    dimension_id: str
    own: float | None
    partnerships: int                      # others whose mean enters
    quartiles: tuple[float, float, float] | None
    withheld: str | None = None            # "few" or "dominance"


def year_over(school_year: str, today: date) -> bool:
    """A school year (2024-2025) ends on 31 July of its second year."""
    return today > date(int(school_year[-4:]), 7, 31)


# ---- opting in -------------------------------------------------------------------------

def set_choice(db: Database, partnership_id: int, set_id: str, opted_in: bool) -> None:
    with immediate(db):
        db.execute("""insert into benchmark_choice (partnership_id, set_id, opted_in)
                      values (?, ?, ?) on conflict (partnership_id, set_id)
                      do update set opted_in = excluded.opted_in, changed_at = datetime('now')""",
                   [partnership_id, set_id, int(opted_in)])


def opted_in(db: Database, partnership_id: int) -> set[str]:
    return {r[0] for r in db.execute("select set_id from benchmark_choice where "
                                     "partnership_id = ? and opted_in = 1", [partnership_id])}


# ---- what enters -----------------------------------------------------------------------

def released(db: Database, catalogue: Catalogue, threshold: int, round_id: int,
             partnership_id: int, set_id: str) -> tuple[str, Contribution] | None:
    """A round's released means of a set as its stored report shows them, with the
    version of the statements asked (None: nothing released or shown)."""
    asked = {s.id: s for s in round_sets(db, catalogue, round_id)}.get(set_id)
    release = results.latest(db, round_id)
    if asked is None or release is None:
        return None
    row = results.report_row(db, round_id, release.number, asked, threshold)
    report = results.load_report(db, row, asked, None)[0]
    if not report.shown:
        return None
    return stored.set_version(asked), Contribution(partnership_id, survey_means(report),
                                                   dict(report.overall.people))


def _closed_rounds(db: Database, set_id: str, school_year: str) -> dict[int, int]:
    """Per opted-in partnership its latest closed round of the year that asked the set."""
    rows = db.execute("""
        select r.partnership_id, max(r.id) from round r
        join round_set s on s.round_id = r.id and s.set_id = ?
        join benchmark_choice c on c.partnership_id = r.partnership_id and c.set_id = s.set_id
        where r.school_year = ? and r.status = 'closed' and c.opted_in = 1
        group by r.partnership_id""", [set_id, school_year]).fetchall()
    return dict(rows)


def contributions(db: Database, catalogue: Catalogue, threshold: int, set_id: str,
                  school_year: str) -> dict[str, list[Contribution]]:
    """What would enter now, per version of the statements."""
    found: dict[str, list[Contribution]] = {}
    for pid, rid in _closed_rounds(db, set_id, school_year).items():
        entry = released(db, catalogue, threshold, rid, pid, set_id)
        if entry is not None:
            found.setdefault(entry[0], []).append(entry[1])
    return found


# ---- publishing ------------------------------------------------------------------------

def publication(db: Database, set_id: str, school_year: str, version: str) -> dict | None:
    row = next(db.query("""select * from benchmark_publication where set_id = ? and
                           school_year = ? and set_version = ? order by id limit 1""",
                        [set_id, school_year, version]), None)
    if row is None:
        return None
    return {**row, "members": json.loads(row["members"]),
            "theme_means": {int(k): v for k, v in json.loads(row["theme_means"]).items()}}


def publish_due(db: Database, catalogue: Catalogue, threshold: int, set_id: str,
                school_year: str, today: date) -> list[int]:
    """Publish the year's benchmark of the set where it is due; once, then frozen."""
    if not year_over(school_year, today):
        return []
    made = []
    for version, found in contributions(db, catalogue, threshold, set_id, school_year).items():
        if len(found) < MIN_PARTNERSHIPS + 1:
            continue
        with immediate(db):
            if publication(db, set_id, school_year, version) is not None:
                continue
            means = {c.partnership_id: {"means": c.means, "people": c.people} for c in found}
            made.append(db.execute(
                """insert into benchmark_publication
                   (set_id, school_year, set_version, members, theme_means)
                   values (?, ?, ?, ?, ?)""",
                [set_id, school_year, version, json.dumps(sorted(means)),
                 json.dumps(means)]).lastrowid)
    return made


# ---- what a reader sees ----------------------------------------------------------------

def window(n: int, q: float) -> list[int]:
    """The ranks (0-based, sorted ascending) whose mean stands for quantile q of n
    values: the two around it, or the three centred on it when it falls on a rank."""
    position = q * (n - 1)
    if position == int(position):
        centre = int(position)
        return [centre - 1, centre, centre + 1]
    low = math.floor(position)
    return [low, low + 1]


def quartiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    return tuple(round(sum(ordered[i] for i in window(len(ordered), q)) /
                       len(window(len(ordered), q)), 1) for q in QUARTILES)


def _theme(dimension_id: str, own: float | None, others: list[dict]) -> ThemeBenchmark:
    shown = [(m["means"][dimension_id], m["people"].get(dimension_id) or 0) for m in others
             if m["means"].get(dimension_id) is not None]
    if len(shown) < MIN_PARTNERSHIPS:
        return ThemeBenchmark(dimension_id, own, len(shown), None, "few")
    people = [n for _mean, n in shown]
    if max(people) > DOMINANCE_SHARE * sum(people):
        return ThemeBenchmark(dimension_id, own, len(shown), None, "dominance")
    return ThemeBenchmark(dimension_id, own, len(shown), quartiles([m for m, _n in shown]))


def view(published: dict, dimension_ids: list[str], own: dict,
         excluded: set[int]) -> list[ThemeBenchmark]:
    """Per theme, the reader's own mean beside the others' quartiles. `excluded` are
    the partnerships the reader belongs to: none of their values enters."""
    others = [m for pid, m in published["theme_means"].items() if pid not in excluded]
    return [_theme(d, own.get(d), others) for d in dimension_ids]

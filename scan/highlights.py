"""What stands out in a released report ("Wat valt op"), for a steering group with an hour.

Only numbers the report already shows are used: the theme means of all
respondents, the largest gap per theme with its margin (scan.grids.gap_note)
and, for the change since last year, the means that the years page compares
(scan.results.years, over the statements both years show). Nothing is read
from answers, so what holds a group back on the page holds it back here.

A gap or a change counts only when it is larger than its margin: about two
standard errors, from the spread and the people the reports show. What lies
within its margin "could be chance" and is not called a difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scan import grids, results
from scan.results import RoundReport

STRENGTHS = 2     # highest themes named
ATTENTION = 2     # lowest themes named
DIFFERENCES = 2   # largest gaps beyond their margin named
CHANGES = 2       # largest changes beyond their margin named


@dataclass(frozen=True)
class Theme:
    dimension_id: str
    mean: float


@dataclass(frozen=True)
class Gap:
    dimension_id: str
    kind: str                    # the kind of group (partner_type, role, partner)
    high: tuple[str, float]      # (group key, mean)
    low: tuple[str, float]
    gap: float
    margin: float


@dataclass(frozen=True)
class Change:
    dimension_id: str
    before: float
    now: float
    margin: float | None         # None: a year without a spread to judge by

    @property
    def delta(self) -> float:
        return self.now - self.before

    @property
    def beyond_chance(self) -> bool:
        return self.margin is not None and abs(self.delta) > self.margin


@dataclass(frozen=True)
class Highlights:
    strengths: list[Theme]
    attention: list[Theme]
    gaps: list[Gap]
    gaps_compared: bool           # some gap had a margin to judge by
    changes: list[Change]         # beyond chance, largest first
    previous_year: str | None     # the school year compared with, if any
    changes_compared: int         # themes whose change could be judged: both years, a margin
    changes_unjudged: int = 0     # themes both years show, but with no margin to judge by


def _themes(report: RoundReport) -> list[Theme]:
    """The shown theme means of all respondents, highest first (set order on a tie)."""
    shown = [Theme(d.id, report.overall.means[d.id]) for d in report.set.dimensions
             if report.overall.means.get(d.id) is not None]
    return sorted(shown, key=lambda t: -t.mean)


def _gaps(report: RoundReport) -> tuple[list[Gap], bool]:
    notes = grids.gap_notes(report)
    found, compared = [], False
    for difference in report.differences:
        note = notes.get(difference.dimension_id)
        if note is None or note.margin is None:
            continue
        compared = True
        if difference.gap > note.margin:
            found.append(Gap(difference.dimension_id, difference.kind, difference.high,
                             difference.low, difference.gap, note.margin))
    return sorted(found, key=lambda g: -g.gap)[:DIFFERENCES], compared


def change_margin(before: RoundReport, now: RoundReport, dimension_id: str) -> float | None:
    """About two standard errors of a change in a theme's mean between two years:
    2 × √(sd₁²/n₁ + sd₂²/n₂), from each year's spread and the people who gave a value
    to the theme. None when either year shows no spread for it."""
    spreads = []
    for report in (before, now):
        spread = next((d.spread for d in report.differences
                       if d.dimension_id == dimension_id), None)
        people = report.overall.people.get(dimension_id, report.overall.respondents)
        if spread is None or not people:
            return None
        spreads.append(spread ** 2 / people)
    return 2 * math.sqrt(sum(spreads))


def changes(before: tuple[dict, RoundReport], now: tuple[dict, RoundReport]) -> list[Change]:
    """Per theme both years show: the change in its mean over the statements both
    years show (as the years page compares them), with its margin."""
    (shown, _left_out, _items) = results.years([before, now], now[1].set)
    if len(shown) < 2:
        return []
    earlier, later = shown
    return [Change(d.id, earlier.means[d.id], later.means[d.id],
                   change_margin(before[1], now[1], d.id))
            for d in now[1].set.dimensions
            if earlier.means.get(d.id) is not None and later.means.get(d.id) is not None]


def highlights(report: RoundReport,
               previous: tuple[dict, RoundReport] | None = None,
               current_round: dict | None = None) -> Highlights | None:
    """What stands out in a shown report; None when the report shows nothing.

    `previous`: the last earlier round that asked the set, with its released report,
    and `current_round` this report's round, for the change since then."""
    if not report.shown:
        return None
    themes = _themes(report)
    named = min(STRENGTHS, len(themes) // 2)
    gaps, compared = _gaps(report)
    found, year = [], None
    if previous is not None and previous[1].shown and current_round is not None:
        found = changes(previous, (current_round, report))
        year = previous[0]["school_year"]
    beyond = sorted((c for c in found if c.beyond_chance), key=lambda c: -abs(c.delta))
    return Highlights(
        strengths=themes[:named],
        attention=list(reversed(themes[len(themes) - min(ATTENTION, len(themes) // 2):]))
        if themes else [],
        gaps=gaps, gaps_compared=compared, changes=beyond[:CHANGES],
        previous_year=year if found else None,
        changes_compared=sum(c.margin is not None for c in found),
        changes_unjudged=sum(c.margin is None for c in found))


def year_highlights(qset, shown: list, margins: dict) -> Highlights | None:
    """What stands out on the years page: the changes between the last two school years
    it shows (the means it compares and their margins), those beyond their margin
    largest first. None with fewer than two years to compare."""
    if len(shown) < 2:
        return None
    before, now = shown[-2], shown[-1]
    found = [Change(d.id, before.means[d.id], now.means[d.id], margins.get(d.id))
             for d in qset.dimensions
             if before.means.get(d.id) is not None and now.means.get(d.id) is not None]
    beyond = sorted((c for c in found if c.beyond_chance), key=lambda c: -abs(c.delta))
    # Without a margin a change cannot be called a change, nor "about the same": such
    # themes are counted apart, not among those that stayed about the same.
    judged = sum(c.margin is not None for c in found)
    return Highlights(strengths=[], attention=[], gaps=[], gaps_compared=False,
                      changes=beyond, previous_year=before.school_year if found else None,
                      changes_compared=judged, changes_unjudged=len(found) - judged)


@dataclass(frozen=True)
class JointHighlights:
    """What stands out in a joint scoring session's summary: the highest and lowest
    joint scores agreed, the themes whose shown placements lay furthest apart, and how
    many themes have no joint score yet. Each theme as (dimension id, title)."""

    highest: tuple[int, list[tuple[str, str]]] | None
    lowest: tuple[int, list[tuple[str, str]]] | None
    far_apart: tuple[int, int, list[tuple[str, str]]] | None   # (lowest, highest placed)
    not_agreed: int


def joint_highlights(dimensions: list[dict]) -> JointHighlights | None:
    """From what the summary shows of each theme (`id`, `title`, `score`, and `spread`
    with `shown` and its `rows` of scale value and count): placements only where the
    summary shows them. None when nothing was agreed or shown."""
    scored = [d for d in dimensions if d["score"] is not None]

    def named(score: int) -> list[tuple[str, str]]:
        return [(d["id"], d["title"]) for d in scored if d["score"] == score]

    ranges = {}
    for d in dimensions:
        placed = [r["value"] for r in d["spread"]["rows"] if r["count"]] \
            if d["spread"]["shown"] else []
        if len(placed) > 1:
            ranges[d["id"]] = (min(placed), max(placed), d["title"])
    widest = max((high - low for low, high, _t in ranges.values()), default=0)
    far = [(i, t) for i, (low, high, t) in ranges.items() if high - low == widest]
    if not scored and not ranges:
        return None
    top = max((d["score"] for d in scored), default=None)
    bottom = min((d["score"] for d in scored), default=None)
    return JointHighlights(
        highest=(top, named(top)) if scored else None,
        lowest=(bottom, named(bottom)) if scored and bottom != top else None,
        far_apart=(min(ranges[i][0] for i, _t in far), max(ranges[i][1] for i, _t in far),
                   far) if widest >= 2 else None,
        not_agreed=len(dimensions) - len(scored))

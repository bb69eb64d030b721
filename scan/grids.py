"""Views of a released report that follow the frameworks: grids, sides and gaps.

Everything here reads a RoundReport only, never answers: what the release
shows (and hides, for anonymity) is decided in scan.scoring and scan.releases,
so a view built from it cannot show more than the report itself. No Flask here.

- A grid is the mean per cell of two tag axes the question file gives its
  statements, e.g. learning mechanism × level, or domain × kind of question.
- Side by side: the partner types' means per dimension, school side left and
  the institute right (the report has no per-statement numbers per group).
- A gap note says whether the largest gap between two groups is larger than
  chance would easily give with groups that small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scan.questions import QuestionSet
from scan.scoring import Difference, GroupScore, RoundReport

# The order in which partnerships usually go through the learning mechanisms
# (Bruining & Akkerman 2017, as the leermechanismen set describes): they start
# with practical arrangements, then get to know each other, and only later
# reflect and transform. It belongs to the tag key, not to a set, so any set
# that tags statements by mechanism shows it.
TYPICAL_PATHS = {"mechanism": ("coordinatie", "identificatie", "reflectie", "transformatie")}


@dataclass(frozen=True)
class Cell:
    mean: float | None   # None: hidden to protect anonymity, or no statements
    answers: int         # answers pooled into the mean (0 when hidden)
    statements: int      # statements in the cell; 0: the file has no such combination

    @property
    def hidden(self) -> bool:
        return self.statements > 0 and self.mean is None


@dataclass(frozen=True)
class Grid:
    rows_key: str
    columns_key: str
    rows: tuple[str, ...]       # tag values, in the order the question file uses them
    columns: tuple[str, ...]
    cells: dict                 # (row value, column value) -> Cell
    path: tuple[str, ...] = ()  # row values in their typical order; () when none is known

    def step(self, row: str) -> int | None:
        """1-based place of a row in the typical path, or None."""
        return self.path.index(row) + 1 if row in self.path else None


def statement_tags(qset: QuestionSet) -> list[tuple[str, str, dict]]:
    """(dimension id, item id, tags) per statement; an item inherits its
    dimension's tags (a dimension tagged by mechanism whose items are tagged by
    level gives mechanism × level), and its own tags win."""
    return [(d.id, i.id, {**d.tags, **i.tags}) for d in qset.dimensions for i in d.items]


def tag_pairs(qset: QuestionSet) -> list[tuple[str, str]]:
    """Pairs of tag keys that span a grid: at least two values each among the
    statements that carry both. Keys in the order the file first uses them,
    except that a key with a typical path goes first (it becomes the rows)."""
    tagged = [tags for _d, _i, tags in statement_tags(qset)]
    keys = list(dict.fromkeys(k for tags in tagged for k in tags))
    pairs = []
    for n, first in enumerate(keys):
        for second in keys[n + 1:]:
            both = [t for t in tagged if first in t and second in t]
            if len({t[first] for t in both}) > 1 and len({t[second] for t in both}) > 1:
                swap = second in TYPICAL_PATHS and first not in TYPICAL_PATHS
                pairs.append((second, first) if swap else (first, second))
    return pairs


def grid(report: RoundReport, rows_key: str, columns_key: str) -> Grid:
    qset = report.set
    entries = [(d, i, t) for d, i, t in statement_tags(qset)
               if rows_key in t and columns_key in t]
    rows = tuple(dict.fromkeys(t[rows_key] for _d, _i, t in entries))
    columns = tuple(dict.fromkeys(t[columns_key] for _d, _i, t in entries))
    cells = {(r, c): _cell(report, [(d, i) for d, i, t in entries
                                    if (t[rows_key], t[columns_key]) == (r, c)])
             for r in rows for c in columns}
    path = tuple(v for v in TYPICAL_PATHS.get(rows_key, ()) if v in rows)
    return Grid(rows_key, columns_key, rows, columns, cells, path)


def grids(report: RoundReport) -> list[Grid]:
    """Every grid the question file spans; none before results are shown."""
    if not report.shown:
        return []
    return [grid(report, rows, columns) for rows, columns in tag_pairs(report.set)]


def _cell(report: RoundReport, statements: list[tuple[str, str]]) -> Cell:
    """The mean of a cell. A cell that is exactly one whole dimension shows that
    dimension's mean, the number in the report's main table. Otherwise the shown
    statements are pooled (sum of values / number of values), as the report's
    tag tables do: each of them is shown on its own already, so their pool
    reveals nothing new; a cell whose statements are all hidden stays empty."""
    shown = [report.items[i] for _d, i in statements if i in report.items]
    answers = sum(s.answers for s in shown)
    dimensions = {d for d, _i in statements}
    if len(dimensions) == 1:
        dimension = report.set.dimension(next(iter(dimensions)))
        if len(dimension.items) == len(statements):
            return Cell(report.overall.means.get(dimension.id), answers, len(statements))
    mean = sum((s.mean or 0) * s.answers for s in shown) / answers if answers else None
    return Cell(mean, answers, len(statements))


def tag_dimension(qset: QuestionSet, key: str, value: str):
    """The one dimension a tag value stands for (its title names the value), or None."""
    found = [d for d in qset.dimensions if d.tags.get(key) == value]
    return found[0] if len(found) == 1 else None


# School-side partner types to the left, the institute to the right.
SIDES = {"school": -1, "bestuur": -1, "instituut": 1}


def side_by_side(report: RoundReport) -> list[tuple[int, GroupScore]]:
    """The partner types the report shows, with their side (-1 left, 1 right):
    school side first, so the legend reads left to right."""
    shown = [g for g in report.groups if g.kind == "partner_type" and g.key in SIDES]
    return sorted(((SIDES[g.key], g) for g in shown),
                  key=lambda s: (s[0], list(SIDES).index(s[1].key)))


def sides(report: RoundReport) -> list[tuple[int, GroupScore]]:
    """The side-by-side chart's groups with their side (-1 left, 1 right): the two sides as the
    release audited them (scan.sides), school side first; for a release from before
    sides were audited (no side groups, nothing noted), the partner types."""
    found = [g for g in report.groups if g.kind == "side"]
    if not found and not any(report.sides_left_out.values()):
        return side_by_side(report)
    return sorted(((-1 if g.key == "school-side" else 1, g) for g in found),
                  key=lambda s: s[0])


# Without a spread to judge by, a gap between two groups of fewer than this many
# people is marked as uncertain.
SMALL_GROUP = 10


@dataclass(frozen=True)
class GapNote:
    n_high: int
    n_low: int
    margin: float | None   # about two standard errors of the gap; None without a spread
    small: bool            # the gap may well be chance: mark it "small groups"


def gap_note(report: RoundReport, difference: Difference) -> GapNote | None:
    """How sure the largest gap of a dimension is, from the sizes of its two groups.

    The margin is 2 × spread × √(1/n₁ + 1/n₂), the usual rough 95% interval of a
    difference between two means. The spread is that of all respondents, which
    is at least the spread within groups, so the margin errs on the wide side;
    n is the group's people who gave a value to this theme.
    """
    if difference.gap is None:
        return None
    theme = difference.dimension_id
    sizes = {(g.kind, g.key): g.people.get(theme, g.respondents) for g in report.groups}
    n_high = sizes[(difference.kind, difference.high[0])]
    n_low = sizes[(difference.kind, difference.low[0])]
    if difference.spread is None:
        return GapNote(n_high, n_low, None, n_high < SMALL_GROUP and n_low < SMALL_GROUP)
    margin = 2 * difference.spread * math.sqrt(1 / n_high + 1 / n_low)
    return GapNote(n_high, n_low, margin, difference.gap < margin)


def gap_notes(report: RoundReport) -> dict[str, GapNote]:
    """Per dimension id with a gap, its note."""
    notes = {d.dimension_id: gap_note(report, d) for d in report.differences}
    return {d: n for d, n in notes.items() if n is not None}

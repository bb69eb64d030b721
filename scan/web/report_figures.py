"""What a round report draws and how it reads per theme: the radar, the grids, school
and institute side by side, and the theme cards a phone reads first. (A respondent's
own page, their answers beside the results, is scan.mirror; a different thing.)

Only numbers of the released report (scan.results) are drawn; the two sides
are cells the release audited (scan.sides), never worked out here.
"""

from __future__ import annotations

from dataclasses import dataclass

from scan import charts, grids, results
from scan.questions import QuestionSet
from scan.web.i18n import gettext as _
from scan.web.labels import (
    GROUP_KINDS,
    PARTNER_TYPES,
    RESPONDENT_ROLES,
    SIDE_HEADS,
    SIDES,
    TAG_AXES,
    TAG_KEYS,
    TAG_VALUES,
)
from scan.web.numbers import decimal_sign, localised, number


def group_label(kind: str, key: str) -> str:
    if kind == "all":
        return _("All respondents")
    if kind == "role":
        return str(RESPONDENT_ROLES.get(key, key))
    if kind == "partner_type":
        return str(PARTNER_TYPES.get(key, key))
    if kind == "side":
        return str(SIDES.get(key, key))
    return key


def group_kind_label(kind: str) -> str:
    """A kind of group as a reader names it: "Partner type", "Side", "All respondents"."""
    return _("All respondents") if kind == "all" else str(GROUP_KINDS.get(kind, kind))


def radar(report: results.RoundReport, lang: str) -> dict:
    """All respondents and the partner types drawn; roles and partners in the
    legend, and at most charts.MAX_VISIBLE lines at first."""
    qset = report.set
    axes = [d.title(lang) for d in qset.dimensions]
    ids = [d.id for d in qset.dimensions]
    traces = [charts.Trace(group_label("all", "all"), [report.overall.means[d] for d in ids])]
    traces += [charts.Trace(group_label(g.kind, g.key), [g.means[d] for d in ids],
                            visible=g.kind == "partner_type") for g in report.groups
               if g.kind != "side"]   # the sides have their own chart
    return localised(charts.radar(axes, charts.limit_visible(traces), qset.scale.minimum,
                                  qset.scale.maximum, qset.title(lang)))


def group_name(group: results.GroupScore) -> str:
    """A group with its size, as the main table's column heads show it. A side goes
    without it: its size over the set, beside its partner types' sizes, would count
    the people of a small partner type folded into it (a board of one)."""
    if group.kind == "side":
        return group_label(group.kind, group.key)
    return f"{group_label(group.kind, group.key)} (n={group.respondents})"


def tag_value(qset: QuestionSet, key: str, value: str, lang: str) -> str:
    """A tag value in the reader's language: its label, else the title of the one
    dimension it stands for, else the code from the question file."""
    if value in TAG_VALUES:
        label = str(TAG_VALUES[value])
        # A label heads a grid row or column or names a radar axis: capitalised there.
        return label[:1].upper() + label[1:]
    dimension = grids.tag_dimension(qset, key, value)
    return dimension.title(lang) if dimension else value


def tag_radars(report: results.RoundReport, lang: str) -> dict:
    """A radar per item tag with at least three values (e.g. by level)."""
    figures = {}
    for key, rows in report.tag_means.items():
        if len(rows) >= 3 and key not in dimension_tag_keys(report.set):
            title = str(TAG_KEYS.get(key, key))
            figures[key] = localised(charts.radar(
                [tag_value(report.set, key, v, lang) for v, _m, _n in rows],
                [charts.Trace(group_label("all", "all"), [m for _v, m, _n in rows])],
                report.set.scale.minimum, report.set.scale.maximum, title))
    return figures


def grid_title(grid: grids.Grid) -> str:
    return _("%(rows)s × %(columns)s", rows=TAG_AXES.get(grid.rows_key, grid.rows_key),
             columns=TAG_AXES.get(grid.columns_key, grid.columns_key))


def grid_figure(grid: grids.Grid, qset: QuestionSet, lang: str) -> dict:
    """A heatmap of the grid: a dash in a cell hidden for anonymity, nothing in a
    combination the question file does not have."""
    cells = [[grid.cells[(r, c)] for c in grid.columns] for r in grid.rows]
    texts = [["–" if cell.hidden else "" if cell.mean is None else number(cell.mean)
              for cell in row] for row in cells]
    return localised(charts.heatmap(
        [tag_value(qset, grid.rows_key, r, lang) for r in grid.rows],
        [tag_value(qset, grid.columns_key, c, lang) for c in grid.columns],
        [[cell.mean for cell in row] for row in cells], texts,
        qset.scale.minimum, qset.scale.maximum, grid_title(grid),
        [grid.rows.index(v) for v in grid.path], _("Typical path")))


def dimension_tag_keys(qset: QuestionSet) -> set[str]:
    """Tag keys whose values are just the dimensions again (no new view)."""
    return {k for d in qset.dimensions for k in d.tags
            if len({dim.tags.get(k) for dim in qset.dimensions}) == len(qset.dimensions)}


def framework_views(report: results.RoundReport, lang: str) -> dict:
    """The grids, the side-by-side chart and the gap notes, for the report body."""
    shown = report.shown
    found = grids.grids(report)
    return {"grids": [(g, grid_title(g), grid_figure(g, report.set, lang),
                       " → ".join(tag_value(report.set, g.rows_key, v, lang) for v in g.path))
                      for g in found],
            "side_by_side": side_by_side(report, lang) if shown else None,
            "gap_notes": grids.gap_notes(report) if shown else {},
            "tag_value": lambda key, value: tag_value(report.set, key, value, lang)}


@dataclass(frozen=True)
class SideBySide:
    """The chart of school side against institute side, and per theme why a side is
    not in it (plain sentences), or a sentence for the whole set."""

    figure: dict | None
    rows: list            # (theme title, {side: mean or None}, [why a side is missing])
    sides: list           # the side groups shown, school side first
    note: str | None      # why there is no chart at all

    def heads(self) -> list[tuple[str, str]]:
        """Each side column's head as shown and as read aloud: a side's short name
        ("School") on screen and its full name ("School side (schools and boards)")
        for a screen reader; a partner type (releases from before sides) with its size."""
        return [(str(SIDE_HEADS[g.key]), group_label(g.kind, g.key)) if g.kind == "side"
                else (group_name(g), group_name(g)) for g in self.sides]


def _why(side: str, reason: str, k: int) -> str:
    """Why one side is missing from the chart on a theme, in the reader's words."""
    name = str(SIDES[side]).lower()
    other = str(SIDES["institute-side" if side == "school-side" else "school-side"]).lower()
    if reason in ("few", "nobody"):   # "nobody": releases made before it read as "few"
        return _("The %(side)s is not shown: fewer than %(k)d of its people answered this "
                 "theme.", side=name, k=k)
    return _("The %(side)s is not shown: its mean, with the others shown here, would give "
             "away the answers of a smaller group (such as the %(other)s, or a small partner "
             "within it).", side=name, other=other)


def side_by_side(report: results.RoundReport, lang: str) -> SideBySide | None:
    """School side (schools with their boards) against institute side, per theme.

    A release from before sides were audited has no side groups: its chart sets the
    partner types against each other, as reports showed them then (grids.side_by_side)."""
    qset = report.set
    titles = [d.title(lang) for d in qset.dimensions]
    found = grids.sides(report)
    rows = []
    for d, title in zip(qset.dimensions, titles, strict=True):
        reasons = report.sides_left_out.get(d.id, {})
        rows.append((title, {g.key: g.means.get(d.id) for _s, g in found},
                     [_why(side, why, report.threshold) for side, why in reasons.items()]))
    shown = {g.key for _s, g in found if g.kind == "side"}
    if not found and not any(report.sides_left_out.values()):
        return None   # a release from before sides, with no partner type to set beside another
    if not found:
        return SideBySide(None, rows, [], _("Neither side can be shown on any theme of this set; "
                                        "the list below says why, per theme."))
    figure = localised(charts.mirrored_bars(
        titles, [(side, charts.Trace(group_name(g), [g.means.get(d.id) for d in qset.dimensions]))
                 for side, g in found],
        qset.scale.minimum, qset.scale.maximum, _("School and institute side by side"),
        decimal_sign()))
    note = None
    if shown and len(shown) < len(SIDES):
        missing = next(s for s in SIDES if s not in shown)
        note = _("The %(side)s cannot be shown on any theme of this set, so the chart has one "
                 "side only; the list below says why, per theme.",
                 side=str(SIDES[missing]).lower())
    return SideBySide(figure, rows, [g for _s, g in found], note)


@dataclass(frozen=True)
class ThemeCard:
    """What a phone reads first about one theme: its mean and how far views lie apart."""

    mean: float | None
    spread: str | None     # the spread in words


def spread_words(spread: float | None, qset: QuestionSet) -> str | None:
    """The spread (sd of people's own theme means) in words, judged against the
    scale's range: up to a sixth of it is close together, up to a quarter some
    difference, beyond that far apart (on a 1–4 scale: 0.5 and 0.75)."""
    if spread is None:
        return None
    width = qset.scale.maximum - qset.scale.minimum
    if spread <= width / 6:
        return _("views lie close together")
    if spread <= width / 4:
        return _("views differ somewhat")
    return _("views lie far apart")


def theme_cards(report: results.RoundReport) -> dict[str, ThemeCard]:
    spreads = {d.dimension_id: d.spread for d in report.differences}
    return {d.id: ThemeCard(report.overall.means.get(d.id),
                            spread_words(spreads.get(d.id), report.set))
            for d in report.set.dimensions}

"""The rows of a round report's long tables, written out in Python.

The first reader after a release waits for the whole report body to be rendered, and
most of its cells are in three tables: the mean per theme per group, the grids and the
statements with their distributions. In a Jinja loop each cell cost a lookup of the
request's language for its number, a context call per label and ~17 µs per translated
word; here each table's words, labels and decimal sign are looked up once and its rows
are joined as strings, with every value escaped (markupsafe) as the template did. The
templates keep what is around the rows (headings, captions, explanations).

Translated texts are Markup and their variables escaped, as Jinja's `_()` makes them
(newstyle gettext), so a row reads exactly as it did when a template wrote it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from markupsafe import Markup, escape

from scan import grids, results
from scan.questions import Dimension, QuestionSet, Scale
from scan.results import GROUP_KINDS, GroupScore
from scan.web.i18n import gettext as _
from scan.web.numbers import scores
from scan.web.report_figures import SideBySide, group_label

ROW_BREAK = "\n  "   # between rows, as the template's loops left them


def mean_rows(report: results.RoundReport, groups: list[GroupScore], lang: str,
              dont_know: bool, score: Callable) -> Markup:
    """The body of a "mean per theme" table: all respondents, then each group; a role
    the questionnaire does not ask about a theme says so instead of a dash."""
    not_asked = Markup('<span class="muted not-asked">{}</span>').format(Markup(_("not asked")))
    overall = report.overall
    rows = []
    for d in report.set.dimensions:
        cells = "".join(
            f"<td>{not_asked if g.kind == 'role' and g.means.get(d.id) is None and not d.asks(g.key) else score(g.means.get(d.id))}</td>"   # noqa: E501
            for g in groups)
        extra = f"<td>{escape(overall.dont_know.get(d.id, '–'))}</td>" if dont_know else ""
        rows.append(f'\n  <tr><th scope="row"><a href="#dim-{escape(d.id)}">'
                    f"{escape(d.title(lang))}</a></th><td><strong>"
                    f"{score(overall.means.get(d.id))}</strong></td>\n    {cells}\n    "
                    f"{extra}</tr>\n  ")
    return Markup("".join(rows))


def grid_rows(grid: grids.Grid, tag_value: Callable[[str, str], str],
              score: Callable) -> Markup:
    """The body of a grid's table: a row per row value (with its step on the typical
    path), a cell per column value."""
    none = Markup('<span class="muted">{}</span>').format(Markup(_("no statements")))
    rows = []
    for r in grid.rows:
        step = grid.step(r)
        marked = (Markup(' <span class="path-step">{}</span>').format(
            Markup(_("step %(n)d")) % {"n": step}) if step else "")
        cells = "".join(
            f"<td>{none if cell.statements == 0 else score(cell.mean)}</td>"
            for cell in (grid.cells[(r, c)] for c in grid.columns))
        rows.append(f'\n  <tr><th scope="row">{escape(tag_value(grid.rows_key, r))}{marked}'
                    f"</th>\n    {cells}</tr>\n  ")
    return Markup("".join(rows))


def statement_rows(dimension: Dimension, report: results.RoundReport, lang: str,
                   score: Callable, points: list[tuple[int, str]]) -> Markup:
    """The body of a theme's statement table: per statement its mean, answers, "don't
    know" and the distribution over the scale as bars (with the counts read aloud).
    `points`: (value, escaped label) per scale point, for every theme of the set."""
    hidden = Markup(_("Not shown: too few people gave an answer here (or too few since "
                      "the previous release)."))
    rows = []
    for item in dimension.items:
        text = escape(item.text(lang))
        shown = report.items.get(item.id)
        if not shown:
            rows.append(f'\n    <tr><td>{text}</td><td colspan="4" class="muted">{hidden}</td>'
                        "</tr>\n    ")
        else:
            rows.append(f"\n    \n    <tr><td>{text}</td><td>{score(shown.mean)}</td>"
                        f"<td>{shown.answers}</td><td>{shown.dont_know}</td>\n      <td>"
                        f"{distribution(shown, points)}</td></tr>\n    ")
    return Markup("".join(rows))


def distribution(shown, points: list[tuple[int, str]]) -> str:
    """The answers over the scale points: a bar segment per point someone chose, as wide
    as its share; the label says every point's count for a screen reader. A count stands
    in its segment only where the segment has room for it (a tenth of the bar per digit);
    the others are listed under the bar, so two narrow neighbours never read as one
    number ("1 1" or "11"), on screen or on paper."""
    counts, answers = shown.distribution, shown.answers
    spoken, bars, narrow = [], [], []
    for index, (value, label) in enumerate(points, start=1):
        count = counts.get(value)
        spoken.append(f"{label}: {'' if count is None else count}")
        if count:
            share = 100 * count / answers
            fits = share >= 10 * len(str(count))
            bars.append(f'<span class="seg seg-{index}" style="width: {round(share, 1)}%" '
                        f'title="{label}: {count}">{count if fits else ""}</span>')
            if not fits:
                narrow.append(f'<span class="seg-count"><span class="seg seg-{index} key">'
                              f"</span> {label}: {count}</span>")
    listed = (f'\n      <p class="seg-narrow" aria-hidden="true">{"".join(narrow)}</p>'
              if narrow else "")
    return (f'<div class="stack" aria-label="{", ".join(spoken)}" role="img">\n        \n'
            f'        {"".join(bars)}\n      </div>{listed}')


def side_rows(sides: SideBySide, score: Callable) -> Markup:
    """The body of the school-and-institute table: a row per theme with each side's
    mean, and below it why a side is missing there."""
    rows = []
    for title, means, why in sides.rows:
        cells = "".join(f"<td>{score(means.get(g.key))}</td>" for g in sides.sides)
        reasons = (f'<tr class="sides-why"><td colspan="{len(sides.sides) + 1}">'
                   f'{" ".join(map(str, map(escape, why)))}</td></tr>' if why else "")
        rows.append(f'\n  <tr><th scope="row">{escape(title)}</th>{cells}</tr>\n  {reasons}\n  ')
    return Markup("".join(rows))


def difference_rows(report: results.RoundReport, notes: dict, lang: str,
                    score: Callable) -> Markup:
    """The body of "where views differ": per theme, largest gap first, the two groups
    furthest apart and whether chance could explain it."""
    words = {key: Markup('<span class="{}">{}</span>').format(style, Markup(text)) for
             key, style, text in (("none", "muted", _("no two groups large enough")),
                                  ("small", "small-groups", _("could be chance")),
                                  ("beyond", "beyond-chance", _("larger than chance")),
                                  ("unknown", "muted", _("cannot tell")))}
    titles = {d.id: escape(d.title(lang)) for d in report.set.dimensions}
    label = functools.cache(group_label)   # a role's label is translated once
    rows = []
    for number, diff in enumerate(report.differences, start=1):
        note = notes.get(diff.dimension_id)
        if note:
            between = (f"{escape(label(diff.kind, diff.high[0]))} "
                       f"({score(diff.high[1])}, n={note.n_high}) – "
                       f"{escape(label(diff.kind, diff.low[0]))} "
                       f"({score(diff.low[1])}, n={note.n_low})")
            chance = words["small" if note.small else "beyond" if note.margin is not None
                           else "unknown"]
        else:
            between, chance = words["none"], ""
        title = titles[diff.dimension_id]
        rows.append(f'\n  <tr><td>{number}</td><th scope="row">{title}</th>\n    \n    '
                    f"<td>{score(diff.gap)}</td>\n    <td>{between}</td>\n    "
                    f"<td>{chance}</td></tr>\n  ")
    return Markup("".join(rows))


def statistics_rows(report: results.RoundReport, notes: dict, lang: str,
                    score: Callable) -> Markup:
    """The body of the table under "how these numbers are worked out": per theme its
    spread, largest gap and the margin for chance."""
    titles = {d.id: escape(d.title(lang)) for d in report.set.dimensions}
    rows = []
    for diff in report.differences:
        note = notes.get(diff.dimension_id)
        margin = (f"± {score(note.margin)}" if note and note.margin is not None
                  else '<span class="muted">–</span>')
        title = titles[diff.dimension_id]
        rows.append(f'\n    <tr><th scope="row">{title}</th><td>{score(diff.spread)}</td>'
                    f"<td>{score(diff.gap)}</td><td>{margin}</td></tr>\n    ")
    return Markup("".join(rows))


def rubric_rows(dimension: Dimension, scale: Scale, lang: str) -> Markup:
    """What each level of the scale looks like on a theme, as terms and descriptions."""
    return Markup("".join(
        f"<dt>{point.value} · {escape(point.label(lang))}</dt><dd>{escape(text(lang))}</dd>\n    "
        for point, text in dimension.rubric.levels(scale)))


def group_heads(groups: list[GroupScore]) -> Markup:
    """The column heads of a "mean per theme" table's groups, each with its size (a
    side without: see report_figures.group_name)."""
    return Markup("".join(
        f'<th scope="col">{escape(group_label(g.kind, g.key))}'
        + ("" if g.kind == "side" else f' <span class="muted">(n={g.respondents})</span>')
        + "</th>" for g in groups))


def tag_rows(rows: list, key: str, tag_value: Callable[[str, str], str],
             score: Callable) -> Markup:
    """The body of an item tag's table: per value its mean and answers."""
    return Markup("".join(
        f'<tr><th scope="row">{escape(tag_value(key, value))}</th><td>{score(mean)}</td>'
        f"<td>{n}</td></tr>" for value, mean, n in rows))


def legend(scale: Scale, lang: str) -> Markup:
    """What the colours of the distribution bars stand for."""
    return Markup("".join(
        f'<span class="seg seg-{index} key"></span> {p.value} {escape(p.label(lang))} '
        for index, p in enumerate(scale.points, start=1)))


def report_tables(report: results.RoundReport, qset: QuestionSet, lang: str,
                  views: dict, sign: str) -> dict:
    """The rows of the report body's long tables, for reports/_round_body.html; `views`
    are report_figures.framework_views (the grids, the sides and the gap notes)."""
    score = scores(sign)
    notes, tag_value = views["gap_notes"], views["tag_value"]
    by_kind = {kind: [g for g in report.groups if g.kind == kind] for kind in GROUP_KINDS}
    points = [(p.value, str(escape(p.label(lang)))) for p in qset.scale.points]
    return {
        "groups_by_kind": by_kind,
        "group_heads": {kind: group_heads(groups) for kind, groups in by_kind.items()},
        "tag_rows": {key: tag_rows(rows, key, tag_value, score)
                     for key, rows in report.tag_means.items()},
        "comment_items": {d: Markup("".join(f"<li>{escape(c)}</li>" for c in comments))
                          for d, comments in report.comments.items()},
        "legend": legend(qset.scale, lang),
        "difference_rows": difference_rows(report, notes, lang, score),
        "statistics_rows": statistics_rows(report, notes, lang, score),
        "side_rows": side_rows(views["side_by_side"], score) if views["side_by_side"] else "",
        "rubric_rows": {d.id: rubric_rows(d, qset.scale, lang)
                        for d in qset.dimensions if d.rubric},
        "mean_rows": {kind: mean_rows(report, groups, lang, kind == "partner_type", score)
                      for kind, groups in by_kind.items()},
        "statement_rows": {d.id: statement_rows(d, report, lang, score, points)
                           for d in qset.dimensions},
        "grid_rows": lambda grid: grid_rows(grid, tag_value, score),
    }

"""Plotly figures as plain dicts: cheap to build per request, sent to the page as JSON.

Every trace differs in line style and marker shape as well as colour, so the
charts read in black-and-white print and for colour-blind readers. Colours are
the Okabe–Ito palette, chosen for colour-vision deficiencies.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

COLOURS = ("#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
           "#999933")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon",
           "pentagon", "triangle-down")


@dataclass(frozen=True)
class Trace:
    name: str
    values: list            # one per axis; None where there is no score
    visible: bool = True    # False: in the legend, drawn once the reader clicks it


def _style(n: int) -> dict:
    return {"line": {"color": COLOURS[n % len(COLOURS)], "dash": DASHES[n % len(DASHES)],
                     "width": 3 if n == 0 else 2},
            "marker": {"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 9,
                       "color": COLOURS[n % len(COLOURS)]}}


def _closed(values: list) -> list:
    """A radar line returns to its first axis."""
    return [*values, values[0]] if values else values


def text(label: str) -> str:
    """A name as plotly shows it: plotly renders a little HTML (links, bold) in names
    and labels, so a partner called <a href=…> must arrive escaped, as plain text."""
    return html.escape(str(label), quote=False)


def _wrap(label: str, width: int = 14) -> str:
    """Break long labels over lines so they fit beside a phone-sized chart."""
    lines, line = [], ""
    for word in text(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


# At most this many traces are drawn at first; the others wait in the legend
# (and the list above the chart) until the reader picks them: more lines on one
# radar hide each other.
MAX_VISIBLE = 4


def limit_visible(traces: list[Trace], most: int = MAX_VISIBLE) -> list[Trace]:
    """The traces with only the first `most` of the visible ones still visible."""
    shown, limited = 0, []
    for t in traces:
        limited.append(Trace(t.name, t.values, t.visible and shown < most))
        shown += t.visible
    return limited


def choices(figure: dict) -> list[tuple[int, str, bool]]:
    """(trace index, plain name, drawn) per trace, for the list that picks them."""
    return [(n, html.unescape(t["name"]), t.get("visible", True) is True)
            for n, t in enumerate(figure["data"])]


def _title(title: str, width: int = 34) -> tuple[dict, int]:
    """A title anchored to the top of the figure, and the top margin it needs:
    room for its lines plus the labels of the axis at the top of a radar, so
    the two never overlap."""
    wrapped = _wrap(title, width)
    lines = wrapped.count("<br>") + 1
    return ({"text": wrapped, "x": 0, "xanchor": "left", "xref": "container",
             "y": 1, "yanchor": "top", "yref": "container", "pad": {"t": 28, "l": 8},
             "font": {"size": 16}}, 40 + 22 * lines)


def _legend_below() -> dict:
    return {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.06, "yanchor": "top",
            "font": {"size": 12}}


def radar(axes: list[str], traces: list[Trace], low: float, high: float, title: str) -> dict:
    """A scatterpolar figure with one axis per label, on the scale's own range:
    the centre is the lowest point of the scale (1 on a 1–4 scale), not 0."""
    theta = _closed([_wrap(a) for a in axes])   # wrapped once: every trace has the same
    data = [{
        "type": "scatterpolar", "name": text(t.name), "mode": "lines+markers",
        "r": _closed([None if v is None else round(v, 2) for v in t.values]),
        "theta": list(theta), "connectgaps": False,
        "visible": True if t.visible else "legendonly",
        "hovertemplate": "%{theta}: %{r:.2f}<extra>" + text(t.name).replace("{", "&#123;")
                         + "</extra>",
        **_style(n)} for n, t in enumerate(traces)]
    heading, top = _title(title)
    # Wrapped axis labels stand outside the circle, up to four lines above and
    # below it and up to 14 characters (about 90 px) beside it: the margins and
    # the room left under the circle (its domain) keep them inside a 390 px
    # screen and clear of the title and the legend.
    return {"data": data, "layout": {
        "title": heading, "showlegend": True, "legend": _legend_below(),
        "polar": {"domain": {"x": [0, 1], "y": [0.12, 1]},
                  "radialaxis": {"range": [low, high], "autorange": False,
                                 "tickvals": list(range(int(low), int(high) + 1)),
                                 "angle": 90, "tickfont": {"size": 11}},
                  "angularaxis": {"direction": "clockwise", "tickfont": {"size": 11}}},
        "margin": {"l": 95, "r": 95, "t": top + 60, "b": 30}, "height": 640,
        "font": {"family": "system-ui, sans-serif"}}}


def heatmap(rows: list[str], columns: list[str], means: list[list], texts: list[list[str]],
            low: float, high: float, title: str, path: list[int] | None = None,
            path_name: str = "") -> dict:
    """A grid of means, the value printed in each cell, coloured on the scale's range.

    Cividis runs from dark blue to yellow and reads the same for the common
    colour-vision deficiencies and in grey print; plotly picks a text colour
    that contrasts with each cell. A cell without a mean (None) stays blank
    with the text given for it (a dash when hidden). `path` lists row indices
    in the typical order: numbered circles in a lane right of the grid.
    """
    cells = {"type": "heatmap", "x": list(range(len(columns))), "y": list(range(len(rows))),
             "z": [[None if v is None else round(v, 2) for v in row] for row in means],
             "text": texts, "texttemplate": "%{text}", "textfont": {"size": 15},
             "zmin": low, "zmax": high, "colorscale": "Cividis", "xgap": 3, "ygap": 3,
             "hovertemplate": "%{text}<extra></extra>", "name": text(title),
             "colorbar": {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.04,
                          "yanchor": "top", "thickness": 12, "len": 1,
                          "tickvals": list(range(int(low), int(high) + 1))}}
    data, lane = [cells], []
    if path:
        # Alternate sides of the lane, so a step back never runs over a circle.
        lane = [len(columns) - 0.5 + 0.3 + 0.3 * (n % 2) for n in range(len(path))]
        data.append({"type": "scatter", "x": lane, "y": path, "name": text(path_name),
                     "mode": "lines+markers+text", "showlegend": False,
                     "text": [str(n + 1) for n in range(len(path))],
                     "textposition": "middle center", "textfont": {"size": 12},
                     "line": {"color": "#000000", "dash": "dot", "width": 2},
                     "marker": {"size": 22, "color": "#ffffff",
                                "line": {"color": "#000000", "width": 2}},
                     "hovertemplate": text(path_name) + ": %{text}<extra></extra>"})
    heading, top = _title(title)
    right = len(columns) - 0.5 + (0.9 if path else 0)
    return {"data": data, "layout": {
        "title": heading,
        "xaxis": {"tickvals": list(range(len(columns))), "ticktext": [_wrap(c) for c in columns],
                  "side": "top", "range": [-0.5, right], "showgrid": False, "zeroline": False,
                  "fixedrange": True, "automargin": True},
        "yaxis": {"tickvals": list(range(len(rows))), "ticktext": [_wrap(r) for r in rows],
                  "range": [len(rows) - 0.5, -0.5], "showgrid": False, "zeroline": False,
                  "fixedrange": True, "automargin": True},
        "annotations": [{"text": _wrap(path_name, 10), "x": sum(lane) / len(lane), "y": -0.5,
                         "xref": "x", "yref": "y", "yanchor": "bottom", "showarrow": False,
                         "font": {"size": 11}}] if path else [],
        # Column labels sit on top, slanted on a phone: room for them below the title.
        "margin": {"l": 10, "r": 10, "t": top + 70, "b": 50},
        "height": top + 150 + 70 * len(rows),
        "font": {"family": "system-ui, sans-serif"}}}


def mirrored_bars(axes: list[str], traces: list[tuple[int, Trace]], low: float, high: float,
                  title: str, decimal: str = ".") -> dict:
    """Horizontal bars from a middle line: traces with side -1 to the left, 1 to
    the right. A bar's length is its mean above the scale's lowest point, so the
    middle line is that point (1 on a 1–4 scale) and both outer ends the top."""
    width = high - low
    data = []
    for n, (side, t) in enumerate(traces):
        style = _style(n)
        # The n-th trace of each side shares a row slot: school and institute mirror.
        slot = [s for s, _t in traces[:n]].count(side)
        data.append({
            "type": "bar", "orientation": "h", "name": text(t.name), "offsetgroup": str(slot),
            "y": [_wrap(a, 18) for a in axes],
            "x": [None if v is None else round(side * (v - low), 2) for v in t.values],
            "text": ["" if v is None else f"{v:.2f}".replace(".", decimal) for v in t.values],
            "textposition": "outside", "cliponaxis": False,
            "visible": True if t.visible else "legendonly",
            "marker": {"color": style["line"]["color"],
                       "pattern": {"shape": ("", "/", ".", "x")[n % 4], "fgcolor": "#ffffff",
                                   "fillmode": "overlay"}},
            "hovertemplate": "%{y}: %{text}<extra>" + text(t.name).replace("{", "&#123;")
                             + "</extra>"})
    sides = [s for s, _t in traces]
    crowded = max(sides.count(-1), sides.count(1)) > 1
    ticks = list(range(-int(width), int(width) + 1))
    heading, top = _title(title)
    return {"data": data, "layout": {
        "title": heading, "showlegend": True, "legend": _legend_below(),
        "barmode": "group" if crowded else "overlay",
        "xaxis": {"range": [-width - 0.6, width + 0.6], "tickvals": ticks,
                  "ticktext": [str(int(low) + abs(v)) for v in ticks], "fixedrange": True,
                  "zeroline": True, "zerolinewidth": 2, "zerolinecolor": "#000000"},
        "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True,
                  "tickfont": {"size": 11}},
        "margin": {"l": 10, "r": 10, "t": top + 10, "b": 30},
        "height": top + 120 + len(axes) * (18 * len(traces) + 22),
        "font": {"family": "system-ui, sans-serif"}}}


def lines(categories: list[str], traces: list[Trace], low: float, high: float,
          title: str) -> dict:
    """A line chart over categories (e.g. school years) on the scale's own range, one
    line per trace; a missing value (None) leaves a gap. (Trends per group, years page.)"""
    data = [{
        "type": "scatter", "name": text(t.name), "mode": "lines+markers",
        "x": [text(c) for c in categories],
        "y": [None if v is None else round(v, 2) for v in t.values], "connectgaps": False,
        "visible": True if t.visible else "legendonly",
        "hovertemplate": "%{x}: %{y:.2f}<extra>" + text(t.name).replace("{", "&#123;")
                         + "</extra>",
        **_style(n)} for n, t in enumerate(traces)]
    heading, top = _title(title)
    return {"data": data, "layout": {
        "title": heading, "showlegend": True, "legend": _legend_below(),
        "xaxis": {"type": "category", "automargin": True, "fixedrange": True},
        "yaxis": {"range": [low - 0.1, high + 0.1], "autorange": False,
                  "tickvals": list(range(int(low), int(high) + 1)), "fixedrange": True},
        "margin": {"l": 40, "r": 20, "t": top + 10, "b": 30}, "height": top + 320,
        "font": {"family": "system-ui, sans-serif"}}}


def benchmark(themes: list[str], quartiles: list, own: list, low: float, high: float,
              title: str, names: tuple[str, str, str]) -> dict:
    """Per theme (rows) the others' middle half as a bar from the lower to the upper
    quartile, their median as a stroke and the reader's own mean as a diamond.
    `names`: the legend's words for the middle half, the median and the own mean."""
    rows = [_wrap(text(t), 40) for t in themes]
    shown = [q is not None for q in quartiles]
    half = {"type": "bar", "orientation": "h", "name": text(names[0]), "y": rows,
            "base": [q[0] if q else None for q in quartiles],
            "x": [q[2] - q[0] if q else None for q in quartiles],
            "marker": {"color": "rgba(31, 119, 180, 0.35)"}, "hoverinfo": "skip"}
    median = {"type": "scatter", "mode": "markers", "name": text(names[1]), "y": rows,
              "x": [q[1] if q else None for q in quartiles],
              "marker": {"symbol": "line-ns-open", "size": 18, "color": COLOURS[0],
                         "line": {"width": 3}}}
    mine = {"type": "scatter", "mode": "markers", "name": text(names[2]), "y": rows,
            "x": [m if s else None for m, s in zip(own, shown, strict=True)],
            "marker": {"symbol": "diamond", "size": 12, "color": COLOURS[1 % len(COLOURS)]}}
    heading, top = _title(title)
    return {"data": [half, median, mine], "layout": {
        "title": heading, "barmode": "overlay", "showlegend": True, "legend": _legend_below(),
        "xaxis": {"range": [low - 0.1, high + 0.1], "dtick": 1, "zeroline": False},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "height": 120 + 44 * len(themes), "margin": {"t": top, "l": 10, "r": 10, "b": 40}}}

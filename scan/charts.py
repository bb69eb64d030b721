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


def _wrap(label: str, width: int = 18) -> str:
    """Break long axis labels over lines so they fit beside a phone-sized chart."""
    lines, line = [], ""
    for word in text(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def radar(axes: list[str], traces: list[Trace], low: float, high: float, title: str) -> dict:
    """A scatterpolar figure with one axis per label on the scale's range."""
    data = [{
        "type": "scatterpolar", "name": text(t.name), "mode": "lines+markers",
        "r": _closed([None if v is None else round(v, 2) for v in t.values]),
        "theta": _closed([_wrap(a) for a in axes]), "connectgaps": False,
        "visible": True if t.visible else "legendonly",
        "hovertemplate": "%{theta}: %{r:.2f}<extra>" + text(t.name).replace("{", "&#123;")
                         + "</extra>",
        **_style(n)} for n, t in enumerate(traces)]
    return {"data": data, "layout": {
        "title": {"text": text(title)}, "showlegend": True,
        "legend": {"orientation": "h", "y": -0.15},
        "polar": {"radialaxis": {"range": [low, high], "dtick": 1, "angle": 90,
                                 "tickfont": {"size": 11}},
                  "angularaxis": {"direction": "clockwise", "tickfont": {"size": 12}}},
        "margin": {"l": 70, "r": 70, "t": 60, "b": 40}, "height": 520,
        "font": {"family": "system-ui, sans-serif"}}}

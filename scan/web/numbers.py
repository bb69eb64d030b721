"""Numbers as the reader writes them: "2,53" in Dutch, "2.53" in English.

The decimal sign comes from Babel's locale data for the request's language, looked
up once per request: a report shows hundreds of numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.numbers import get_decimal_symbol
from flask import g
from flask_babel import get_locale
from markupsafe import Markup

_KEPT = "_samenscan_decimal"


def decimal_sign() -> str:
    # Kept per language: one request may render in both (a panel's frozen copy is
    # written in Dutch and in English under force_locale).
    lang = str(get_locale())
    kept = g.get(_KEPT) if g else None
    if kept is None:
        kept = {}
        if g:
            setattr(g, _KEPT, kept)
    if lang not in kept:
        kept[lang] = get_decimal_symbol(lang)
    return kept[lang]


def number(value: float, decimals: int = 2) -> str:
    """A mean, gap or margin with `decimals` decimals and the reader's decimal sign."""
    return f"{value:.{decimals}f}".replace(".", decimal_sign())


# What a report table shows for a number it may not show (anonymity) or does not have.
DASH = Markup('<span class="muted">–</span>')


def score(value: float | None) -> str:
    """A mean as report tables show it: two decimals, or a dash for none."""
    return DASH if value is None else number(value)


def scores(sign: str) -> Callable[[float | None], str]:
    """`score` for one decimal sign: a report body formats hundreds of numbers, and
    finding the request's language costs more than formatting one, so a table's rows
    look it up once (decimal_sign()) and format with this."""
    def score_with(value: float | None) -> str:
        return DASH if value is None else f"{value:.2f}".replace(".", sign)
    return score_with


def signed(value: float, decimals: int = 2) -> str:
    """A change with its sign: "+0,13", "−0,40" (a real minus sign)."""
    text = number(abs(value), decimals)
    return ("+" if value >= 0 else "\u2212") + text


def plotly_separators() -> str:
    """plotly's layout.separators: decimal sign, then thousands (none: scores are small)."""
    return decimal_sign() + "\u2009"


def localised(figure: dict | None) -> dict | None:
    """A figure whose hover numbers and axis ticks use the reader's decimal sign."""
    if figure is not None:
        figure["layout"]["separators"] = plotly_separators()
    return figure

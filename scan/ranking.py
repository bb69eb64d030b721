"""Ranking the totals of a dot vote (stippen plakken): most dots first, equal totals
share a place, and whatever got no dot is left out.

Both votes rank this way: over the cards of a card workshop (scan.card_vote) and over
the themes of a joint scoring session (scan.joint). Shared places follow the usual
"1, 2, 2, 4" (standard competition ranking), so a place still says how many came
before; within a place the order is the order the cards or themes came up in the
session, so the list reads the same on the console, the wall and the summary.
"""

from __future__ import annotations

from collections.abc import Iterable


def by_dots(rows: Iterable[dict], came_up: str) -> list[tuple[int, dict]]:
    """(place, row) for every row with dots, most dots first; `came_up` names the
    row's key for when it came up in the session (a card's sequence, a theme's
    position), which orders rows with equal totals."""
    voted = sorted((r for r in rows if r["dots"]), key=lambda r: (-r["dots"], r[came_up]))
    ranked, place = [], 0
    for n, row in enumerate(voted, start=1):
        if n == 1 or row["dots"] != voted[n - 2]["dots"]:
            place = n
        ranked.append((place, row))
    return ranked

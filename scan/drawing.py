"""Drawing dialogue cards (kaarten trekken): at random, filtered, or steered by the scan.

"From the scan" puts first the cards about the themes where the round scored
lowest and where groups disagreed most, alternating the two, and says why each
card was drawn. No Flask and no database here: the caller passes the cards,
what was drawn already and the round's reports.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from scan.questions import Card
from scan.scoring import RoundReport


@dataclass(frozen=True)
class Reason:
    """Why a card was drawn from the scan."""

    dimension_id: str
    kind: str                    # "lowest" or "gap"
    value: float
    group_kind: str | None = None
    high: str | None = None
    low: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Filters:
    deck: str | None = None
    kind: str | None = None
    dimension: str | None = None

    def admit(self, card: Card) -> bool:
        return ((not self.deck or card.deck == self.deck)
                and (not self.kind or card.kind == self.kind)
                and (not self.dimension or self.dimension in card.dimensions))


def pool(cards: Iterable[Card], drawn: set[str], filters: Filters = Filters()) -> list[Card]:
    """The cards still in the pile: never one that was drawn already."""
    return [c for c in cards if c.id not in drawn and filters.admit(c)]


def themes_with_cards(cards: Iterable[Card], deck: str | None = None) -> set[str]:
    """The themes (dimension ids) that at least one card is about, in one deck or in all.

    The theme filter offers only these: choosing a theme no card is about would
    draw nothing. Cards drawn already still count, so the list does not shrink
    during a session; an exhausted theme is reported when drawing instead.
    """
    return {d for c in cards if not deck or c.deck == deck for d in c.dimensions}


def draw_random(pile: list[Card], rng: random.Random) -> Card | None:
    return rng.choice(pile) if pile else None


def scan_priorities(reports: Iterable[RoundReport]) -> list[Reason]:
    """Themes to talk about first: lowest score and largest gap, taking turns."""
    lowest, gaps = [], []
    for report in reports:
        if not report.shown:
            continue
        lowest += [Reason(d, "lowest", m) for d, m in report.overall.means.items()
                   if m is not None]
        gaps += [Reason(d.dimension_id, "gap", d.gap, d.kind, d.high[0], d.low[0])
                 for d in report.differences if d.gap is not None]
    lowest.sort(key=lambda r: r.value)
    gaps.sort(key=lambda r: -r.value)
    ordered, seen = [], set()
    for pair in zip(lowest, gaps, strict=False):
        for reason in pair:
            if reason.dimension_id not in seen:
                seen.add(reason.dimension_id)
                ordered.append(reason)
    for reason in lowest[len(gaps):] + gaps[len(lowest):]:
        if reason.dimension_id not in seen:
            seen.add(reason.dimension_id)
            ordered.append(reason)
    return ordered


def draw_from_scan(pile: list[Card], priorities: list[Reason], rng: random.Random,
                   drawn: Iterable[Card] = ()) -> tuple[Card, Reason] | None:
    """A card about the most pressing theme that still has cards in the pile.

    Themes take turns: a theme that already has a drawn card waits until every
    more pressing theme has one too, so three draws bring three themes to the table.
    """
    covered = Counter(d for card in drawn for d in card.dimensions)
    order = sorted(range(len(priorities)),
                   key=lambda n: (covered[priorities[n].dimension_id], n))
    for reason in (priorities[n] for n in order):
        linked = [c for c in pile if reason.dimension_id in c.dimensions]
        if linked:
            return rng.choice(linked), reason
    return None

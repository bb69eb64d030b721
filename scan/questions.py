"""Question sets (vragenlijsten) and card decks (kaartensets) as immutable objects.

The files in questions/ are the single source of truth; scan.question_files
reads and validates them into these objects. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("nl", "en")
CARD_KINDS = ("visie", "realisatie", "evaluatie")


@dataclass(frozen=True)
class Text:
    """A text in every supported language."""

    nl: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: Text


@dataclass(frozen=True)
class Scale:
    points: tuple[ScalePoint, ...]
    dont_know: ScalePoint

    @property
    def minimum(self) -> int:
        return self.points[0].value

    @property
    def maximum(self) -> int:
        return self.points[-1].value

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(p.value for p in self.points)


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    tags: dict = field(default_factory=dict)
    line: int = field(default=0, compare=False, repr=False)  # where `scan check` points


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    help: Text
    items: tuple[Item, ...]
    tags: dict = field(default_factory=dict)
    line: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Source:
    authors: str
    year: int
    title: str


@dataclass(frozen=True)
class QuestionSet:
    """A questionnaire (vragenlijst): dimensions of items on one scale."""

    id: str
    version: int
    title: Text
    description: Text
    audience: Text
    sources: tuple[Source, ...]
    scale: Scale
    dimensions: tuple[Dimension, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for dim in self.dimensions for item in dim.items)

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)


@dataclass(frozen=True)
class Card:
    """A dialogue card (vragenkaart) with a main question and follow-ups."""

    id: str
    deck: str
    question: Text
    follow_up: tuple[Text, ...]
    dimensions: tuple[str, ...]
    kind: str | None = None
    tip: Text | None = None
    line: int = field(default=0, compare=False, repr=False)  # where `scan check` points


@dataclass(frozen=True)
class Deck:
    id: str
    title: Text
    description: Text
    cards: tuple[Card, ...]
    set: str | None = None


@dataclass(frozen=True)
class Catalogue:
    """Everything in questions/: the sets and the decks, by id."""

    sets: dict[str, QuestionSet]
    decks: dict[str, Deck]

    def dimension_index(self) -> dict[str, tuple[QuestionSet, Dimension]]:
        return {d.id: (s, d) for s in self.sets.values() for d in s.dimensions}

    def cards(self) -> list[Card]:
        return [card for deck in self.decks.values() for card in deck.cards]

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards() if c.id == card_id), None)

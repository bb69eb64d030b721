"""Question sets (vragenlijsten) and card decks (kaartensets) as immutable objects.

The files in questions/ are the single source of truth; scan.question_files
reads and validates them into these objects. No Flask here.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

LANGUAGES = ("nl", "en")
CARD_KINDS = ("visie", "realisatie", "evaluatie")
SECTORS = ("po", "vo", "mbo")
RESPONDENT_ROLES = (
    "stuurgroeplid", "schoolleider", "bestuurder", "schoolopleider", "instituutsopleider",
    "werkplekbegeleider", "leraar-in-opleiding", "starter", "hr", "overig", "programmaleider",
)
# A role a partnership may add (scan.roles) that question files rarely name: where an
# item does not list it, it is asked what the role it stands beside is asked. A
# programme leader (programmaleider) leads the training programme with the steering
# group, so is asked the steering group's statements.
ASKED_AS = {"programmaleider": "stuurgroeplid"}

# An honest time estimate, given as a range (docs/question-files.md, "How long it
# takes"). Everything a respondent reads is counted in words: statements, each
# page's title and help and, for the slow end, the level descriptions (rubric)
# that careful readers unfold. A quick reader reads 230 words a minute and weighs
# a statement in 4 seconds; a careful one reads 170 words a minute (on a phone,
# weighing the school's practice) and takes 10 seconds per statement. Turning a
# page takes 5 to 10 seconds.
# A theme's introduction in proportion to what a person is asked of it: someone routed
# fewer than this many of its statements (and not all of them) reads its short_help,
# one or two sentences, with the full help folded below (docs/question-files.md).
SHORT_INTRO_BELOW = 3
QUICK = {"words_per_minute": 230, "per_item": 4, "per_page": 5}
CAREFUL = {"words_per_minute": 170, "per_item": 10, "per_page": 10}


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
    """A statement. `roles` are the respondent roles asked it; `sector` holds
    wordings for a sector (po, vo, mbo) where the general text reads wrong;
    `first_person` is the same statement as a student teacher says it ("Ik ..."), and
    `first_person_sector` its wording per sector where that differs (docs/question-files.md:
    a sector missing from it reads the general first-person text)."""

    id: str
    text: Text
    tags: dict = field(default_factory=dict)
    line: int = field(default=0, compare=False, repr=False)  # where `scan check` points
    roles: frozenset = field(default=frozenset(RESPONDENT_ROLES), compare=False)
    sector: dict = field(default_factory=dict, compare=False)
    first_person: Text | None = field(default=None, compare=False)
    first_person_sector: dict = field(default_factory=dict, compare=False)

    def asks(self, role: str) -> bool:
        return role in self.roles or ASKED_AS.get(role) in self.roles

    def wording(self, sector: str | None, role: str | None = None) -> Text:
        # A role that judges its own experience reads the first-person wording, in its
        # sector's form when the sector needs other words (pabo, leerkracht, mbo-instelling);
        # `scan check` reports a sector wording without a first-person counterpart.
        if role in FIRST_PERSON_ROLES and self.first_person:
            return self.first_person_sector.get(sector, self.first_person)
        return self.sector.get(sector, self.text)

    def first_person_sectors_missing(self) -> list[str]:
        """The sectors with their own wording but no first-person wording of their own
        (the loader stores `same`, the author's word that the general first-person text
        reads right in that sector, as that text)."""
        if not self.first_person:
            return []
        return [s for s in SECTORS if s in self.sector and s not in self.first_person_sector]


@dataclass(frozen=True)
class Rubric:
    """What the scale's points look like in practice: the lowest, the highest and,
    when written, each point between them in order (a 1-4 scale has two)."""

    lowest: Text
    highest: Text
    between: tuple[Text, ...] = ()

    def levels(self, scale: Scale) -> list[tuple[ScalePoint, Text]]:
        """(scale point, description) for every point that has one, lowest first.
        The in-between texts are shown only when there is one for every such point."""
        inner = scale.points[1:-1]
        complete = len(self.between) == len(inner)
        middle = list(zip(inner, self.between, strict=True)) if complete else []
        return [(scale.points[0], self.lowest), *middle, (scale.points[-1], self.highest)]


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    help: Text
    items: tuple[Item, ...]
    tags: dict = field(default_factory=dict)
    line: int = field(default=0, compare=False, repr=False)
    rubric: Rubric | None = None
    short_help: Text | None = None   # the introduction for someone asked only a few items
    more_help: Text | None = None    # routed: the full help, when `help` is the short one

    def asks(self, role: str) -> bool:
        return any(item.asks(role) for item in self.items)

    def needs_short_help(self, asked: int) -> bool:
        """Whether someone asked `asked` of its statements reads too long an introduction
        for them: fewer than SHORT_INTRO_BELOW, and not the whole theme."""
        return 0 < asked < min(SHORT_INTRO_BELOW, len(self.items))

    def routed(self, items: tuple[Item, ...]) -> Dimension:
        """The theme as one respondent reads it, with only `items` of its statements:
        the short introduction first when they are few (and one is written)."""
        if self.short_help is None or not self.needs_short_help(len(items)):
            return replace(self, items=items)
        return replace(self, items=items, help=self.short_help, more_help=self.help)


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

    @cached_property
    def shape_digest(self) -> str:
        """A digest of what results depend on: dimensions, items, their tags and the
        scale (not the wording). Worked out once per set (it is read per request)."""
        shape = [self.id, list(self.scale.values),
                 [[d.id, sorted(d.tags.items()),
                   [[i.id, sorted((k, str(v)) for k, v in i.tags.items())] for i in d.items]]
                  for d in self.dimensions]]
        return hashlib.sha256(json.dumps(shape, default=str).encode()).hexdigest()[:16]

    def for_role(self, role: str, sector: str | None = None) -> QuestionSet:
        """The set as one respondent sees it: only the statements routed to their
        role, in the wording of their partner's sector (or their own, first-person one)."""
        dimensions = [d.routed(tuple(replace(i, text=i.wording(sector, role))
                                     for i in d.items if i.asks(role)))
                      for d in self.dimensions]
        return replace(self, dimensions=tuple(d for d in dimensions if d.items))


def for_respondent(sets: list[QuestionSet], role: str, sector: str | None) -> list[QuestionSet]:
    """The sets a respondent answers; a set with nothing for their role is left out."""
    routed = [s.for_role(role, sector) for s in sets]
    return [s for s in routed if s.dimensions]


def _words(text: str) -> int:
    return len(text.split())


def _seconds(sets: list[QuestionSet], lang: str, pace: dict, rubrics: bool) -> float:
    words = items = pages = 0
    for qset in sets:
        words += sum(_words(p.label(lang)) for p in qset.scale.points)
        for dim in qset.dimensions:
            pages += 1
            items += len(dim.items)
            words += _words(dim.title(lang)) + _words(dim.help(lang))
            words += sum(_words(i.text(lang)) for i in dim.items)
            if rubrics and dim.rubric:
                words += sum(_words(text(lang)) for _p, text in dim.rubric.levels(qset.scale))
    return (60 * words / pace["words_per_minute"] + items * pace["per_item"]
            + pages * pace["per_page"])


def minutes_to_answer(sets: list[QuestionSet], lang: str = "nl") -> tuple[int, int]:
    """The minutes a questionnaire of these (routed) sets takes, from a quick reader
    who skips the level descriptions to a careful one who reads all four levels;
    whole minutes, at least 1, the careful end always above the quick one."""
    quick = max(1, int(_seconds(sets, lang, QUICK, rubrics=False) // 60))
    careful = -(-_seconds(sets, lang, CAREFUL, rubrics=True) // 60)
    return quick, max(quick + 1, int(careful))


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
class Standard:
    """One standard of a quality framework (a waarborg or kenmerk), with the themes
    (dimensions of the sets) and card decks that bear on it."""

    id: str
    title: Text
    description: Text
    dimensions: tuple[str, ...]
    decks: tuple[str, ...] = ()
    line: int = field(default=0, compare=False, repr=False)   # where `scan check` points
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Framework:
    """A quality framework (kwaliteitskader) a peer-review dossier is written against."""

    id: str
    title: Text
    description: Text
    standards: tuple[Standard, ...]
    source: str = ""

    def standard(self, standard_id: str) -> Standard | None:
        return next((s for s in self.standards if s.id == standard_id), None)


@dataclass(frozen=True)
class Catalogue:
    """Everything in questions/: the sets and the decks, by id (and frameworks/)."""

    sets: dict[str, QuestionSet]
    decks: dict[str, Deck]
    frameworks: dict[str, Framework] = field(default_factory=dict)

    def dimension_index(self) -> dict[str, tuple[QuestionSet, Dimension]]:
        return {d.id: (s, d) for s in self.sets.values() for d in s.dimensions}

    def cards(self) -> list[Card]:
        return [card for deck in self.decks.values() for card in deck.cards]

    def cards_per_dimension(self) -> dict[str, int]:
        counts = {d.id: 0 for s in self.sets.values() for d in s.dimensions}
        for card in self.cards():
            for dim in card.dimensions:
                counts[dim] = counts.get(dim, 0) + 1
        return counts

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards() if c.id == card_id), None)


# Respondent roles who judge their own experience rather than the organisation: their
# statements should read in the first person ("Ik heb inspraak in wie mij begeleidt").
FIRST_PERSON_ROLES = ("leraar-in-opleiding",)
FIRST_PERSON = re.compile(r"\b(ik|mij|me|mijn|m'n)\b", re.IGNORECASE)


def in_first_person(item: Item) -> bool:
    """Whether the Dutch wording speaks as the respondent (ik, mij, mijn)."""
    return bool(FIRST_PERSON.search(item.text("nl")))


def not_in_first_person(qset: QuestionSet, role: str) -> list[Item]:
    """The statements the role is asked that are not in the first person."""
    return [i for i in qset.for_role(role).items if not in_first_person(i)]


def first_person_sector_gaps(qset: QuestionSet, role: str) -> list[tuple[Item, str]]:
    """(statement, sector) where the role reads the first person and the sector has its own
    wording, but the first-person text has no form for that sector: a student teacher at a
    po school would read the vo words (leraar, opleiding) instead of leerkracht and pabo."""
    if role not in FIRST_PERSON_ROLES:
        return []
    return [(item, sector) for item in qset.items if item.asks(role)
            for sector in item.first_person_sectors_missing()]


def short_help_missing(qset: QuestionSet) -> list[tuple[Dimension, list[tuple[str, int]]]]:
    """Themes that routing gives some role only a few of their statements to, without a
    short introduction: (theme, [(role, statements asked)])."""
    missing = []
    for dim in qset.dimensions:
        if dim.short_help is not None:
            continue
        few = [(role, asked) for role in RESPONDENT_ROLES
               if dim.needs_short_help(asked := sum(1 for i in dim.items if i.asks(role)))]
        if few:
            missing.append((dim, few))
    return missing


def levels_described(dimension: Dimension, scale: Scale) -> tuple[int, int]:
    """(levels with a description, levels of the scale)."""
    return (len(dimension.rubric.levels(scale)) if dimension.rubric else 0), len(scale.points)

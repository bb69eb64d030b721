"""A respondent's own mirror (persoonlijke spiegel): after a release, their own
answers beside the partnership's released results for the same themes.

The only key is the respondent's resume token, which only they hold (only its hash
is stored; scan.responses). What stands beside their answers is read from the
released report through scan.results, like every other view: the all-respondents
cells the audit let through, and the cell of the respondent's own role when the
report shows it. Their own answers are theirs (no k applies to showing a person what
they answered themselves); no other person's answer and no hidden cell is ever
handed to the page, because this module receives only the released report.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from scan.questions import Dimension, Item, QuestionSet
from scan.responses import saved_page
from scan.results import RoundReport

NOT_ANSWERED = "not-answered"


@dataclass(frozen=True)
class MirroredStatement:
    item: Item               # as the respondent read it (their role's and sector's wording)
    own: int | None | str    # their value; None: "don't know"; NOT_ANSWERED: no answer stored
    released: float | None   # the statement's released mean (all respondents), or None


@dataclass(frozen=True)
class MirroredTheme:
    dimension: Dimension
    statements: tuple[MirroredStatement, ...]
    own_mean: float | None       # the mean of their own values on the statements they got
    released_mean: float | None  # the theme's released mean, all respondents
    people: int | None           # people behind released_mean
    role_mean: float | None      # the released mean of their own role, when shown

    @property
    def own_values(self) -> int:
        return sum(1 for s in self.statements if isinstance(s.own, int))


@dataclass(frozen=True)
class MirroredSet:
    set: QuestionSet             # routed: the statements this respondent was asked
    themes: tuple[MirroredTheme, ...]
    shown: bool                  # the released report shows anything at all


def own_answers(db: Database, respondent_id: int, routed: QuestionSet) -> dict[str, dict]:
    """Per dimension {item id: value or None ("don't know")} of what this respondent
    stored; items never answered are absent."""
    return {d.id: saved_page(db, respondent_id, d)[0] for d in routed.dimensions}


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _role_mean(report: RoundReport, role: str, dimension_id: str) -> float | None:
    group = next((g for g in report.groups if g.kind == "role" and g.key == role), None)
    return group.means.get(dimension_id) if group else None


def _theme(dimension: Dimension, own: dict, report: RoundReport, role: str) -> MirroredTheme:
    statements = []
    for item in dimension.items:
        released = report.items.get(item.id)
        statements.append(MirroredStatement(item, own.get(item.id, NOT_ANSWERED),
                                            released.mean if released else None))
    values = [s.own for s in statements if isinstance(s.own, int)]
    overall = report.overall
    released = overall.means.get(dimension.id) if overall else None
    return MirroredTheme(dimension, tuple(statements), _mean(values), released,
                         overall.people.get(dimension.id) if released is not None else None,
                         _role_mean(report, role, dimension.id) if overall else None)


def mirrored_set(routed: QuestionSet, own: dict[str, dict], report: RoundReport,
                 role: str) -> MirroredSet:
    """One set's mirror: every theme the respondent was asked, their answers and the
    released numbers for it (None wherever the report shows none)."""
    themes = tuple(_theme(d, own.get(d.id, {}), report, role) for d in routed.dimensions)
    return MirroredSet(routed, themes, report.shown)

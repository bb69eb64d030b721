"""The peer-review dossier (zelfevaluatie voor de peer review): per standard of a
framework, the evidence a partnership holds over a chosen period.

Per theme the standard names: the released survey mean of each school year as that
year's report page shows it (read from the stored released reports, never from
answers, so the dossier shows nothing a report does not), the change between the
first and the last year shown, the joint scores with their evidence, and the
agreements and actions with their progress log. Per standard, the coordinator's
own reflection, kept in versions (dossier_reflection): a save adds a version, so
what was written before stays.

No Flask here: the web layer hands in the reports, joint scores and actions it
reads for the partnership, so every number comes from the same place as the
report pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from scan.anonymised import JointScore, survey_means
from scan.database import immediate
from scan.questions import Catalogue, Dimension, Framework, QuestionSet, Standard
from scan.scoring import RoundReport

REFLECTION_MAX = 8000
DEFAULT_YEARS = 2


class StaleReflection(Exception):
    """Someone saved a newer version of the reflection since the editor opened it."""


@dataclass(frozen=True)
class YearMean:
    """One school year's released mean of a theme (None: not shown that year)."""

    school_year: str
    round_id: int
    mean: float | None
    respondents: int | None      # behind the theme's mean in that release


@dataclass
class ThemeEvidence:
    """What the dossier says about one theme of a standard."""

    set: QuestionSet
    dimension: Dimension
    years: list[YearMean] = field(default_factory=list)
    joint: list[tuple[str, JointScore]] = field(default_factory=list)   # (school year, score)
    actions: list[dict] = field(default_factory=list)   # each with its "log", newest first

    @property
    def shown(self) -> list[YearMean]:
        return [y for y in self.years if y.mean is not None]

    def in_year(self, school_year: str) -> YearMean | None:
        """The year's released mean (of its last round that asked the set)."""
        return next((y for y in reversed(self.years) if y.school_year == school_year), None)

    @property
    def change(self) -> float | None:
        """The last shown year's mean minus the first shown year's (two years or more)."""
        shown = self.shown
        return shown[-1].mean - shown[0].mean if len(shown) >= 2 else None


@dataclass
class Section:
    """One standard with its themes' evidence and the latest reflection."""

    standard: Standard
    themes: list[ThemeEvidence]
    reflection: dict | None = None

    @property
    def has_evidence(self) -> bool:
        return any(t.shown or t.joint or t.actions for t in self.themes)


@dataclass
class Dossier:
    partnership: str
    framework: Framework
    years: list[str]
    sections: list[Section]


def school_years(rounds: list[dict]) -> list[str]:
    """The school years the partnership held a round in, oldest first."""
    return sorted({r["school_year"] for r in rounds})


def chosen_years(available: list[str], asked: list[str]) -> list[str] | None:
    """The years asked for, in order (None: one is not the partnership's); none asked:
    the last DEFAULT_YEARS years."""
    if not asked:
        return available[-DEFAULT_YEARS:]
    if any(y not in available for y in asked):
        return None
    return [y for y in available if y in set(asked)]


def _year_mean(report: RoundReport, dimension_id: str, school_year: str,
               round_id: int) -> YearMean:
    mean = survey_means(report).get(dimension_id)
    people = report.overall.people.get(dimension_id) if report.shown else None
    return YearMean(school_year, round_id, mean, people if mean is not None else None)


def _theme(qset: QuestionSet, dimension: Dimension, rounds: list[dict],
           report_of: Callable, joint_of: Callable, actions: list[dict]) -> ThemeEvidence:
    theme = ThemeEvidence(qset, dimension)
    for r in rounds:
        asked = {s.id: s for s in r["sets"]}
        if qset.id not in asked:
            continue
        theme.years.append(_year_mean(report_of(r["id"], asked[qset.id]), dimension.id,
                                      r["school_year"], r["id"]))
        theme.joint += [(r["school_year"], j) for j in joint_of(r["id"], asked[qset.id])
                        if j.dimension_id == dimension.id]
    theme.actions = [a for a in actions if a["dimension_id"] == dimension.id]
    return theme


def build(partnership: str, framework: Framework, catalogue: Catalogue, rounds: list[dict],
          report_of: Callable[[int, QuestionSet], RoundReport],
          joint_of: Callable[[int, QuestionSet], tuple[JointScore, ...]],
          actions: list[dict], reflections: dict[str, dict]) -> Dossier:
    """The dossier over `rounds` (each with id, school_year and the sets it asked as
    `sets`, oldest first). `report_of` gives a round's released report of a set,
    `joint_of` its joint scores; `actions` carry their progress log as "log"."""
    index = catalogue.dimension_index()
    sections = []
    for standard in framework.standards:
        themes = [_theme(*index[d], rounds, report_of, joint_of, actions)
                  for d in standard.dimensions if d in index]
        sections.append(Section(standard, themes, reflections.get(standard.id)))
    return Dossier(partnership, framework, school_years(rounds), sections)


# ---- reflections -----------------------------------------------------------------------

def reflections(db: Database, partnership_id: int, framework_id: str) -> dict[str, dict]:
    """The latest version of each standard's reflection."""
    rows = db.query("""
        select r.*, u.name as author from dossier_reflection r
        left join user u on u.id = r.user_id
        where r.partnership_id = ? and r.framework_id = ?
          and r.version = (select max(version) from dossier_reflection x
                           where x.partnership_id = r.partnership_id
                             and x.framework_id = r.framework_id
                             and x.standard_id = r.standard_id)""",
                    [partnership_id, framework_id])
    return {row["standard_id"]: row for row in rows}


def history(db: Database, partnership_id: int, framework_id: str,
            standard_id: str) -> list[dict]:
    """Every version of one standard's reflection, newest first."""
    return list(db.query("""
        select r.*, u.name as author from dossier_reflection r
        left join user u on u.id = r.user_id
        where r.partnership_id = ? and r.framework_id = ? and r.standard_id = ?
        order by r.version desc""", [partnership_id, framework_id, standard_id]))


def save_reflection(db: Database, partnership_id: int, framework_id: str, standard_id: str,
                    body: str, seen_version: int, user_id: int | None) -> int:
    """Add a version of a reflection; returns its number.

    `seen_version` is the version the writer started from (0: none): when someone
    saved another since, StaleReflection, and nothing is stored, so neither text is
    lost silently. ValueError: longer than REFLECTION_MAX. The same text as the
    latest version adds nothing (a double submit) and returns that version.
    """
    body = body.replace("\r\n", "\n").strip()
    if len(body) > REFLECTION_MAX:
        raise ValueError("too long")
    with immediate(db):
        latest = db.execute("""select version, body from dossier_reflection
                               where partnership_id = ? and framework_id = ? and standard_id = ?
                               order by version desc limit 1""",
                            [partnership_id, framework_id, standard_id]).fetchone()
        version, text = latest if latest else (0, None)
        if text == body:
            return version
        if version != seen_version:
            raise StaleReflection()
        db.execute("""insert into dossier_reflection
                      (partnership_id, framework_id, standard_id, version, body, user_id)
                      values (?, ?, ?, ?, ?, ?)""",
                   [partnership_id, framework_id, standard_id, version + 1, body, user_id])
    return version + 1

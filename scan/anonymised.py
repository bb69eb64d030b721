"""A released round's results as tables for downloads, under the same rules as the screen.

Everything here reads a RoundReport (scan.scoring), which holds only what the
release shows, so an export can never show more than the report page. The
row-level answers are the one exception: they come from the database, for
the respondents of the release, labelled with the release's row classes
(partner type and role, generalised until k people share a label in every
batch) and numbered at random anew for every download.

Joint scores (scan.joint) are agreements of a group, not anyone's own answer,
so they need no threshold; they are set beside the survey mean only where the
release shows it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlite_utils import Database

from scan.questions import QuestionSet
from scan.release_types import Release
from scan.scoring import RoundReport

ANSWER_HEADER = ["respondent", "partner_type", "role", "dimension", "item", "value",
                 "dont_know"]
COMMENT_HEADER = ["dimension", "comment"]
SUMMARY_HEADER = ["set", "dimension", "group_kind", "group", "respondents", "mean",
                  "spread", "dont_know"]
JOINT_HEADER = ["dimension", "dimension_title", "joint_score", "evidence", "session",
                "session_date", "survey_mean"]


@dataclass(frozen=True)
class JointScore:
    """A joint score the partnership agreed on for one dimension, and where."""

    dimension_id: str
    score: int
    evidence: str
    session: str        # the title of the session it was agreed in
    held_on: str        # that session's date, ISO
    agreed_at: str

    def differs(self, mean: float | None) -> bool:
        """More than one scale step between the joint score and the survey mean."""
        return mean is not None and abs(self.score - mean) > 1


def _round(value):
    return None if value is None else round(value, 3)


def summary_rows(report: RoundReport) -> list[list]:
    """Per dimension: every cell the release shows; "don't know" only for all respondents."""
    if not report.shown:
        return []
    spreads = {d.dimension_id: d.spread for d in report.differences}
    rows = []
    for dim in report.set.dimensions:
        for group in [report.overall, *report.groups]:
            mean = group.means.get(dim.id)
            if mean is None:
                continue
            every = group.kind == "all"
            # A side's size over the set, beside its partner types' sizes, would count
            # the people of a small type folded into it (a board of one): left empty.
            size = None if group.kind == "side" else group.respondents
            rows.append([report.set.id, dim.id, group.kind, group.key, size,
                         _round(mean), _round(spreads.get(dim.id)) if every else None,
                         group.dont_know.get(dim.id) if every else None])
    return rows


def survey_means(report: RoundReport) -> dict[str, float | None]:
    """The mean of all respondents per dimension, None where the release shows none."""
    return {d.id: report.overall.means.get(d.id) if report.shown else None
            for d in report.set.dimensions}


def spreads(report: RoundReport) -> dict[str, float | None]:
    return {d.dimension_id: d.spread for d in report.differences} if report.shown else {}


def joint_scores(agreed: dict[str, dict], qset: QuestionSet) -> tuple[JointScore, ...]:
    """The agreed rows of scan.joint.agreed_scores for the set's dimensions, in the
    set's order; a tuple, so it can be part of a cache key."""
    return tuple(JointScore(d.id, row["score"], row["evidence"], row["title"],
                            row["held_on"], row["agreed_at"])
                 for d in qset.dimensions if (row := agreed.get(d.id)) is not None)


def joint_rows(report: RoundReport, agreed: tuple[JointScore, ...], lang: str) -> list[list]:
    """Per agreed dimension: the joint score, its evidence and session, and the survey
    mean as the summary rounds it (empty where the release shows none)."""
    means = survey_means(report)
    return [[j.dimension_id, report.set.dimension(j.dimension_id).title(lang), j.score,
             j.evidence, j.session, j.held_on, _round(means.get(j.dimension_id))]
            for j in agreed]


def item_rows(report: RoundReport) -> list[dict]:
    return [{"item": s.item_id, "answers": s.answers, "mean": _round(s.mean),
             "distribution": {str(k): v for k, v in s.distribution.items()},
             "dont_know": s.dont_know} for s in report.items.values()] if report.shown else []


def comment_rows(report: RoundReport) -> list[list]:
    """Comments per dimension, without who wrote them, only where the total is shown."""
    if not report.shown:
        return []
    return [[dim, body] for dim, bodies in report.comments.items() for body in bodies]


def _theme_rows(db: Database, release: Release, qset: QuestionSet) -> list[dict]:
    return list(db.query("""
        select x.id as respondent, p.type as partner_type, l.role, p.id as partner_id,
               a.dimension_id, a.item_id, a.value, a.dont_know
        from respondent x
        join group_link l on l.id = x.group_link_id
        join partner p on p.id = l.partner_id
        join answer a on a.respondent_id = x.id and a.set_id = ?
        where x.round_id = ? and x.release_no <= ?""",
                         [qset.id, release.round_id, release.number]))


def _theme_people(rows: list[dict], release: Release,
                  decision: dict) -> dict[tuple, tuple | None]:
    """(theme, respondent) -> (label, statements their rows hold), for everyone with a
    value on the statements of the theme's totals; None: left out, by the release or
    because they gave no value on the statements their class shows."""
    people: dict[tuple, tuple | None] = {}
    valued: dict[tuple, set] = {}
    for r in rows:
        items = decision["dimension_items"].get(r["dimension_id"], [])
        if r["item_id"] not in items or r["value"] is None:
            continue
        key = (r["dimension_id"], r["respondent"])
        valued.setdefault(key, set()).add(r["item_id"])
        kind = release.partners.get(str(r["partner_id"]), {}).get("type", r["partner_type"])
        pair = f"{kind}|{r['role']}"
        found = decision.get("rows", {}).get(r["dimension_id"], {}).get(pair)
        # Releases before generalised rows (no row_items) showed every statement.
        held = decision.get("row_items", {}).get(r["dimension_id"], {}).get(pair, items)
        people[key] = (tuple(found), frozenset(held)) if found else None
    return {key: shown if shown and valued[key] & shown[1] else None
            for key, shown in people.items()}


def answer_rows(db: Database, release: Release | None, qset: QuestionSet,
                threshold: int) -> list[list]:
    """One theme's answers per person, k-anonymous on everything a row shows.

    A person's rows of one theme share a number drawn at random for this download,
    different from their number on any other theme: the label and the statements
    held (routing) are k-anonymous per theme (scan.microdata), and a number that ran
    across themes would join them into a rarer combination. A row holds only the
    statements its class shows (routing patterns merged); rows the release leaves
    out (local suppression) are counted by `rows_left_out`.
    """
    decision = release.for_set(qset.id) if release else None
    if decision is None or release.respondents < threshold or "rows" not in decision:
        return []
    rows = _theme_rows(db, release, qset)
    people = {key: label for key, label in _theme_people(rows, release, decision).items()
              if label is not None}
    # Numbers drawn at random for this download: they say nothing about who
    # started when, and two downloads cannot be lined up by number.
    numbers = secrets.SystemRandom().sample(range(1, 10 * len(people) + 1), len(people))
    number = dict(zip(sorted(people), numbers, strict=True))
    out = []
    for r in rows:
        key = (r["dimension_id"], r["respondent"])
        if key in people and r["item_id"] in people[key][1]:
            label = people[key][0]
            out.append([number[key], label[0], label[1], r["dimension_id"], r["item_id"],
                        r["value"], r["dont_know"]])
    out.sort(key=lambda row: (row[0], row[4]))
    return out


LEFT_OUT_HEADER = ["dimension", "people_left_out", "values_blanked"]


def rows_left_out(release: Release | None, qset: QuestionSet, db: Database,
                  threshold: int) -> list[list]:
    """Per theme, how many people's rows the row-level export leaves out, and how many
    values of the people it shows are blanked (statements outside what their class
    shows), so that every label and set of statements is shared by at least k people."""
    decision = release.for_set(qset.id) if release else None
    if decision is None or release.respondents < threshold or "rows" not in decision:
        return []
    rows = _theme_rows(db, release, qset)
    people = _theme_people(rows, release, decision)
    blanked = dict.fromkeys((d.id for d in qset.dimensions), 0)
    for r in rows:
        shown = people.get((r["dimension_id"], r["respondent"]))
        if (shown and r["value"] is not None and r["item_id"] not in shown[1]
                and r["item_id"] in decision["dimension_items"].get(r["dimension_id"], [])):
            blanked[r["dimension_id"]] += 1
    return [[d.id, sum(1 for (theme, _p), label in people.items()
                       if theme == d.id and label is None), blanked[d.id]]
            for d in qset.dimensions]

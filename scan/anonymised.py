"""A round's answers without anything that points at one person.

Each row carries a respondent number, partner type and role. A partner type
or role that fewer respondents than the threshold share is replaced by a
marker, as small groups are on screen; partner names never appear here.
"""

from __future__ import annotations

from collections import Counter

from sqlite_utils import Database

from scan.questions import QuestionSet
from scan.scoring import RoundReport

SUPPRESSED = "<{n}"
ANSWER_HEADER = ["respondent", "partner_type", "role", "dimension", "item", "value",
                 "dont_know"]
COMMENT_HEADER = ["dimension", "comment"]
SUMMARY_HEADER = ["set", "dimension", "group_kind", "group", "respondents", "mean",
                  "spread", "dont_know"]


def answer_rows(db: Database, round_id: int, qset: QuestionSet, threshold: int) -> list[list]:
    rows = list(db.query("""
        select x.id as respondent, p.type as partner_type, l.role,
               a.dimension_id, a.item_id, a.value, a.dont_know
        from respondent x
        join group_link l on l.id = x.group_link_id
        join partner p on p.id = l.partner_id
        join answer a on a.respondent_id = x.id and a.set_id = ?
        where x.round_id = ? and x.submitted_at is not null
        order by x.id, a.item_id""", [qset.id, round_id]))
    people = {r["respondent"]: (r["partner_type"], r["role"]) for r in rows}
    if len(people) < threshold:
        return []
    types = Counter(t for t, _ in people.values())
    roles = Counter(r for _, r in people.values())
    number = {rid: n for n, rid in enumerate(sorted(people), start=1)}
    marker = SUPPRESSED.format(n=threshold)
    return [[number[r["respondent"]],
             r["partner_type"] if types[r["partner_type"]] >= threshold else marker,
             r["role"] if roles[r["role"]] >= threshold else marker,
             r["dimension_id"], r["item_id"], r["value"], r["dont_know"]] for r in rows]


def summary_rows(report: RoundReport) -> list[list]:
    """Per dimension: all respondents and every group large enough to show."""
    if not report.shown:
        return []
    spreads = {d.dimension_id: d.spread for d in report.differences}
    rows = []
    for dim in report.set.dimensions:
        for group in [report.overall, *report.groups]:
            mean = group.means[dim.id]
            rows.append([report.set.id, dim.id, group.kind, group.key, group.respondents,
                         None if mean is None else round(mean, 3),
                         _round(spreads.get(dim.id)) if group.kind == "all" else None,
                         group.dont_know[dim.id]])
    return rows


def _round(value):
    return None if value is None else round(value, 3)


def item_rows(report: RoundReport) -> list[dict]:
    return [{"item": s.item_id, "answers": s.answers, "mean": _round(s.mean),
             "distribution": {str(k): v for k, v in s.distribution.items()},
             "dont_know": s.dont_know} for s in report.items.values()] if report.shown else []


def comment_rows(report: RoundReport) -> list[list]:
    """Comments per dimension, without who wrote them, only when the round is shown."""
    if not report.shown:
        return []
    return [[dim, body] for dim, bodies in report.comments.items() for body in bodies]

"""Scores of a round: means per dimension and group, spreads, gaps, item distributions.

Definitions (the numbers a steering group reads, so they must be hand-checkable):
- Only respondents who sent in their answers count; "don't know" never enters
  a mean and is counted separately.
- A group's dimension mean pools every answer its respondents gave to the
  dimension's items: sum of values / number of values.
- The spread of a dimension is the population standard deviation of the
  respondents' own dimension means.
- The gap of a dimension is the largest difference between the means of two
  groups of one kind (partner types, roles or partners), among groups shown.
- A group with fewer respondents than the anonymity threshold is never shown
  on its own; it still counts in "all respondents" and in larger groups.

The database aggregates per respondent × dimension and per item × value, so
no more than one round's aggregated rows ever come into Python.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlite_utils import Database

from scan.questions import QuestionSet

GROUP_KINDS = ("partner_type", "role", "partner")


@dataclass(frozen=True)
class GroupScore:
    """One group's view: all respondents, one role, one partner type or one partner."""

    kind: str          # "all" or one of GROUP_KINDS
    key: str           # role code, partner type code, partner name; "all"
    respondents: int
    means: dict        # dimension id -> mean, or None when nobody answered it
    dont_know: dict    # dimension id -> number of "don't know" answers


@dataclass(frozen=True)
class Difference:
    """Where views differ on one dimension: spread and the largest group gap."""

    dimension_id: str
    spread: float | None
    gap: float | None = None
    kind: str | None = None
    high: tuple[str, float] | None = None   # (group key, mean)
    low: tuple[str, float] | None = None


@dataclass(frozen=True)
class ItemScore:
    item_id: str
    answers: int
    mean: float | None
    distribution: dict      # scale value -> count
    dont_know: int


@dataclass
class RoundReport:
    """Everything the report page, the exports and the card drawing need."""

    set: QuestionSet
    threshold: int
    respondents: int
    overall: GroupScore | None
    groups: list[GroupScore] = field(default_factory=list)
    hidden: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, key, n)
    differences: list[Difference] = field(default_factory=list)
    items: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    tag_means: dict = field(default_factory=dict)  # tag key -> [(tag value, mean, answers)]

    @property
    def shown(self) -> bool:
        """Too few respondents in all: nothing is shown, not even the total."""
        return self.overall is not None


def _respondent_rows(db: Database, round_id: int, set_id: str) -> list[dict]:
    return list(db.query("""
        select x.id as respondent, l.role, p.name as partner, p.type as partner_type,
               a.dimension_id, sum(a.value) as total, count(a.value) as answered,
               sum(a.dont_know) as dont_know
        from respondent x
        join group_link l on l.id = x.group_link_id
        join partner p on p.id = l.partner_id
        join answer a on a.respondent_id = x.id and a.set_id = ?
        where x.round_id = ? and x.submitted_at is not null
        group by x.id, a.dimension_id""", [set_id, round_id]))


def _item_rows(db: Database, round_id: int, set_id: str) -> list[dict]:
    return list(db.query("""
        select a.item_id, a.value, a.dont_know, count(*) as n
        from answer a join respondent x on x.id = a.respondent_id
        where a.round_id = ? and a.set_id = ? and x.submitted_at is not null
        group by a.item_id, a.value, a.dont_know""", [round_id, set_id]))


def _group_score(kind: str, key: str, rows: list[dict], dimension_ids) -> GroupScore:
    totals, answered, dont_know = defaultdict(int), defaultdict(int), defaultdict(int)
    for row in rows:
        totals[row["dimension_id"]] += row["total"] or 0
        answered[row["dimension_id"]] += row["answered"]
        dont_know[row["dimension_id"]] += row["dont_know"]
    means = {d: (totals[d] / answered[d] if answered[d] else None) for d in dimension_ids}
    return GroupScore(kind, key, len({r["respondent"] for r in rows}), means,
                      {d: dont_know[d] for d in dimension_ids})


def _spread(rows: list[dict], dimension_id: str) -> float | None:
    own_means = [r["total"] / r["answered"] for r in rows
                 if r["dimension_id"] == dimension_id and r["answered"]]
    return statistics.pstdev(own_means) if len(own_means) > 1 else None


def _largest_gap(dimension_id: str, spread, groups: list[GroupScore]) -> Difference:
    best = Difference(dimension_id, spread)
    for kind in GROUP_KINDS:
        scored = [(g.key, g.means[dimension_id]) for g in groups
                  if g.kind == kind and g.means.get(dimension_id) is not None]
        if len(scored) < 2:
            continue
        high, low = max(scored, key=lambda s: s[1]), min(scored, key=lambda s: s[1])
        gap = high[1] - low[1]
        if best.gap is None or gap > best.gap:
            best = Difference(dimension_id, spread, gap, kind, high, low)
    return best


def _item_scores(rows: list[dict], qset: QuestionSet) -> dict[str, ItemScore]:
    per_item: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        per_item[row["item_id"]].append(row)
    scores = {}
    for item in qset.items:
        found = per_item.get(item.id, [])
        distribution = {v: 0 for v in qset.scale.values}
        for row in found:
            if not row["dont_know"] and row["value"] in distribution:
                distribution[row["value"]] += row["n"]
        answers = sum(distribution.values())
        mean = sum(v * n for v, n in distribution.items()) / answers if answers else None
        dont_know = sum(r["n"] for r in found if r["dont_know"])
        scores[item.id] = ItemScore(item.id, answers, mean, distribution, dont_know)
    return scores


def _tag_means(qset: QuestionSet, items: dict[str, ItemScore]) -> dict:
    """Means per value of every item tag (e.g. mechanism, level), pooled over items."""
    sums: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    order: dict = defaultdict(list)
    for item in qset.items:
        score = items[item.id]
        for key, value in item.tags.items():
            if value not in order[key]:
                order[key].append(value)
            sums[key][value][0] += (score.mean or 0) * score.answers
            sums[key][value][1] += score.answers
    return {key: [(v, sums[key][v][0] / sums[key][v][1] if sums[key][v][1] else None,
                   sums[key][v][1]) for v in values]
            for key, values in order.items() if len(values) > 1}


def _comments(db: Database, round_id: int, set_id: str) -> dict[str, list[str]]:
    comments: dict[str, list[str]] = defaultdict(list)
    for row in db.query("""
            select c.dimension_id, c.body from comment c
            join respondent x on x.id = c.respondent_id
            where c.round_id = ? and c.set_id = ? and x.submitted_at is not null
            order by c.dimension_id, c.body""", [round_id, set_id]):
        comments[row["dimension_id"]].append(row["body"])
    return dict(comments)


def round_report(db: Database, round_id: int, qset: QuestionSet, threshold: int) -> RoundReport:
    """The report of one set in one round, with small groups left out."""
    rows = _respondent_rows(db, round_id, qset.id)
    dimension_ids = [d.id for d in qset.dimensions]
    respondents = len({r["respondent"] for r in rows})
    if respondents < threshold:
        return RoundReport(qset, threshold, respondents, None)
    overall = _group_score("all", "all", rows, dimension_ids)
    groups, hidden = [], []
    for kind in GROUP_KINDS:
        members: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            members[row[kind]].append(row)
        for key in sorted(members):
            score = _group_score(kind, key, members[key], dimension_ids)
            if score.respondents >= threshold:
                groups.append(score)
            else:
                hidden.append((kind, key, score.respondents))
    differences = [_largest_gap(d, _spread(rows, d), groups) for d in dimension_ids]
    differences.sort(key=lambda d: (d.gap is None, -(d.gap or 0), -(d.spread or 0)))
    items = _item_scores(_item_rows(db, round_id, qset.id), qset)
    return RoundReport(qset, threshold, respondents, overall, groups, hidden, differences,
                       items, _comments(db, round_id, qset.id), _tag_means(qset, items))


def submitted_count(db: Database, round_id: int) -> int:
    """How many respondents sent in answers: a report changes only when this does."""
    return db.execute("select count(*) from respondent where round_id = ? "
                      "and submitted_at is not null", [round_id]).fetchone()[0]


@dataclass(frozen=True)
class YearScore:
    round_id: int
    school_year: str
    respondents: int
    means: dict          # dimension id -> mean over the compared items, or None
    compared: dict       # dimension id -> number of items compared


def comparable_items(rounds: list[dict], qset: QuestionSet) -> dict[str, list[str]]:
    """Per dimension, the items asked in every one of these rounds: only those compare."""
    asked = [set(json.loads(r["item_ids"])) for r in rounds]
    common = set.intersection(*asked) if asked else set()
    return {d.id: [i.id for i in d.items if i.id in common] for d in qset.dimensions}


def _year_means(db: Database, round_id: int, set_id: str, items: dict[str, list[str]]) -> dict:
    wanted = [i for ids in items.values() for i in ids]
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = db.query(f"""
        select a.dimension_id, sum(a.value) as total, count(a.value) as answered
        from answer a join respondent x on x.id = a.respondent_id
        where a.round_id = ? and a.set_id = ? and x.submitted_at is not null
          and a.item_id in ({marks})
        group by a.dimension_id""", [round_id, set_id, *wanted])
    return {r["dimension_id"]: r["total"] / r["answered"] for r in rows if r["answered"]}


def years(db: Database, partnership_id: int, qset: QuestionSet,
          threshold: int) -> tuple[list[YearScore], list[tuple[str, int]], dict]:
    """Every round of a partnership that asked this set, oldest first.

    Returns the shown years, the years left out for too few respondents, and the
    items compared per dimension (the same item ids in every shown year).
    """
    rounds = list(db.query("""
        select r.id, r.school_year, s.item_ids,
               (select count(*) from respondent x where x.round_id = r.id
                  and x.submitted_at is not null) as respondents
        from round r join round_set s on s.round_id = r.id and s.set_id = ?
        where r.partnership_id = ? order by r.school_year, r.id""", [qset.id, partnership_id]))
    shown = [r for r in rounds if r["respondents"] >= threshold]
    left_out = [(r["school_year"], r["respondents"]) for r in rounds if r not in shown]
    items = comparable_items(shown, qset)
    scores = [YearScore(r["id"], r["school_year"], r["respondents"],
                        _year_means(db, r["id"], qset.id, items),
                        {d: len(ids) for d, ids in items.items()}) for r in shown]
    return scores, left_out, items

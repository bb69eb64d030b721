"""Scores of a released round: means per dimension and group, spreads, gaps, items.

Definitions (the numbers a steering group reads, so they must be hand-checkable):
- Only respondents in the latest release count (scan.releases); "don't know"
  never enters a mean and is counted separately.
- A dimension's totals use the items the release fixed for it: items that
  fewer than k people answered are left out of every total.
- A group's dimension mean pools every answer its respondents gave to those
  items: sum of values / number of values.
- The spread of a dimension is the population standard deviation of the
  respondents' own dimension means.
- The gap of a dimension is the largest difference between the means of two
  groups of one kind (partner types, roles or partners), among cells shown.
- Which group cells are shown the release decided (scan.disclosure): never a
  group of fewer than k people who gave a value, nor one that could be worked
  out from what is shown. Hidden cells are None here, so no view can leak them.

The database aggregates per respondent × dimension and per item × value, so
no more than one round's aggregated rows ever come into Python.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from scan.questions import QuestionSet
from scan.release_types import Release
from scan.sides import side_of

GROUP_KINDS = ("partner_type", "role", "partner")


@dataclass(frozen=True)
class GroupScore:
    """One group's view: all respondents, one role, one partner type or one partner."""

    kind: str          # "all" or one of GROUP_KINDS
    key: str           # role code, partner type code, partner name; "all"
    respondents: int   # people in the group who gave a value somewhere in the set
    means: dict        # dimension id -> mean, or None when not shown
    dont_know: dict    # dimension id -> number of "don't know" answers (all respondents only)
    people: dict = field(default_factory=dict)  # dimension id -> people who gave a value
                                                # to it, for the cells shown


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
    """Everything the report page, the exports and the card drawing may show."""

    set: QuestionSet
    threshold: int
    respondents: int
    overall: GroupScore | None
    groups: list[GroupScore] = field(default_factory=list)
    hidden: list[tuple[str, str]] = field(default_factory=list)  # (kind, key)
    differences: list[Difference] = field(default_factory=list)
    items: dict = field(default_factory=dict)       # shown items only
    comments: dict = field(default_factory=dict)
    tag_means: dict = field(default_factory=dict)  # tag key -> [(tag value, mean, answers)]
    release: int | None = None
    released_at: str | None = None
    # dimension id -> {side -> why it is left out} (scan.sides); empty for a release
    # from before sides were audited, whose reports have no side groups at all.
    sides_left_out: dict = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        """Nothing released, or too few respondents: nothing is shown, not even the total."""
        return self.overall is not None


def _respondent_rows(db: Database, round_id: int, release: int, items: list[str],
                     partners: dict) -> list[dict]:
    marks = ", ".join("?" for _ in items) or "null"
    rows = list(db.query(f"""
        select x.id as respondent, l.role, l.partner_id, a.dimension_id,
               sum(a.value) as total, count(a.value) as answered,
               sum(a.dont_know) as dont_know
        from respondent x
        join group_link l on l.id = x.group_link_id
        join answer a on a.respondent_id = x.id and a.item_id in ({marks})
        where x.round_id = ? and x.release_no <= ?
        group by x.id, a.dimension_id""", [*items, round_id, release]))
    for row in rows:
        partner = partners.get(str(row["partner_id"]), {"name": "?", "type": "?"})
        row["partner"], row["partner_type"] = partner["name"], partner["type"]
        row["side"] = side_of(partner["type"])
        row["partner_key"] = str(row["partner_id"])
    return rows


def _item_rows(db: Database, round_id: int, release: int, items: list[str]) -> list[dict]:
    marks = ", ".join("?" for _ in items) or "null"
    return list(db.query(f"""
        select a.item_id, a.value, a.dont_know, count(*) as n
        from answer a join respondent x on x.id = a.respondent_id
        where a.round_id = ? and x.release_no <= ? and a.item_id in ({marks})
        group by a.item_id, a.value, a.dont_know""", [round_id, release, *items]))


def _group_score(kind: str, key: str, rows: list[dict], shown: dict) -> GroupScore:
    """Means of the dimensions where this group's cell is shown; None elsewhere."""
    totals, answered, dont_know = defaultdict(int), defaultdict(int), defaultdict(int)
    for row in rows:
        totals[row["dimension_id"]] += row["total"] or 0
        answered[row["dimension_id"]] += row["answered"]
        dont_know[row["dimension_id"]] += row["dont_know"]
    visible = {d for d, cells in shown.items() if [kind, key] in cells}
    means = {d: (totals[d] / answered[d] if d in visible and answered[d] else None)
             for d in shown}
    people = len({r["respondent"] for r in rows if r["answered"]})
    counted = {d: dont_know[d] for d in shown if d in visible} if kind == "all" else {}
    per_theme = {d: sum(1 for r in rows if r["dimension_id"] == d and r["answered"])
                 for d in visible}
    return GroupScore(kind, key, people, means, counted, per_theme)


def _spread(rows: list[dict], dimension_id: str) -> float | None:
    own_means = [r["total"] / r["answered"] for r in rows
                 if r["dimension_id"] == dimension_id and r["answered"]]
    return statistics.pstdev(own_means) if len(own_means) > 1 else None


def _largest_gap(dimension_id: str, spread, groups: list[GroupScore]) -> Difference:
    best = Difference(dimension_id, spread)
    for kind in (*GROUP_KINDS, "side"):
        scored = [(g.key, g.means[dimension_id]) for g in groups
                  if g.kind == kind and g.means.get(dimension_id) is not None]
        if len(scored) < 2:
            continue
        high, low = max(scored, key=lambda s: s[1]), min(scored, key=lambda s: s[1])
        gap = high[1] - low[1]
        if best.gap is None or gap > best.gap:
            best = Difference(dimension_id, spread, gap, kind, high, low)
    return best


def _item_scores(rows: list[dict], qset: QuestionSet, shown: list[str]) -> dict[str, ItemScore]:
    per_item: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        per_item[row["item_id"]].append(row)
    scores = {}
    for item in (i for i in qset.items if i.id in shown):
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
    """Means per value of every item tag (e.g. mechanism, level), pooled over shown items."""
    sums: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    order: dict = defaultdict(list)
    for item in qset.items:
        score = items.get(item.id)
        for key, value in item.tags.items():
            if value not in order[key]:
                order[key].append(value)
            if score:
                sums[key][value][0] += (score.mean or 0) * score.answers
                sums[key][value][1] += score.answers
    return {key: [(v, sums[key][v][0] / sums[key][v][1] if sums[key][v][1] else None,
                   sums[key][v][1]) for v in values]
            for key, values in order.items() if len(values) > 1}


def _comments(db: Database, release: Release, set_id: str, cells: dict[str, list],
              large: dict[str, list[str]]) -> dict[str, list[str]]:
    """Comments of released respondents, without who wrote them, sorted so their order
    says nothing about when or by whom.

    A comment is shown under a theme only where the release shows, on that theme, a
    group its writer belongs to by partner type or by role, or their side when their
    partner type has k or more people there: otherwise the report would hide every
    group of the writer there (a lone board member) while quoting them. Comments a
    coordinator held back (scan.comments) are never shown.
    """
    comments: dict[str, list[str]] = defaultdict(list)
    for row in db.query("""
            select c.dimension_id, c.body, l.partner_id, l.role from comment c
            join respondent x on x.id = c.respondent_id
            join group_link l on l.id = x.group_link_id
            where c.round_id = ? and c.set_id = ? and x.release_no <= ? and not c.held_back
            order by c.dimension_id, c.body""", [release.round_id, set_id, release.number]):
        kind = release.partners.get(str(row["partner_id"]), {}).get("type")
        shown = cells.get(row["dimension_id"], [])
        # The writer's side counts too (scan.sides), if their own partner type has k
        # or more people there who count (the release noted it): a board folded into
        # the school side because it is small is never quoted under it.
        in_side = (["side", side_of(kind)] in shown
                   and kind in large.get(row["dimension_id"], []))
        if ["all", "all"] in shown and (["partner_type", kind] in shown
                                         or ["role", row["role"]] in shown or in_side):
            comments[row["dimension_id"]].append(row["body"])
    return dict(comments)


def round_report(db: Database, release: Release | None, qset: QuestionSet,
                 threshold: int, names: dict | None = None) -> RoundReport:
    """The report of one set as a release shows it: nothing before the first release.

    `names` (partner id -> name) labels partners as they are called now; who
    belongs to which group stays as the release recorded it.
    """
    return with_names(computed(db, release, qset, threshold),
                      partner_labels(release) if release else {}, names)


def computed(db: Database, release: Release | None, qset: QuestionSet,
             threshold: int) -> RoundReport:
    """The report of one set as a release shows it, with partners keyed by their id
    (as stored in scan.stored; `with_names` labels them)."""
    decision = release.for_set(qset.id) if release else None
    if decision is None or release.respondents < threshold:
        return RoundReport(qset, threshold, release.respondents if release else 0, None)
    used = [i for items in decision["dimension_items"].values() for i in items]
    rows = _respondent_rows(db, release.round_id, release.number, used, release.partners)
    # A dimension the question file gained after this release is simply not shown.
    shown = {d.id: decision["cells"].get(d.id, []) for d in qset.dimensions}
    overall = _group_score("all", "all", rows, shown)
    groups, hidden = [], []
    # The sides (scan.sides) only where the release audited them.
    for kind in (*GROUP_KINDS, "side") if "sides" in decision else GROUP_KINDS:
        members: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            if row.get(kind) is not None or kind == "partner":
                members[row["partner_key" if kind == "partner" else kind]].append(row)
        for key in sorted(members):
            score = _group_score(kind, key, members[key], shown)
            if any(m is not None for m in score.means.values()):
                groups.append(replace(score, dont_know={}))
            else:
                hidden.append((kind, key))
    differences = [_largest_gap(d, _spread(rows, d) if overall.means[d] is not None else None,
                                groups) for d in shown]
    differences.sort(key=lambda d: (d.gap is None, -(d.gap or 0), -(d.spread or 0)))
    items = _item_scores(_item_rows(db, release.round_id, release.number, decision["items"]),
                         qset, decision["items"])
    return audited(RoundReport(qset, threshold, release.respondents, overall, groups, hidden,
                               differences, items,
                               _comments(db, release, qset.id, shown,
                                         decision.get("large_types", {})),
                               _tag_means(qset, items), release.number, release.created_at,
                               {d: decision.get("sides", {}).get(d, {}) for d in shown}),
                   release)


class Unaudited(Exception):
    """A report would show a number its release's audit did not decide on."""


def audited(report: RoundReport, release: Release) -> RoundReport:
    """The report, if every number in it sits where the release's audit put it; else
    Unaudited, so a reader gets an error rather than an unaudited number.

    The audit (scan.releases, scan.disclosure) solves one system of equations over
    theme totals per group, statement totals and row classes. Statement
    distributions, "don't know" counts and spreads are not linear totals, so they
    are allowed only where that system already covers them (docs/privacy.md, "one
    door"): for all respondents together, on a theme whose total for all is shown
    (a spread, "don't know" per theme), or on a statement the release shows with k
    or more people who count (distribution, "don't know" per statement). A change
    between two releases is then one batch of k or more people, which the audit
    checks as the difference of the two "all" totals. A view that wanted any of
    these per group would have to bring them into the equations first.
    """
    if not report.shown:
        return report
    decision = release.for_set(report.set.id) or {}
    cells = decision.get("cells", {})

    def refuse(what: str) -> None:
        raise Unaudited(f"{report.set.id}, release {release.number}: {what}")

    for group in [report.overall, *report.groups]:
        for dimension, mean in group.means.items():
            if mean is not None and [group.kind, group.key] not in cells.get(dimension, []):
                refuse(f"{group.kind} {group.key} on {dimension} is not a cell the audit shows")
        if group.kind != "all" and group.dont_know:
            refuse(f"\"don't know\" counts for {group.kind} {group.key}")
    overall_shown = {d for d, mean in report.overall.means.items() if mean is not None}
    if set(report.overall.dont_know) - overall_shown:
        refuse("\"don't know\" counts on a theme whose total is hidden")
    if any(d.spread is not None and d.dimension_id not in overall_shown
           for d in report.differences):
        refuse("a spread on a theme whose total is hidden")
    # Judged by the k the release was made with: raising k later changes new releases
    # only (docs/privacy.md). Releases from before k or the givers were kept have the
    # audit's list of shown statements alone.
    givers, k = decision.get("item_givers"), decision.get("k")
    for item in report.items:
        if item not in decision.get("items", []) or (
                givers is not None and k is not None and givers.get(item, 0) < k):
            refuse(f"statement {item} is not shown by the audit")
    return report


def partner_labels(release: Release) -> dict[str, str]:
    """Partner id -> the name the release recorded: the label when no current name is known."""
    return {key: p.get("name", key) for key, p in release.partners.items()}


def with_names(report: RoundReport, labels: dict, names: dict | None) -> RoundReport:
    """A report from `computed` with its partner groups labelled by name: the current
    name (`names`, partner id -> name) where known, else the one the release recorded.
    Only labels change; every number and the order stay as computed."""
    def name(key: str) -> str:
        if names and key in names:
            return names[key]
        return labels.get(key, key)

    def label(kind: str, key: str) -> str:
        return name(key) if kind == "partner" else key

    def renamed(d: Difference) -> Difference:
        if d.kind != "partner":
            return d
        return replace(d, high=(name(d.high[0]), d.high[1]), low=(name(d.low[0]), d.low[1]))

    return replace(report,
                   groups=[replace(g, key=label(g.kind, g.key)) if g.kind == "partner" else g
                           for g in report.groups],
                   hidden=[(kind, label(kind, key)) for kind, key in report.hidden],
                   differences=[renamed(d) for d in report.differences])


@dataclass(frozen=True)
class YearScore:
    round_id: int
    school_year: str
    respondents: int
    means: dict          # dimension id -> mean over the compared items, or None
    compared: dict       # dimension id -> number of items compared


def comparable_items(shown: list[list[str]], qset: QuestionSet) -> dict[str, list[str]]:
    """Per dimension, the items every compared year showed: only those compare."""
    common = set.intersection(*map(set, shown)) if shown else set()
    return {d.id: [i.id for i in d.items if i.id in common] for d in qset.dimensions}


def _year_means(report: RoundReport, items: dict[str, list[str]]) -> dict:
    """Pooled from the items the release shows, so a year says nothing new."""
    means = {}
    for dimension, ids in items.items():
        scores = [report.items[i] for i in ids if i in report.items]
        answers = sum(s.answers for s in scores)
        if answers:
            means[dimension] = sum((s.mean or 0) * s.answers for s in scores) / answers
    return means


def years(reports: list[tuple[dict, RoundReport]],
          qset: QuestionSet) -> tuple[list[YearScore], list[str], dict]:
    """Every round (with its released report) that asked this set, oldest first.

    Returns the shown years, the years left out (nothing released, or too few
    respondents), and the items compared per dimension.
    """
    shown = [(r, rep) for r, rep in reports if rep.shown]
    left_out = [r["school_year"] for r, rep in reports if not rep.shown]
    items = comparable_items([list(rep.items) for _r, rep in shown], qset)
    scores = [YearScore(r["id"], r["school_year"], rep.respondents, _year_means(rep, items),
                        {d: len(ids) for d, ids in items.items()}) for r, rep in shown]
    return scores, left_out, items

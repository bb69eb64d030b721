"""Released reports, computed once and kept in SQLite (table released_report).

A release is the only moment a round's results change (scan.releases), so the
report of each of its sets is computed then, in the release's own transaction,
and stored as JSON. Every view and every worker reads these stored numbers;
none recomputes them from answers. A report that was not stored (a release
made before this table existed, another anonymity threshold, a set whose
question file changed) is computed on first read and stored then.

A stored report is exactly what `scoring.computed` returned: partners keyed by
their id, never by name. Names are applied when read (`scoring.with_names`),
so a renamed partner shows its new name at once.

The JSON is exact: floats are written with repr and read back as the same
floats; ints stay ints, tuples become tuples again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from scan import scoring
from scan.database import immediate
from scan.questions import QuestionSet
from scan.release_types import Release, releases
from scan.scoring import Difference, GroupScore, ItemScore, RoundReport


def set_version(qset: QuestionSet) -> str:
    """The set as a report uses it: its version and a digest of its dimensions, items,
    tags and scale. A stored report is read only for the same set."""
    return f"{qset.version}:{qset.shape_digest}"


def _group(g: GroupScore) -> list:
    return [g.kind, g.key, g.respondents, g.means, g.dont_know, g.people]


def to_json(report: RoundReport, labels: dict) -> str:
    """The report without its set (the round's asked set is known when read), and the
    names the release recorded for the partners it shows (`labels`)."""
    overall = report.overall
    body = {
        "threshold": report.threshold, "respondents": report.respondents,
        "overall": _group(overall) if overall else None,
        "groups": [_group(g) for g in report.groups],
        "hidden": [list(h) for h in report.hidden],
        "differences": [[d.dimension_id, d.spread, d.gap, d.kind,
                         list(d.high) if d.high else None, list(d.low) if d.low else None]
                        for d in report.differences],
        "items": [[s.item_id, s.answers, s.mean, list(s.distribution.items()), s.dont_know]
                  for s in report.items.values()],
        "comments": report.comments,
        "tag_means": [[key, [list(row) for row in rows]]
                      for key, rows in report.tag_means.items()],
        "release": report.release, "released_at": report.released_at,
        "sides_left_out": report.sides_left_out, "labels": labels,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str, qset: QuestionSet) -> tuple[RoundReport, dict]:
    """The report and the release's partner labels, as `to_json` wrote them."""
    body = json.loads(text)

    def group(row: list | None) -> GroupScore | None:
        return GroupScore(*row) if row else None

    report = RoundReport(
        qset, body["threshold"], body["respondents"], group(body["overall"]),
        [group(g) for g in body["groups"]],
        [tuple(h) for h in body["hidden"]],
        [Difference(d, spread, gap, kind, tuple(high) if high else None,
                    tuple(low) if low else None)
         for d, spread, gap, kind, high, low in body["differences"]],
        {item: ItemScore(item, answers, mean, dict((v, n) for v, n in distribution), dk)
         for item, answers, mean, distribution, dk in body["items"]},
        body["comments"],
        {key: [tuple(row) for row in rows] for key, rows in body["tag_means"]},
        body["release"], body["released_at"], body.get("sides_left_out", {}))
    return report, body["labels"]


def _labels(release: Release, report: RoundReport) -> dict:
    """The recorded names of the partners the report mentions (the fallback label)."""
    keys = {g.key for g in report.groups if g.kind == "partner"}
    keys |= {key for kind, key in report.hidden if kind == "partner"}
    names = scoring.partner_labels(release)
    return {key: names.get(key, key) for key in sorted(keys)}


def store(db: Database, release: Release, qset: QuestionSet, threshold: int) -> int:
    """Compute one set's report of a release and store it (a second store of the same
    report keeps the first, which is the same). Returns the stored row's id."""
    report = scoring.computed(db, release, qset, threshold)
    text = to_json(report, _labels(release, report))
    with immediate(db):
        db.execute("""insert into released_report
                      (round_id, release_no, set_id, threshold, set_version, body)
                      values (?, ?, ?, ?, ?, ?) on conflict do nothing""",
                   [release.round_id, release.number, qset.id, threshold,
                    set_version(qset), text])
        return stored_id(db, release.round_id, release.number, qset, threshold)


def store_release(db: Database, release: Release, sets: list[QuestionSet],
                  threshold: int) -> None:
    """Store the report of every set a release covers (called inside the release's
    transaction, so no reader finds a release without its reports)."""
    for qset in sets:
        store(db, release, qset, threshold)


def stored_id(db: Database, round_id: int, release_no: int, qset: QuestionSet,
              threshold: int) -> int | None:
    row = db.execute("""select id from released_report where round_id = ? and release_no = ?
                        and set_id = ? and threshold = ? and set_version = ?""",
                     [round_id, release_no, qset.id, threshold, set_version(qset)]).fetchone()
    return row[0] if row else None


def body(db: Database, row_id: int) -> str | None:
    row = db.execute("select body from released_report where id = ?", [row_id]).fetchone()
    return row[0] if row else None


def report_row(db: Database, round_id: int, release_no: int, qset: QuestionSet,
               threshold: int) -> int:
    """The id of a release's stored report of one set: stored now if it was not
    (a release made before reports were stored, another threshold, a changed set)."""
    row = stored_id(db, round_id, release_no, qset, threshold)
    if row is None:
        found = next(r for r in releases(db, round_id) if r.number == release_no)
        row = store(db, found, qset, threshold)
    return row


def load_report(db: Database, row_id: int, qset: QuestionSet,
                names: dict | None) -> tuple[RoundReport, int]:
    """A stored report with its partners named (current `names` first), and the size
    of its JSON (what a cache of it is charged)."""
    text = body(db, row_id)
    report, labels = from_json(text, qset)
    return scoring.with_names(report, labels, names), len(text)


@dataclass(frozen=True)
class Headline:
    """What a report page says about its release around the results: how many people,
    which release, when. Read by SQLite out of the stored JSON (`headline`), so a page
    whose results are already rendered never parses the whole report."""

    threshold: int
    respondents: int          # in the release
    answered: int | None      # behind the set's overall scores; None: nothing shown
    release: int | None
    released_at: str | None

    @property
    def shown(self) -> bool:
        return self.answered is not None

    @classmethod
    def of(cls, report: RoundReport) -> Headline:
        return cls(report.threshold, report.respondents,
                   report.overall.respondents if report.overall else None,
                   report.release, report.released_at)


def headline(db: Database, row_id: int) -> Headline:
    """The headline of a stored report (the overall group is [kind, key, respondents, …])."""
    row = db.execute("""
        select json_extract(body, '$.threshold'), json_extract(body, '$.respondents'),
               json_extract(body, '$.overall[2]'), json_extract(body, '$.release'),
               json_extract(body, '$.released_at')
        from released_report where id = ?""", [row_id]).fetchone()
    return Headline(*row)

"""Releases (vrijgaven): the only moments a round's results change for readers.

Reports, exports, the years page and drawing "from the scan" read the latest
release, never the live answers, so saving an export before and after one
person submits shows nothing new. A release happens when a round closes, or,
with interim results switched on, as soon as k or more new people have sent
in answers. A batch of fewer than k people who gave values is held back until
more arrive: releasing it would show their answers as the difference between
two releases.

Each release stores what it decided, so later releases can be audited against
everything shown before (scan.disclosure):
- per dimension, the items its totals use (fixed at the first release: items
  that fewer than k people answered are left out of every total),
- which items are shown on their own,
- which group cells (all, partner type, role, partner) are shown,
- the labels of the row-level export,
- the partners as they were (name and type), so a renamed partner or a
  changed type does not change what an earlier release meant.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from scan import disclosure
from scan.database import immediate
from scan.questions import QuestionSet
from scan.rounds import round_sets

GROUP_KINDS = ("partner_type", "role", "partner")


@dataclass(frozen=True)
class Release:
    round_id: int
    number: int
    created_at: str
    respondents: int
    partners: dict      # partner id (str) -> {"name": ..., "type": ...}
    decisions: dict     # set id -> decision; "classes" -> {"type|role": [label type, role]}

    def for_set(self, set_id: str) -> dict | None:
        return self.decisions.get("sets", {}).get(set_id)

    def label(self, partner_type: str, role: str) -> tuple[str, str]:
        found = self.decisions.get("classes", {}).get(f"{partner_type}|{role}")
        return tuple(found) if found else ("*", "*")


def _release(row: dict) -> Release:
    return Release(row["round_id"], row["number"], row["created_at"], row["respondents"],
                   json.loads(row["partners"]), json.loads(row["decisions"]))


def releases(db: Database, round_id: int) -> list[Release]:
    return [_release(r) for r in db.query(
        "select * from release where round_id = ? order by number", [round_id])]


def latest(db: Database, round_id: int) -> Release | None:
    row = next(db.query("select * from release where round_id = ? order by number desc limit 1",
                        [round_id]), None)
    return _release(row) if row else None


@dataclass
class People:
    """Everyone a release would show: atom (batch, partner id, role) and answers."""

    atom: dict          # respondent id -> (batch, partner id, role)
    values: dict        # respondent id -> {item id: value}; don't know is left out
    real: set           # respondents with at least one value on the scale


def _people(db: Database, round_id: int, batch_number: int) -> People:
    atom, values = {}, defaultdict(dict)
    for row in db.query("""
            select x.id, coalesce(x.release_no, ?) as batch, l.partner_id, l.role
            from respondent x join group_link l on l.id = x.group_link_id
            where x.round_id = ? and x.submitted_at is not null""",
                        [batch_number, round_id]):
        atom[row["id"]] = (row["batch"], row["partner_id"], row["role"])
    for row in db.query("""select a.respondent_id, a.item_id, a.value from answer a
                           join respondent x on x.id = a.respondent_id
                           where a.round_id = ? and x.submitted_at is not null
                             and a.value is not null""", [round_id]):
        values[row["respondent_id"]][row["item_id"]] = row["value"]
    return People(atom, dict(values), {p for p in atom if values.get(p)})


def held_back(db: Database, round_id: int) -> int:
    """Submitted respondents that no release shows yet."""
    return db.execute("select count(*) from respondent where round_id = ? and "
                      "submitted_at is not null and release_no is null", [round_id]).fetchone()[0]


def release(db: Database, round_id: int, sets: list[QuestionSet], k: int) -> int | None:
    """Release every submitted, unreleased respondent if k or more of them gave values.

    Returns the new release number, or None when the batch is held back (or
    another request released it first).
    """
    previous = releases(db, round_id)
    number = len(previous) + 1
    people = _people(db, round_id, number)
    batch = [p for p, a in people.atom.items() if a[0] == number]
    if len([p for p in batch if p in people.real]) < k:
        return None
    partners = {str(r["id"]): {"name": r["name"], "type": r["type"]} for r in db.query(
        "select p.id, p.name, p.type from partner p join round r "
        "on r.partnership_id = p.partnership_id where r.id = ?", [round_id])}
    current = Release(round_id, number, "", len(people.real), partners,
                      {"classes": {}, "sets": {}})
    audits = []
    for qset in sets:
        decision, set_audits = _decide_set(qset, people, [*previous, current], k)
        current.decisions["sets"][qset.id] = decision
        audits += set_audits
    current.decisions["classes"] = _classes(people, current, k, audits)
    return _store(db, current, batch, sets, k)


def _store(db: Database, current: Release, batch: list[int], sets: list[QuestionSet],
           k: int) -> int | None:
    # Imported here: scan.stored reads reports with scan.scoring, which reads releases.
    from scan import stored

    with immediate(db):
        done = db.execute("select count(*) from release where round_id = ?",
                          [current.round_id]).fetchone()[0]
        marks = ", ".join("?" for _ in batch)
        waiting = db.execute(f"select count(*) from respondent where id in ({marks}) "
                             "and release_no is null", batch).fetchone()[0]
        if done != current.number - 1 or waiting != len(batch):
            return None   # someone else released in between; their release stands
        db.execute("""insert into release (round_id, number, respondents, partners, decisions)
                      values (?, ?, ?, ?, ?)""",
                   [current.round_id, current.number, current.respondents,
                    json.dumps(current.partners), json.dumps(current.decisions)])
        db.execute(f"update respondent set release_no = ? where id in ({marks})",
                   [current.number, *batch])
        # The release's reports, computed once in its own transaction: every view and
        # every worker reads these (scan.stored).
        made = latest(db, current.round_id)
        try:
            with db.atomic():   # a savepoint: a failure here loses the stored copy only
                stored.store_release(db, made, sets, k)
        except Exception:  # noqa: BLE001 - the release stands; reports compute on first read
            logging.getLogger(__name__).exception("storing the reports of release %s of "
                                                  "round %s failed", made.number,
                                                  made.round_id)
    return current.number


@dataclass(frozen=True)
class Audit:
    """One dimension's published totals, to check a row-level labelling against."""

    weights: dict
    published: list      # atom sets shown now or before
    partitions: list     # earlier row-level exports' classes


def _classes(people: People, current: Release, k: int, audits: list[Audit]) -> dict:
    """Row-level labels chosen after the report's cells, so rows never undo them."""
    real = {p: (current.partners[str(a[1])]["type"], a[2], a[0])
            for p, a in people.atom.items() if p in people.real}

    def safe(labels: dict) -> bool:
        trial = Release(current.round_id, current.number, "", 0, current.partners,
                        {"classes": {f"{t}|{r}": list(x) for (t, r), x in labels.items()}})
        for audit in audits:
            partition = _class_partition(trial, set(audit.weights))
            if disclosure.disclosed([*audit.published, *partition], audit.weights, k,
                                    [*audit.partitions, partition]) is not None:
                return False
        return True

    labels = disclosure.row_classes(real, k, safe)
    return {f"{t}|{r}": list(label) for (t, r), label in labels.items()}


def _atoms_of(kind: str, key: str, atoms: set, partners: dict, upto: int) -> frozenset:
    def member(atom) -> bool:
        batch, partner, role = atom
        if batch > upto:
            return False
        if kind == "all":
            return True
        if kind == "partner_type":
            return partners.get(str(partner), {}).get("type") == key
        if kind == "role":
            return role == key
        return str(partner) == key
    return frozenset(a for a in atoms if member(a))


def _class_partition(rel: Release, atoms: set) -> list[frozenset]:
    parts = defaultdict(set)
    for atom in atoms:
        batch, partner, role = atom
        if batch <= rel.number:
            kind = rel.partners.get(str(partner), {}).get("type", "")
            parts[rel.label(kind, role)].add(atom)
    return [frozenset(p) for p in parts.values()]


def _decide_set(qset: QuestionSet, people: People, history: list[Release],
                k: int) -> tuple[dict, list[Audit]]:
    """What release history[-1] shows of one set, given everything shown before."""
    earlier = [r.for_set(qset.id) for r in history[:-1]]
    earlier = [(r, d) for r, d in zip(history[:-1], earlier, strict=True) if d]
    givers = _givers(qset, people)
    fixed_items = earlier[0][1]["dimension_items"] if earlier else {}
    # A dimension new in the question file since the first release gets its items now.
    dimension_items = {d.id: fixed_items.get(d.id, [i.id for i in d.items if givers[i.id] >= k])
                       for d in qset.dimensions}
    decision = {"dimension_items": dimension_items,
                "item_givers": givers,
                "items": _shown_items(qset, givers, dimension_items, earlier, k),
                "cells": {}}
    audits = []
    for dim in qset.dimensions:
        cells, audit = _shown_cells(dim.id, dimension_items[dim.id], people, history, earlier, k)
        decision["cells"][dim.id] = cells
        audits.append(audit)
    return decision, audits


def _givers(qset: QuestionSet, people: People) -> dict[str, int]:
    counts = {i.id: 0 for i in qset.items}
    for answers in people.values.values():
        for item in answers:
            if item in counts:
                counts[item] += 1
    return counts


def _shown_items(qset, givers: dict, dimension_items: dict, earlier: list, k: int) -> list[str]:
    """Items shown on their own: k or more givers, and k or more new ones since the
    last release that showed the item (else the difference is a few people's answers).

    Within a dimension's totals, one item failing hides all of them: otherwise the
    dimension's change minus the other items' changes would give the failing one's.
    """
    def passes(item: str) -> bool:
        if givers[item] < k:
            return False
        last = next((d["item_givers"].get(item, 0) for _r, d in reversed(earlier)
                     if item in d["items"]), 0)
        return givers[item] - last == 0 or givers[item] - last >= k
    shown = {i.id for i in qset.items if passes(i.id)}
    for items in dimension_items.values():
        if any(i not in shown for i in items) and earlier:
            shown -= set(items)
    return [i.id for i in qset.items if i.id in shown]


def _shown_cells(dimension_id: str, items: list[str], people: People, history: list[Release],
                 earlier: list, k: int) -> tuple[list[list[str]], Audit]:
    now = history[-1]
    weights: dict[tuple, int] = defaultdict(int)
    for person, atom in people.atom.items():
        answered = people.values.get(person, {})
        weights[atom] += int(any(i in answered for i in items))
    atoms = set(weights)
    fixed = [_atoms_of(kind, key, atoms, rel.partners, rel.number)
             for rel, decision in earlier for kind, key in decision["cells"].get(dimension_id, [])]
    # Any release's rows may be downloaded once the round closes on it, so the
    # coordinator's view holds every earlier release's classes; a viewer's none.
    partitions = [_class_partition(rel, atoms) for rel in history[:-1]]
    classes = [part for partition in partitions for part in partition]
    views = [disclosure.View(fixed), disclosure.View([*fixed, *classes], partitions)]
    candidates = [disclosure.Cell(("all", "all"), _atoms_of("all", "all", atoms, {}, now.number))]
    keys = {(kind, _key(kind, atom, now.partners)) for atom in atoms for kind in GROUP_KINDS}
    groups = [disclosure.Cell((kind, key), _atoms_of(kind, key, atoms, now.partners,
                                                      now.number)) for kind, key in keys if key]
    groups.sort(key=lambda c: (-sum(weights[a] for a in c.atoms), GROUP_KINDS.index(c.name[0]),
                               c.name[1]))
    chosen = disclosure.choose(candidates + groups, weights, k, views)
    audit = Audit(dict(weights), [*fixed, *classes, *(c.atoms for c in chosen)], partitions)
    return [list(c.name) for c in chosen], audit


def _key(kind: str, atom: tuple, partners: dict | None = None) -> str | None:
    _batch, partner, role = atom
    if kind == "role":
        return role
    if kind == "partner":
        return str(partner)
    return (partners or {}).get(str(partner), {}).get("type")


def release_closed_rounds(db: Database, catalogue, k: int) -> list[int]:
    """Release closed rounds whose answers no release shows: closed before releases
    existed, or closed without their release (a worker stopped between the two,
    before they were one transaction) with k or more people waiting.

    Run by `scan init-db`, so an upgraded database shows its closed rounds' results
    complete, under the disclosure rules.
    """
    waiting = [r["id"] for r in db.query("""
        select r.id from round r where r.status = 'closed'
          and exists (select 1 from respondent p where p.round_id = r.id
                      and p.submitted_at is not null)
          and (not exists (select 1 from release x where x.round_id = r.id)
               or (select count(*) from respondent p where p.round_id = r.id
                   and p.submitted_at is not null and p.release_no is null) >= ?)""", [k])]
    return [rid for rid in waiting if release(db, rid, round_sets(db, catalogue, rid), k)]

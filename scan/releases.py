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
- the labels of the row-level export and the statements its rows hold,
- the partners as they were (name and type), so a renamed partner or a
  changed type does not change what an earlier release meant.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlite_utils import Database

from scan import disclosure, microdata, sides, stored
from scan.database import immediate
from scan.questions import QuestionSet
from scan.release_types import Release, latest, releases
from scan.rounds import round_sets

GROUP_KINDS = ("partner_type", "role", "partner")


@dataclass
class People:
    """Everyone a release would show: atom (batch, partner id, role) and answers."""

    atom: dict          # respondent id -> (batch, partner id, role)
    values: dict        # respondent id -> {item id: value}; don't know is left out
    real: set           # respondents with at least one value on the scale
    link: dict = field(default_factory=dict)       # respondent id -> group link id
    personal: set = field(default_factory=set)     # started from a personal invitation
    expected: dict = field(default_factory=dict)   # link id -> people expected (invited)
    before: dict = field(default_factory=dict)     # unnumbered link id -> last questionnaire
                                                   # started before numbers were asked (0021)

    def counted(self, givers: Iterable) -> set:
        """Who of these counts towards k (docs/privacy.md, "who counts"): a personal
        invitation is one person; a group link's questionnaires count up to the link's
        expected number of people, personal ones first, then in the order they were
        started. Questionnaires beyond that may be fakes by whoever holds the link, so
        they never lift a group over k (their values are still in the totals, and the
        audit still protects them as people).

        A link without an expected number counts nothing: anyone holding it could fill
        in any number of questionnaires from fresh browsers. Only the questionnaires it
        had started before expected numbers were asked for (migration 0021) count, as
        they did then, so rounds from before keep showing what they showed."""
        room = dict(self.expected)
        chosen = set()
        for person in sorted(givers, key=lambda p: (p not in self.personal, p)):
            link = self.link.get(person)
            if room.get(link) is None:
                if person <= self.before.get(link, 0):
                    chosen.add(person)
            elif room[link] > 0:
                room[link] -= 1
                chosen.add(person)
        return chosen


def _people(db: Database, round_id: int, batch_number: int) -> People:
    atom, values, link, personal = {}, defaultdict(dict), {}, set()
    for row in db.query("""
            select x.id, coalesce(x.release_no, ?) as batch, l.partner_id, l.role,
                   x.group_link_id, x.via
            from respondent x join group_link l on l.id = x.group_link_id
            where x.round_id = ? and x.submitted_at is not null""",
                        [batch_number, round_id]):
        atom[row["id"]] = (row["batch"], row["partner_id"], row["role"])
        link[row["id"]] = row["group_link_id"]
        if row["via"] == "personal":
            personal.add(row["id"])
    for row in db.query("""select a.respondent_id, a.item_id, a.value from answer a
                           join respondent x on x.id = a.respondent_id
                           where a.round_id = ? and x.submitted_at is not null
                             and a.value is not null""", [round_id]):
        values[row["respondent_id"]][row["item_id"]] = row["value"]
    expected, before = {}, {}
    for row in db.query("select id, invited, counted_upto from group_link "
                        "where round_id = ?", [round_id]):
        expected[row["id"]] = row["invited"]
        before[row["id"]] = row["counted_upto"] or 0
    return People(atom, dict(values), {p for p in atom if values.get(p)}, link, personal,
                  expected, before)


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
    counted = people.counted(people.real)
    if len([p for p in batch if p in counted]) < k:
        return None
    partners = {str(r["id"]): {"name": r["name"], "type": r["type"]} for r in db.query(
        "select p.id, p.name, p.type from partner p join round r "
        "on r.partnership_id = p.partnership_id where r.id = ?", [round_id])}
    current = Release(round_id, number, "", len(counted), partners,
                      {"classes": {}, "sets": {}})
    for qset in sets:
        current.decisions["sets"][qset.id] = _decide_set(qset, people, [*previous, current], k)
    return _store(db, current, batch, sets, k)


def _store(db: Database, current: Release, batch: list[int], sets: list[QuestionSet],
           k: int) -> int | None:
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
    """One theme's published totals, to check its row-level classes against."""

    weights: dict        # piece (atom, statement) -> people
    members: dict        # piece -> the people behind it
    published: list      # piece sets shown now or before (themes, statements, rows)
    partitions: list     # earlier row-level exports' classes


def _atoms_of(kind: str, key: str, atoms: set, partners: dict, upto: int) -> frozenset:
    def member(atom) -> bool:
        batch, partner, role = atom
        if batch > upto:
            return False
        if kind == "all":
            return True
        if kind == "partner_type":
            return partners.get(str(partner), {}).get("type") == key
        if kind == "side":
            return sides.side_of(partners.get(str(partner), {}).get("type")) == key
        if kind == "role":
            return role == key
        return str(partner) == key
    return frozenset(a for a in atoms if member(a))


def _pattern(qset: QuestionSet, items: list[str]) -> Callable[[str], frozenset]:
    """The statements of a theme's totals a role was asked: what its rows hold."""
    asked = {i.id: i for i in qset.items}
    return lambda role: frozenset(i for i in items if i in asked and asked[i].asks(role))


def _row_partition(rel: Release, set_id: str, dimension_id: str, atoms: set,
                   pattern: Callable[[str], frozenset]) -> list[tuple[frozenset, frozenset]]:
    """The atoms of a release's rows of one theme, grouped as its export shows them
    (label and statements held), each with the statements its rows hold; rows left
    out belong to no part."""
    decision = rel.for_set(set_id) or {}
    rows = decision.get("rows", {}).get(dimension_id)
    held = decision.get("row_items", {}).get(dimension_id, {})
    parts = defaultdict(set)
    for atom in atoms:
        batch, partner, role = atom
        if batch > rel.number:
            continue
        kind = rel.partners.get(str(partner), {}).get("type", "")
        pair = f"{kind}|{role}"
        if rows is None:     # a release from before theme-level rows: round-level labels
            parts[(rel.label(kind, role), pattern(role))].add(atom)
        elif rows.get(pair) is not None:
            # Before generalised rows (no row_items) a row held all its role was asked.
            statements = frozenset(held[pair]) if pair in held else pattern(role)
            parts[(tuple(rows[pair]), statements)].add(atom)
    return [(frozenset(atoms_), statements) for (_label, statements), atoms_ in parts.items()]


def _decide_set(qset: QuestionSet, people: People, history: list[Release], k: int) -> dict:
    """What release history[-1] shows of one set, given everything shown before."""
    earlier = [r.for_set(qset.id) for r in history[:-1]]
    earlier = [(r, d) for r, d in zip(history[:-1], earlier, strict=True) if d]
    counted = people.counted(people.real)
    givers = _givers(qset, people, counted)
    fixed_items = earlier[0][1]["dimension_items"] if earlier else {}
    # A dimension new in the question file since the first release gets its items now.
    dimension_items = {d.id: fixed_items.get(d.id, [i.id for i in d.items if givers[i.id] >= k])
                       for d in qset.dimensions}
    decision = {"dimension_items": dimension_items,
                "item_givers": givers,
                "items": _shown_items(qset, givers, dimension_items, earlier, k),
                "cells": {}, "rows": {}, "row_items": {}, "sides": {},
                "large_types": {}, "k": k}
    for dim in qset.dimensions:
        theme = _Theme(qset, dim.id, dimension_items[dim.id], decision["items"], counted)
        cells, audit, left_out = _shown_cells(theme, people, history, earlier, k)
        decision["cells"][dim.id] = cells
        decision["sides"][dim.id] = left_out
        decision["large_types"][dim.id] = _large_types(theme, people, history[-1], k)
        decision["rows"][dim.id], decision["row_items"][dim.id] = _row_labels(
            theme, people, history[-1], audit, k)
    return decision


def _large_types(theme: _Theme, people: People, now: Release, k: int) -> list[str]:
    """Partner types with k or more people who count and gave a value on the theme:
    their comments may stand under their side where their own type is hidden only
    because the side is shown (scan.scoring)."""
    who: dict[str, int] = defaultdict(int)
    for person, atom in people.atom.items():
        if person in theme.counted and any(i in people.values.get(person, {})
                                           for i in theme.items):
            who[now.partners.get(str(atom[1]), {}).get("type", "")] += 1
    return sorted(t for t, n in who.items() if n >= k)


@dataclass(frozen=True)
class _Theme:
    """One theme of a set as a release audits it."""

    qset: QuestionSet
    id: str
    items: list          # the statements its totals use
    shown_items: list    # statements of the set shown on their own
    counted: set         # people who count towards k

    def statements(self, earlier: list) -> list[str]:
        """Statements whose values enter a total: the theme's, and its shown ones."""
        own = {i.id for i in self.qset.dimension(self.id).items}
        shown = {i for _r, d in earlier for i in d["items"]} | set(self.shown_items)
        return sorted(set(self.items) | (own & shown))


def _pieces(atoms: Iterable, statements: Iterable, weights: dict) -> frozenset:
    return frozenset((a, i) for a in atoms for i in statements if (a, i) in weights)


def _givers(qset: QuestionSet, people: People, counted: set) -> dict[str, int]:
    """Per statement, the people who gave it a value and count towards k: a statement's
    total, distribution and "don't know" count are shown only from k of them, so
    questionnaires that could be fakes never make a statement visible either."""
    counts = {i.id: 0 for i in qset.items}
    for person, answers in people.values.items():
        if person not in counted:
            continue
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


def _shown_cells(theme: _Theme, people: People, history: list[Release], earlier: list,
                 k: int) -> tuple[list[list[str]], Audit, dict[str, str]]:
    """The group cells of one theme a release shows, audited in one system with its
    statement totals and every earlier release's cells, statements and rows; and why
    a side of the partnership is left out (scan.sides)."""
    now = history[-1]
    statements = theme.statements(earlier)
    members: dict[tuple, set] = defaultdict(set)
    weights: dict[tuple, int] = defaultdict(int)
    for person, atom in people.atom.items():
        for item in people.values.get(person, {}):
            if item in statements:
                givers = members[(atom, item)]   # a piece, even if nobody in it counts
                weights[(atom, item)] += 1
                if person in theme.counted:
                    givers.add(person)
    members = {piece: frozenset(who) for piece, who in members.items()}
    # A piece's weight is everyone who gave it a value, its members only those who
    # count towards k: a piece of uncounted questionnaires (an unnumbered link, or
    # beyond its number) stays in the audit with 0 people, so no total may give it
    # away either: any of them may be a real person.
    weights = dict(weights)
    atoms = set(people.atom.values())
    pattern = _pattern(theme.qset, theme.items)

    def cell(kind: str, key: str, partners: dict, upto: int) -> frozenset:
        return _pieces(_atoms_of(kind, key, atoms, partners, upto), theme.items, weights)

    def statement(item: str, upto: int) -> frozenset:
        return _pieces(_atoms_of("all", "all", atoms, {}, upto), [item], weights)

    fixed = [cell(kind, key, rel.partners, rel.number)
             for rel, decision in earlier for kind, key in decision["cells"].get(theme.id, [])]
    fixed += [statement(i, rel.number) for rel, decision in earlier
              for i in decision["items"] if i in statements]
    # Any release's rows may be downloaded once the round closes on it, so the
    # coordinator's view holds every earlier release's rows; a viewer's none.
    earlier_rows = [_row_partition(rel, theme.qset.id, theme.id, atoms, pattern)
                    for rel in history[:-1]]
    partitions = [[_pieces(part, shown, weights) for part, shown in parts]
                  for parts in earlier_rows]
    rows = [_pieces(part, [i], weights) for parts in earlier_rows for part, shown in parts
            for i in shown]
    views = [disclosure.View(fixed), disclosure.View([*fixed, *rows], partitions)]
    shown_now = [statement(i, now.number) for i in theme.shown_items if i in statements]
    candidates = [disclosure.Cell(("all", "all"), cell("all", "all", {}, now.number))]
    keys = {(kind, _key(kind, atom, now.partners)) for atom in atoms for kind in GROUP_KINDS}
    groups = [disclosure.Cell((kind, key), cell(kind, key, now.partners, now.number))
              for kind, key in keys if key]
    groups.sort(key=lambda c: (-disclosure.people_in(c.atoms, weights, members),
                               GROUP_KINDS.index(c.name[0]), c.name[1]))
    folds = [disclosure.Cell(("side", key), cell("side", key, now.partners, now.number))
             for key in sides.SIDES]
    chosen, left_out = sides.choose(
        candidates, groups, folds,
        lambda cells: disclosure.choose(cells, weights, k, views, members, shown_now),
        lambda c: disclosure.people_in(c.atoms, weights, members), k)
    audit = Audit(weights, members,
                  [*fixed, *rows, *shown_now, *(c.atoms for c in chosen)], partitions)
    return [list(c.name) for c in chosen], audit, left_out


def _row_labels(theme: _Theme, people: People, now: Release, audit: Audit,
                k: int) -> tuple[dict[str, list | None], dict[str, list]]:
    """The labels of this theme's rows in a row-level export (None: rows left out) and
    the statements each role's rows hold (scan.microdata), chosen after the report's
    cells, so the rows never undo them."""
    pattern = _pattern(theme.qset, theme.items)
    who = {}
    for person, (batch, partner, role) in people.atom.items():
        valued = frozenset(i for i in theme.items if i in people.values.get(person, {}))
        if person in theme.counted and valued:
            who[person] = microdata.Person((now.partners[str(partner)]["type"], role), batch,
                                           pattern(role), valued)
    atoms = set(people.atom.values())
    published = disclosure.Audited(audit.published, audit.weights, k, audit.members)

    def safe(choice: microdata.Choice) -> bool:
        rows, held = _stored_rows(choice)
        trial = Release(now.round_id, now.number, "", 0, now.partners,
                        {"sets": {theme.qset.id: {"rows": {theme.id: rows},
                                                  "row_items": {theme.id: held}}}})
        parts = _row_partition(trial, theme.qset.id, theme.id, atoms, pattern)
        partition = [_pieces(part, shown, audit.weights) for part, shown in parts]
        cells = [_pieces(part, [i], audit.weights) for part, shown in parts for i in shown]
        return published.disclosed(cells, [*audit.partitions, partition]) is None

    return _stored_rows(microdata.theme_rows(who, k, safe))


def _stored_rows(choice: microdata.Choice) -> tuple[dict[str, list | None], dict[str, list]]:
    """A theme's row classes as a release stores them: "type|role" -> label (None: left
    out), and "type|role" -> the statements its rows hold."""
    rows = {f"{t}|{r}": list(shown[0]) if shown else None for (t, r), shown in choice.items()}
    held = {f"{t}|{r}": sorted(shown[1]) for (t, r), shown in choice.items() if shown}
    return rows, held


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

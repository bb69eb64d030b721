"""A curious colleague with a spreadsheet: everything a reader can download, and the
arithmetic that would pull one person's answers out of it.

The attacker's knowledge is what the exports show at one or more moments. The
ground truth (who answered what) comes from the database and is used only to
name the groups the attacker's equations are about and to judge whether what
they can derive belongs to fewer than k people.

Method: every published group mean is a sum over *atoms* (partner × role ×
the moment a respondent first appeared in the results). A set of atoms U is
disclosed when its total is a linear combination of published totals, checked
exactly over the rationals. U matters when fewer than k people gave a value in
it: the same criterion a statistics office audits a suppressed table with.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

# The two sides of a partnership, as the attacker reads the exports' "side" groups.
SIDE_OF = {"school": "school-side", "bestuur": "school-side", "instituut": "institute-side"}


@dataclass
class Person:
    id: int
    partner_id: int
    partner: str
    partner_type: str
    role: str
    values: dict            # dimension id -> number of scale values given
    appeared: int | None = None   # first snapshot whose results include this person


@dataclass
class Knowledge:
    """What the attacker collected, snapshot after snapshot."""

    people: dict[int, Person]
    k: int
    snapshots: list[dict] = field(default_factory=list)


def ground_truth(db, round_id: int) -> dict[int, Person]:
    people = {}
    for row in db.query("""
            select x.id, p.id as partner_id, p.name, p.type, l.role
            from respondent x join group_link l on l.id = x.group_link_id
            join partner p on p.id = l.partner_id where x.round_id = ?""", [round_id]):
        people[row["id"]] = Person(row["id"], row["partner_id"], row["name"], row["type"],
                                   row["role"], defaultdict(int))
    for row in db.query("""select respondent_id, dimension_id, count(value) as n from answer
                           where round_id = ? group by respondent_id, dimension_id""",
                        [round_id]):
        people[row["respondent_id"]].values[row["dimension_id"]] = row["n"]
    return people


def included(db, round_id: int) -> set[int]:
    """Respondents whose answers are in the results readers see right now."""
    columns = {c.name for c in db["respondent"].columns}
    if "release_no" in columns:
        rows = db.query("select id from respondent where round_id = ? and release_no is not null",
                        [round_id])
    else:
        rows = db.query("select id from respondent where round_id = ? "
                        "and submitted_at is not null", [round_id])
    return {r["id"] for r in rows}


def observe(knowledge: Knowledge, db, round_id: int, export: dict) -> None:
    """Add one moment's JSON export, noting who the results now include."""
    moment = len(knowledge.snapshots)
    fresh = ground_truth(db, round_id)
    for pid, person in fresh.items():
        known = knowledge.people.setdefault(pid, person)
        known.values = person.values
    for pid in included(db, round_id):
        if knowledge.people[pid].appeared is None:
            knowledge.people[pid].appeared = moment
    knowledge.snapshots.append(export)


def _atom(person: Person) -> tuple:
    return (person.partner_id, person.role, person.appeared)


def _members(people, moment: int, kind: str, key: str) -> set[tuple]:
    chosen = set()
    for person in people:
        if person.appeared is None or person.appeared > moment:
            continue
        if (kind == "all" or (kind == "partner_type" and person.partner_type == key)
                or (kind == "side" and SIDE_OF.get(person.partner_type) == key)
                or (kind == "role" and person.role == key)
                or (kind == "partner" and person.partner == key)):
            chosen.add(_atom(person))
    return chosen


def _class_atoms(people, moment: int, rows: list[dict], dimension: str) -> list[set[tuple]]:
    """Row-level exports: each label (partner type, role) is a class of rows whose totals
    the attacker can add up. A label part that is no real type or role is a marker
    ("*"); an atom belongs to the most specific label that fits it.

    A label's rows add up to its atoms' theme total only when they hold every value
    those people gave on the theme; where routing patterns were merged (statements
    blanked) they do not, and that knowledge is per statement: the piece-level
    attacker (`statement_disclosures` with `row_classes`) weighs it."""
    labels = {_label(r["partner_type"], r["role"]) for r in rows}
    values_in_rows: dict[tuple, int] = defaultdict(int)
    for r in rows:
        values_in_rows[_label(r["partner_type"], r["role"])] += r["value"] not in ("", None)
    classes: dict[tuple, set] = defaultdict(set)
    given: dict[tuple, int] = defaultdict(int)
    for person in people:
        if person.appeared is None or person.appeared > moment:
            continue
        t, r = person.partner_type, person.role
        label = next((x for x in ((t, r), (t, "*"), ("*", r), ("*", "*")) if x in labels),
                     None)
        if label:
            classes[label].add(_atom(person))
            given[label] += person.values.get(dimension, 0)
    return [atoms for label, atoms in classes.items() if given[label] == values_in_rows[label]]


def _label(partner_type: str, role: str) -> tuple[str, str]:
    from scan.questions import RESPONDENT_ROLES

    return (partner_type if partner_type in ("school", "bestuur", "instituut") else "*",
            role if role in RESPONDENT_ROLES else "*")


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for col in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _derivable(cells: list[set], atoms: list, target: set) -> bool:
    matrix = [[Fraction(int(a in c)) for a in atoms] for c in cells]
    base = _rank(matrix)
    return _rank([*matrix, [Fraction(int(a in target)) for a in atoms]]) == base


@dataclass(frozen=True)
class Disclosure:
    set_id: str
    dimension: str
    atoms: frozenset
    people: int

    def __str__(self):
        return (f"{self.set_id}/{self.dimension}: total of {sorted(self.atoms)} derivable, "
                f"{self.people} people gave a value there")


def published_cells(knowledge: Knowledge, set_id: str, dimension: str,
                    rows: bool = True) -> tuple[list, list]:
    """Per snapshot, the atom sets whose totals the attacker knows, and the classes."""
    people = list(knowledge.people.values())
    cells, classes = [], []
    for moment, export in enumerate(knowledge.snapshots):
        for entry in export["sets"]:
            if entry["set"] != set_id:
                continue
            for row in entry["summary"]:
                if row["dimension"] == dimension and (row["mean"] is not None
                                                      or row.get("dont_know") is not None):
                    cells.append(_members(people, moment, row["group_kind"], row["group"]))
            answers = [r for r in entry.get("answers", []) if r["dimension"] == dimension]
            if answers and rows:
                found = _class_atoms(people, moment, answers, dimension)
                cells += found
                classes.append(found)
    return [c for c in cells if c], classes


def _union_of_classes(target: set, classes: list[list[set]]) -> bool:
    for partition in classes:
        touched = [c for c in partition if c & target]
        if touched and all(c <= target for c in touched) and set().union(*touched) == target:
            return True
    return False


def disclosures(knowledge: Knowledge, set_id: str, dimensions: list[str]) -> list[Disclosure]:
    """Every set of atoms with fewer than k value-givers whose total can be worked out,
    by a reader with the row-level export (coordinator) and one without (viewer)."""
    return sorted(set(_disclosures(knowledge, set_id, dimensions, True))
                  | set(_disclosures(knowledge, set_id, dimensions, False)), key=str)


def _disclosures(knowledge: Knowledge, set_id: str, dimensions: list[str],
                 rows: bool) -> list[Disclosure]:
    found = []
    k = knowledge.k
    for dimension in dimensions:
        cells, classes = published_cells(knowledge, set_id, dimension, rows)
        weight: dict[tuple, int] = defaultdict(int)
        for person in knowledge.people.values():
            if person.appeared is not None and person.values.get(dimension):
                weight[_atom(person)] += 1
        atoms = sorted(weight, key=str)
        # The rows of a class are in the reader's hands anyway: only atoms with
        # values on this dimension say anything about it.
        classes = [[{a for a in c if a in weight} for c in part] for part in classes]
        cells = [{a for a in c if a in weight} for c in cells]
        cells = [c for c in cells if c]
        if not cells:
            continue
        small = [a for a in atoms if weight[a] < k]
        for size in range(1, k):
            for combo in itertools.combinations(small, size):
                people = sum(weight[a] for a in combo)
                target = set(combo)
                if people >= k or _union_of_classes(target, classes):
                    continue
                if _derivable(cells, atoms, target):
                    found.append(Disclosure(set_id, dimension, frozenset(combo), people))
    return found


def row_classes_too_small(export: dict, k: int) -> list[tuple]:
    """Label combinations in row-level exports that fewer than k respondents share."""
    small = []
    for entry in export["sets"]:
        members: dict[tuple, set] = defaultdict(set)
        for row in entry.get("answers", []):
            members[(row["partner_type"], row["role"])].add(row["respondent"])
        small += [(entry["set"], label, len(ids)) for label, ids in members.items()
                  if len(ids) < k]
    return small


# The exports' column heads, Dutch and English, back to the codes the checks read
# (scan.anonymised); a head not listed stays as it is.
EXPORT_HEADS = {
    "Respondent": "respondent", "Soort partner": "partner_type", "Partner type": "partner_type",
    "Rol": "role", "Role": "role", "Thema (code)": "dimension", "Theme (code)": "dimension",
    "Stelling": "item", "Statement": "item", "Antwoord": "value", "Answer": "value",
    "Weet ik niet": "dont_know", "Don't know": "dont_know", "Vragenlijst": "set_title",
    "Question set": "set_title", "Soort groep": "group_kind_name",
    "Kind of group": "group_kind_name", "Groep": "group_name", "Group": "group_name",
    "Vragenlijst (code)": "set", "Question set (code)": "set",
    "Soort groep (code)": "group_kind", "Kind of group (code)": "group_kind",
    "Groep (code)": "group", "Group (code)": "group", "Respondenten": "respondents",
    "Respondents": "respondents", "Gemiddelde": "mean", "Mean": "mean",
    "Spreiding (sd)": "spread", "Spread (sd)": "spread", "Toelichting": "comment",
    "Comment": "comment", "Thema": "dimension_title", "Theme": "dimension_title",
    "Gezamenlijke score": "joint_score", "Joint score": "joint_score",
    "Onderbouwing": "evidence", "Evidence": "evidence", "Werksessie": "session",
    "Session": "session", "Datum werksessie": "session_date", "Session date": "session_date",
    "Gemiddelde vragenlijst": "survey_mean", "Survey mean": "survey_mean",
}


def csv_rows(text: str) -> list[dict]:
    """An export's rows by column code, read as the reader's spreadsheet would: ";"
    in a Dutch file, "," in an English one."""
    first = text.partition("\n")[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if ";" in first else ",")
    header = [EXPORT_HEADS.get(head, head) for head in next(reader, [])]
    return [dict(zip(header, row, strict=True)) for row in reader]


# Statement-level cells and routing: the finest pieces are atom × statement


def statement_values(db, round_id: int) -> dict[int, dict[str, int]]:
    """Ground truth per respondent: statement -> value (don't know left out)."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in db.query("select respondent_id, item_id, value from answer where round_id = ? "
                        "and value is not null", [round_id]):
        found[row["respondent_id"]][row["item_id"]] = row["value"]
    return found


def release_row_classes(db, round_id: int, set_id: str, rows: list[dict]) -> list[tuple]:
    """The row-level export's classes as pieces: (atoms, statements their rows hold), per
    theme, for the piece-level attacker.

    Which people a class holds is read from the latest release (the export does not
    name them), and checked against the export: each class has as many people in the
    rows as the release puts in it, and holds exactly the statements it says."""
    import json

    found = db.execute("select partners, decisions from release where round_id = ? "
                       "order by number desc limit 1", [round_id]).fetchone()
    decision = json.loads(found[1])["sets"][set_id]
    partner_types = {int(p): v["type"] for p, v in json.loads(found[0]).items()}
    released = included(db, round_id)
    people = {p: x for p, x in ground_truth(db, round_id).items() if p in released}
    valued = statement_values(db, round_id)
    classes: dict[tuple, dict] = {}
    for theme, labels in decision["rows"].items():
        held = decision.get("row_items", {}).get(theme, {})
        for pid, person in people.items():
            pair = f"{partner_types.get(person.partner_id, person.partner_type)}|{person.role}"
            statements = frozenset(held.get(pair, decision["dimension_items"][theme]))
            if labels.get(pair) is None or not statements & valued.get(pid, {}).keys():
                continue
            key = (theme, tuple(labels[pair]), statements)
            entry = classes.setdefault(key, {"atoms": set(), "people": 0})
            entry["atoms"].add((person.partner_id, person.role))
            entry["people"] += 1
    in_rows: dict[tuple, set] = defaultdict(set)
    items: dict[tuple, set] = defaultdict(set)
    for row in rows:
        block = (row["dimension"], row["respondent"])
        items[block].add(row["item"])
        in_rows[block].add((row["partner_type"], row["role"]))
    counted: dict[tuple, int] = defaultdict(int)
    for block, labels_seen in in_rows.items():
        (label,) = labels_seen
        counted[(block[0], label, frozenset(items[block]))] += 1
    assert counted == {key: c["people"] for key, c in classes.items()}, "rows and release differ"
    return [(c["atoms"], key[2]) for key, c in classes.items()]


def _row_cells(variables: list, row_classes: list[tuple]) -> list[set]:
    """A class's rows give its total on each statement it holds (and each person's
    values, without saying whose)."""
    return [{v for v in variables if v[0] in atoms and v[1] == item}
            for atoms, statements in row_classes for item in statements]


def _held_as_rows(target: set, variables: list, row_classes: list[tuple]) -> bool:
    """The target is whole statement columns of whole classes: rows the reader holds
    anyway, of k or more people who share what the rows show."""
    left = set(target)
    for atoms, statements in row_classes:
        pieces = {v for v in variables if v[0] in atoms and v[1] in statements}
        taken = target & pieces
        if taken:
            columns = {v[1] for v in taken}
            if taken != {v for v in pieces if v[1] in columns}:
                return False
            left -= taken
    return not left


def _screen(cells: list[set], variables: list):
    """A float projector on the row space of the cells: a fast first test of
    derivability, confirmed exactly (over the rationals) by `_derivable`."""
    import numpy as np

    index = {v: i for i, v in enumerate(variables)}
    matrix = np.zeros((len(cells), len(variables)))
    for n, cell in enumerate(cells):
        matrix[n, [index[v] for v in cell]] = 1.0
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[singular > 1e-9 * max(matrix.shape)]

    def maybe(target: set) -> bool:
        vector = np.zeros(len(variables))
        vector[[index[v] for v in target]] = 1.0
        return float(np.abs(vector - basis.T @ (basis @ vector)).max()) < 1e-6
    return maybe


def statement_disclosures(people: dict[int, Person], values: dict[int, dict],
                          summary: list[dict], items: list[dict], theme_items: dict,
                          k: int, row_classes: list[tuple] = ()) -> list[tuple]:
    """Sets of (atom, statement) totals of fewer than k people that a viewer works out
    from group means per theme (`summary`) and statement totals (`items`), exactly.

    A group's theme total is the sum of its people's values on the statements they
    were asked, so with routing a theme cell covers different statements per role.
    With `row_classes` (release_row_classes) the reader is a coordinator holding the
    row-level export too.
    """
    def atom(p: Person) -> tuple:
        return (p.partner_id, p.role)

    givers: dict[tuple, set] = defaultdict(set)
    for pid, answers in values.items():
        if pid in people:
            for item in answers:
                givers[(atom(people[pid]), item)].add(pid)
    variables = sorted(givers, key=str)
    cells = []
    for row in summary:
        if row["mean"] is None:
            continue
        members = {atom(p) for p in people.values() if row["group_kind"] == "all"
                   or (row["group_kind"] == "partner_type" and p.partner_type == row["group"])
                   or (row["group_kind"] == "side" and SIDE_OF.get(p.partner_type) == row["group"])
                   or (row["group_kind"] == "role" and p.role == row["group"])
                   or (row["group_kind"] == "partner" and p.partner == row["group"])}
        cells.append({v for v in variables if v[0] in members
                      and v[1] in theme_items[row["dimension"]]})
    for row in items:
        if row["mean"] is not None:
            cells.append({v for v in variables if v[1] == row["item"]})
    cells += _row_cells(variables, row_classes)
    cells = [c for c in cells if c]
    maybe = _screen(cells, variables) if cells else None
    found = []
    by_atom: dict[tuple, list] = defaultdict(list)
    for v in variables:
        by_atom[v[0]].append(v)
    pieces = []
    for a, owned in by_atom.items():
        for size in range(1, len(owned) + 1):
            for chosen in itertools.combinations(owned, size):
                who = set().union(*(givers[v] for v in chosen))
                if len(who) < k:
                    pieces.append((a, frozenset(chosen), who))
    for size in range(1, k):
        for combo in itertools.combinations(pieces, size):
            if len({a for a, _v, _w in combo}) < size:
                continue
            who = set().union(*(w for _a, _v, w in combo))
            target = set().union(*(v for _a, v, _w in combo))
            if (len(who) < k and cells and maybe(target)
                    and not _held_as_rows(target, variables, row_classes)
                    and _derivable(cells, variables, target)):
                found.append((sorted(target), len(who)))
    return found


def row_patterns_too_small(rows: list[dict], k: int) -> list[tuple]:
    """Per theme: what one person's rows show besides the values (label, the statements
    they hold) and how many people share it, where fewer than k do.

    Respondent numbers link a person's rows within one theme; what a row shows is the
    label and the set of statements present, with or without a value.
    """
    per_person: dict[tuple, dict] = {}
    for row in rows:
        key = (row["dimension"], row["respondent"])
        seen = per_person.setdefault(key, {"label": (row["partner_type"], row["role"]),
                                           "items": set(), "values": 0})
        seen["items"].add(row["item"])
        seen["values"] += row["value"] not in ("", None)
    shared: dict[tuple, int] = defaultdict(int)
    for (theme, _n), seen in per_person.items():
        if seen["values"]:
            shared[(theme, seen["label"], frozenset(seen["items"]))] += 1
    return [(theme, label, sorted(items), n) for (theme, label, items), n in shared.items()
            if n < k]


def coordinator_disclosures(db, round_id: int, entry: dict, k: int) -> list[tuple]:
    """`statement_disclosures` theme by theme for a coordinator holding one set's JSON
    export (`entry`): group means, statement totals and the row-level export."""
    import json

    decision = json.loads(db.execute(
        "select decisions from release where round_id = ? order by number desc limit 1",
        [round_id]).fetchone()[0])["sets"][entry["set"]]
    released = included(db, round_id)
    people = {p: x for p, x in ground_truth(db, round_id).items() if p in released}
    classes = release_row_classes(db, round_id, entry["set"], entry["answers"])
    found = []
    for theme, items in decision["dimension_items"].items():
        values = {p: {i: v for i, v in answers.items() if i in items}
                  for p, answers in statement_values(db, round_id).items()}
        found += statement_disclosures(
            people, values, [r for r in entry["summary"] if r["dimension"] == theme],
            [r for r in entry["items"] if r["item"] in items], {theme: set(items)}, k,
            [(atoms, statements) for atoms, statements in classes
             if statements <= set(items)])
    return found


def group_total_derivable(knowledge: Knowledge, set_id: str, dimension: str,
                          target: set[tuple], rows: bool = True) -> bool:
    """Whether the total of these atoms can be worked out from everything published.

    For padding: the attacker filled in some of the group's questionnaires
    themselves and knows those values, so the group's total minus theirs is the
    real people's total, however many questionnaires the group shows."""
    cells, _classes = published_cells(knowledge, set_id, dimension, rows)
    atoms = sorted({a for c in cells for a in c} | set(target), key=str)
    return bool(cells) and _derivable(cells, atoms, target)


# Distributions and "don't know" counts: the finest pieces are atom × statement × outcome


def statement_outcomes(db, round_id: int) -> dict[int, dict[str, object]]:
    """Ground truth per respondent: statement -> value, or "dk" for don't know."""
    found: dict[int, dict[str, object]] = defaultdict(dict)
    for row in db.query("select respondent_id, item_id, value, dont_know from answer "
                        "where round_id = ?", [round_id]):
        if row["value"] is not None or row["dont_know"]:
            found[row["respondent_id"]][row["item_id"]] = row["value"] or "dk"
    return found


def _reduced(rows: list[dict]) -> list[tuple]:
    """Rows (variable -> coefficient) in reduced echelon form: (pivot, row) pairs."""
    basis: list[tuple] = []
    for row in rows:
        row = _reduce({v: Fraction(c) for v, c in row.items() if c}, basis)
        if row:
            pivot = min(row, key=str)
            row = {v: c / row[pivot] for v, c in row.items()}
            basis = [(p, _eliminate(b, row, pivot)) for p, b in basis]
            basis.append((pivot, row))
    return basis


def _eliminate(row: dict, by: dict, pivot) -> dict:
    factor = row.get(pivot, 0)
    if not factor:
        return row
    out = dict(row)
    for v, c in by.items():
        out[v] = out.get(v, 0) - factor * c
        if not out[v]:
            del out[v]
    return out


def _reduce(row: dict, basis: list[tuple]) -> dict:
    for pivot, by in basis:
        row = _eliminate(row, by, pivot)
    return row


def outcome_disclosures(people: dict[int, Person], outcomes: dict[int, dict],
                        summary: list[dict], items: list[dict], theme_items: dict,
                        asked: dict[str, set], scale: tuple, k: int) -> list[tuple]:
    """What a reader works out, exactly, about groups of fewer than k people from group
    totals per theme (`summary`, with "don't know" counts where given) together with
    statement distributions and "don't know" counts (`items`).

    Unknowns: how many people of one atom (partner × role) gave one outcome (a scale
    value or "dk") on one statement, for every atom the statement was asked of (the
    routing is public), zero or not. Every published number is a linear equation in
    them: a theme total, its count and its "don't know" count per group; a
    statement's count per scale value and its "don't know" count. A disclosure is a
    set of atoms of fewer than k people for which any outcome count, or the total, on
    a statement or a theme can be worked out.
    """
    def atom(p: Person) -> tuple:
        return (p.partner_id, p.role)

    atoms = sorted({atom(p) for pid, p in people.items() if pid in outcomes}, key=str)
    every = (*scale, "dk")
    variables = [(a, i, o) for a in atoms for i in sorted(asked) if a[1] in asked[i]
                 for o in every]

    def members(kind: str, key: str) -> set:
        return {atom(p) for p in people.values() if kind == "all"
                or (kind == "partner_type" and p.partner_type == key)
                or (kind == "role" and p.role == key) or (kind == "partner" and p.partner == key)}

    equations = []
    for row in summary:
        if row["mean"] is None:
            continue
        group, theme = members(row["group_kind"], row["group"]), theme_items[row["dimension"]]
        chosen = [v for v in variables if v[0] in group and v[1] in theme]
        equations.append({v: v[2] for v in chosen if v[2] != "dk"})
        equations.append({v: 1 for v in chosen if v[2] != "dk"})
        if row.get("dont_know") is not None:
            equations.append({v: 1 for v in chosen if v[2] == "dk"})
    for row in items:
        if row["mean"] is None:
            continue
        for value in [*row["distribution"], "dk"]:
            outcome = "dk" if value == "dk" else int(value)
            equations.append({v: 1 for v in variables if v[1] == row["item"] and v[2] == outcome})
    basis = _reduced([e for e in equations if e])

    gave: dict[tuple, set] = defaultdict(set)
    for pid, answers in outcomes.items():
        if pid in people:
            for item in answers:
                gave[(atom(people[pid]), item)].add(pid)
    found = []
    for size in range(1, k):
        for group in itertools.combinations(atoms, size):
            scopes = [[i] for i in sorted(asked)] + [sorted(t) for t in theme_items.values()]
            for scope in scopes:
                who = set().union(*(gave[(a, i)] for a in group for i in scope))
                if not 0 < len(who) < k:
                    continue
                chosen = [v for v in variables if v[0] in group and v[1] in scope]
                targets = [{v: 1 for v in chosen if v[2] == o} for o in every]
                targets.append({v: v[2] for v in chosen if v[2] != "dk"})
                for target in targets:
                    if target and not _reduce({v: Fraction(c) for v, c in target.items()},
                                              basis):
                        found.append((group, tuple(scope), len(who)))
                        break
    return found


def demo_coordinator(demo_app):
    """A test client signed in as the demo's coordinator, through the login form."""
    client = demo_app.test_client()
    token = client.get("/login").data.decode().split('name="csrf_token" type="hidden" value="')
    client.post("/login", data={"email": "coordinator@demo.samenscan.nl",
                                "password": "demo-samenscan",
                                "csrf_token": token[1].split('"')[0]})
    return client

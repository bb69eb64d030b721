"""Which group results may be shown: cell suppression with an audit for derivation.

The rule (docs/privacy.md): no total that belongs to fewer than k people who
gave a value may be shown, nor be worked out by adding and subtracting
anything else that is shown, now or at an earlier release.

Vocabulary, as in statistical disclosure control:
- an *atom* is the finest group a reader could ever be told about: one
  partner × one role × one release batch. Its *weight* is the number of its
  respondents who gave a value on the scale (don't-know answers weigh nothing).
- a *cell* is a published total (sum and count of values, hence a mean) over a
  set of atoms: all respondents, a partner type, a role or a partner.

Primary suppression hides cells of weight below k. Secondary (complementary)
suppression is chosen greedily: cells are offered largest first, and a cell
is published only when the *audit* still passes with it. The audit is exact
linear algebra: the total of a set of atoms U can be derived from published
totals iff U's indicator vector lies in the row space of the published cells,
i.e. iff it is orthogonal to their null space. Because a disclosed set has
weight below k, only sets of fewer than k light atoms need checking.
No Flask, no database: the callers hand in atoms, weights and cells.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

Atom = Hashable
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Cell:
    """A total a reader may be shown: named, over a set of atoms."""

    name: tuple
    atoms: frozenset


def _null_space(cells: Sequence[frozenset], atoms: list) -> np.ndarray:
    """Rows: atoms; columns: a basis of what the published totals cannot tell apart."""
    if not cells:
        return np.eye(len(atoms))
    matrix = np.array([[1.0 if a in c else 0.0 for a in atoms] for c in cells])
    _u, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > TOLERANCE * max(matrix.shape)).sum())
    return vt[rank:].T


def disclosed(cells: Sequence[frozenset], weights: dict[Atom, int], k: int,
              exempt: Iterable[Sequence[frozenset]] = ()) -> frozenset | None:
    """A set of atoms with weight 1..k-1 whose total the cells give away, or None.

    Atoms of weight 0 carry no value and are left out. `exempt` lists partitions
    whose parts a reader holds as rows anyway (the classes of one row-level
    export): a union of whole parts of one partition is not a disclosure, as its
    rows are already in the reader's hands without names.
    """
    atoms = sorted((a for a, w in weights.items() if w > 0), key=repr)
    if not atoms:
        return None
    index = {a: i for i, a in enumerate(atoms)}
    null = _null_space([c & index.keys() for c in cells], atoms)
    light = [a for a in atoms if weights[a] < k]
    exempt = [[part & index.keys() for part in partition] for partition in exempt]
    for group in _zero_sums(light, weights, k, null, index):
        if not any(_covered(set(group), partition) for partition in exempt):
            return frozenset(group)
    return None


def _light_groups(light: list, weights: dict, k: int, most: int) -> Iterator[tuple]:
    """Sets of up to `most` light atoms whose weight stays below k, the empty one first."""
    for size in range(most + 1):
        for group in combinations(light, size):
            if sum(weights[a] for a in group) < k:
                yield group


def _zero_sums(light: list, weights: dict, k: int, null: np.ndarray,
               index: dict) -> Iterator[tuple]:
    """Every set of light atoms (weight below k) whose null-space rows add up to zero.

    Meet in the middle: such a set splits into a part A of at most ceil((k-1)/2)
    atoms and a part B of at most floor((k-1)/2), with sum(A) = -sum(B). The sums
    are compared along one fixed random direction, and a match is confirmed on
    the whole vector. This checks about L^((k-1)/2) sets instead of L^(k-1).
    """
    direction = np.random.default_rng(0).standard_normal(null.shape[1])

    def total(group) -> np.ndarray:
        return null[[index[a] for a in group]].sum(axis=0) if group else np.zeros(
            null.shape[1])

    halves = sorted(((float(total(b) @ direction), b)
                     for b in _light_groups(light, weights, k, (k - 1) // 2)),
                    key=lambda pair: pair[0])
    keys = [p for p, _b in halves]
    tolerance = 1e-7 * (1 + float(np.abs(direction).sum()))
    for a in _light_groups(light, weights, k, k // 2):
        target = -float(total(a) @ direction)
        start = bisect.bisect_left(keys, target - tolerance)
        for p, b in halves[start:]:
            if p > target + tolerance:
                break
            group = a + b
            if not group or set(a) & set(b) or sum(weights[x] for x in group) >= k:
                continue
            if np.abs(total(group)).max(initial=0.0) < 1e-7:
                yield group


def _covered(group: set, partition: list[frozenset]) -> bool:
    touched = [part for part in partition if part & group]
    return bool(touched) and all(part <= group for part in touched)


@dataclass(frozen=True)
class View:
    """What one kind of reader holds: totals shown before, and row-level classes."""

    fixed: Sequence[frozenset] = ()
    exempt: Sequence[Sequence[frozenset]] = ()


def choose(candidates: Iterable[Cell], weights: dict[Atom, int], k: int,
           views: Sequence[View] = (View(),)) -> list[Cell]:
    """The candidates that may be published, in order, safe for every kind of reader.

    A candidate lighter than k is hidden (primary suppression); one that would let
    a light set be derived in any view is hidden too (secondary suppression).
    Viewers hold only totals; coordinators also hold row-level classes, whose
    unions are no news to them but may combine with totals.
    """
    chosen: list[Cell] = []
    for cell in candidates:
        if sum(weights.get(a, 0) for a in cell.atoms) < k:
            continue
        published = [c.atoms for c in chosen] + [cell.atoms]
        if all(disclosed([*view.fixed, *published], weights, k, view.exempt) is None
               for view in views):
            chosen.append(cell)
    return chosen


def row_classes(people: dict[Hashable, tuple[str, str, int]], k: int,
                safe: Callable[[dict], bool]) -> dict[tuple, tuple]:
    """Labels for a row-level export, as fine as they can be without giving anything away.

    `people` maps a person to (partner type, role, batch); a batch is the release
    that first showed them. Returns (partner type, role) -> label. Everyone starts
    as ("*", "*"); a partner type, then a type and role, gets its own label only
    when k or more people share every label within every batch (one label of
    1..k-1 people in a batch would single them out between two exports) and
    `safe` accepts the labelling: the report's cells are chosen first, and the
    rows may not undo them.
    """
    label = {(t, r): ("*", "*") for t, r, _b in people.values()}
    sizes: dict[tuple, int] = {}
    for t, r, _b in people.values():
        sizes[(t, r)] = sizes.get((t, r), 0) + 1
    types = sorted({t for t, _r in label}, key=lambda t: -sum(n for (x, _), n in sizes.items()
                                                                 if x == t))
    for kind in types:
        _try(label, {pair: (kind, "*") for pair in label if pair[0] == kind}, people, k, safe)
    for pair in sorted(label, key=lambda p: -sizes[p]):
        if label[pair] == (pair[0], "*"):
            _try(label, {pair: pair}, people, k, safe)
    return label


def _try(label: dict, change: dict, people, k: int, safe) -> None:
    trial = {**label, **change}
    if not _failing_labels(people, trial, k) and safe(trial):
        label.update(change)


def _failing_labels(people, label, k) -> dict[tuple, int]:
    counts: dict[tuple, dict] = {}
    for t, r, batch in people.values():
        per_batch = counts.setdefault(label[(t, r)], {})
        per_batch[batch] = per_batch.get(batch, 0) + 1
    return {x: min(c.values()) for x, c in counts.items() if any(0 < n < k for n in c.values())}

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
With statements routed by role, a theme total is not one number per atom: a role
asked one statement of a theme contributes only to that statement. So the
release audits *pieces* finer than atoms: one atom × one statement, whose
`members` are the people of the atom who gave that statement a value. A theme
cell covers all pieces of its atoms, a statement total covers one statement's
pieces of every atom, and a disclosed set counts its distinct people (one
person's values on two statements are one person). `members` absent: the
pieces are the atoms themselves, weighed by `weights`.

No Flask, no database: the callers hand in atoms, weights and cells.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Iterator, Sequence
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


def _row_space(cells: Sequence[frozenset], atoms: list) -> np.ndarray:
    """Rows: atoms; columns: an orthonormal basis of what the published totals span.
    An indicator vector is derivable iff projecting it on this basis leaves it as is."""
    if not cells:
        return np.zeros((len(atoms), 0))
    index = {a: i for i, a in enumerate(atoms)}
    matrix = np.zeros((len(cells), len(atoms)))
    for row, cell in enumerate(cells):
        matrix[row, [index[a] for a in cell]] = 1.0
    # Through the small Gram matrix (cells x cells) rather than an SVD of the wide one:
    # the same basis, much cheaper. Published totals are sums of 0/1 columns, so a
    # true singular value is never near the cut-off.
    values, vectors = np.linalg.eigh(matrix @ matrix.T)
    keep = values > 1e-9 * max(1.0, float(values.max(initial=0.0)))
    return (matrix.T @ vectors[:, keep]) / np.sqrt(values[keep])


def disclosed(cells: Sequence[frozenset], weights: dict[Atom, int], k: int,
              exempt: Iterable[Sequence[frozenset]] = (),
              members: dict | None = None) -> frozenset | None:
    """A set of atoms (or pieces) of 1..k-1 people whose total the cells give away, or None.

    Atoms of weight 0 carry no value and are left out. `exempt` lists partitions
    whose parts a reader holds as rows anyway (the classes of one row-level
    export): a union of whole parts of one partition is not a disclosure, as its
    rows are already in the reader's hands without names. `members` maps each
    piece (atom, statement) to its people (see the module's docstring).
    """
    atoms = sorted((a for a, w in weights.items() if w > 0), key=repr)
    if not atoms:
        return None
    index = {a: i for i, a in enumerate(atoms)}
    cells = [c & index.keys() for c in cells]
    light = _light(atoms, weights, k, members)
    exempt = [[part & index.keys() for part in partition] for partition in exempt]
    found = (_zero_sums_small(light, k, _row_space(cells, atoms), index) if k <= 3
             else _zero_sums(light, k, _null_space(cells, atoms), index))
    for group in found:
        if not any(_covered(set(group), partition, members is not None)
                   for partition in exempt):
            return frozenset(group)
    return None


@dataclass(frozen=True)
class _Light:
    """A candidate part of a disclosed set: some pieces of one owner, and its people."""

    owner: Hashable
    pieces: tuple
    people: int


_LIGHT_CACHE: dict = {}


def _light(atoms: list, weights: dict, k: int, members: dict | None) -> list[_Light]:
    """The light parts, kept for the last few `members` (one release audits each theme's
    pieces many times, against different cells)."""
    if members is None:
        return _light_parts(atoms, weights, k, None)
    key = (id(members), k)
    found = _LIGHT_CACHE.get(key)
    if found is None or found[0] is not members or found[1] != atoms:
        if len(_LIGHT_CACHE) > 8:
            _LIGHT_CACHE.clear()
        found = _LIGHT_CACHE[key] = (members, atoms, _light_parts(atoms, weights, k, members))
    return found[2]


def _light_parts(atoms: list, weights: dict, k: int, members: dict | None) -> list[_Light]:
    if members is None:
        return [_Light(a, (a,), weights[a]) for a in atoms if weights[a] < k]
    owned: dict = {}
    for piece in atoms:
        owned.setdefault(piece[0], []).append(piece)
    found = []
    for owner, pieces in owned.items():
        for size in range(1, len(pieces) + 1):
            for chosen in combinations(pieces, size):
                people = len(frozenset().union(*(members[p] for p in chosen)))
                if people < k:
                    found.append(_Light(owner, chosen, people))
    return found


def _light_groups(light: list[_Light], k: int, most: int) -> Iterator[tuple[int, ...]]:
    """Index sets of up to `most` light parts of different owners and fewer than k
    people, the empty one first."""
    for size in range(most + 1):
        for group in combinations(range(len(light)), size):
            if (sum(light[i].people for i in group) < k
                    and len({light[i].owner for i in group}) == size):
                yield group


def _zero_sums(light: list[_Light], k: int, null: np.ndarray,
               index: dict) -> Iterator[tuple]:
    """Every set of light parts (fewer than k people) whose null-space rows add up to zero.

    Meet in the middle: such a set splits into a part A of at most ceil((k-1)/2)
    parts and a part B of at most floor((k-1)/2), with sum(A) = -sum(B). The sums
    are compared along one fixed random direction, and a match is confirmed on
    the whole vector. This checks about L^((k-1)/2) sets instead of L^(k-1).
    Yields the atoms (or pieces) of each such set.
    """
    if not light:
        return
    rows = [index[p] for part in light for p in part.pieces]
    owner_of = [n for n, part in enumerate(light) for _p in part.pieces]
    totals = np.zeros((len(light), null.shape[1]))   # each light part's null-space row
    np.add.at(totals, owner_of, null[rows])
    direction = np.random.default_rng(0).standard_normal(null.shape[1])
    along = (totals @ direction).tolist()

    halves = sorted(((sum(along[i] for i in b), b)
                     for b in _light_groups(light, k, (k - 1) // 2)),
                    key=lambda pair: pair[0])
    keys = [p for p, _b in halves]
    tolerance = 1e-7 * (1 + float(np.abs(direction).sum()))
    for a in _light_groups(light, k, k // 2):
        target = -sum(along[i] for i in a)
        start = bisect.bisect_left(keys, target - tolerance)
        for p, b in halves[start:]:
            if p > target + tolerance:
                break
            group = a + b
            owners = [light[i].owner for i in group]
            if (not group or len(set(owners)) < len(owners)
                    or sum(light[i].people for i in group) >= k):
                continue
            if np.abs(totals[list(group)].sum(axis=0)).max(initial=0.0) < 1e-7:
                yield tuple(p for i in group for p in light[i].pieces)


def _zero_sums_small(light: list[_Light], k: int, basis: np.ndarray,
                     index: dict) -> Iterator[tuple]:
    """_zero_sums for k of 2 or 3 (the default), vectorised over the row space: one
    light part whose indicator the published totals span, or two parts of different
    owners whose residuals (indicator minus its projection) cancel."""
    if not light:
        return

    def pieces(group) -> tuple:
        return tuple(p for i in group for p in light[i].pieces)

    def residual(group) -> float:
        rows = [index[p] for p in pieces(group)]
        vector = np.zeros(basis.shape[0])
        vector[rows] = 1.0
        return float(np.abs(vector - basis @ basis[rows].sum(axis=0)).max(initial=0.0))

    direction = np.random.default_rng(0).standard_normal(basis.shape[0])
    projected = direction - basis @ (basis.T @ direction)   # P @ direction, P symmetric
    along = np.array([sum(projected[index[p]] for p in part.pieces) for part in light])
    tolerance = 1e-7 * (1 + float(np.abs(direction).sum()))
    for i in np.flatnonzero(np.abs(along) <= tolerance):
        if residual((int(i),)) < 1e-7:
            yield pieces((int(i),))
    if k < 3:
        return
    order = np.argsort(along)
    ranked = along[order]
    lows = np.searchsorted(ranked, -along - tolerance, side="left")
    highs = np.searchsorted(ranked, -along + tolerance, side="right")
    for i in np.flatnonzero(highs > lows):
        for j in order[lows[i]:highs[i]]:
            a, b = int(i), int(j)
            if (a < b and light[a].owner != light[b].owner
                    and light[a].people + light[b].people < k
                    and residual((a, b)) < 1e-7):
                yield pieces((a, b))


def _covered(group: set, partition: list[frozenset], pieces: bool = False) -> bool:
    """The group is whole parts of the partition: rows the reader holds anyway.

    With pieces (atom, statement), a part's rows show every statement, so the
    group is covered when it takes the same statements of every atom of each
    part it touches."""
    touched = [part for part in partition if part & group]
    if not touched:
        return False
    if not pieces:
        return all(part <= group for part in touched)
    for part in touched:
        owners = {p[0] for p in part}
        taken = {o: {p[1] for p in group & part if p[0] == o} for o in owners}
        if len({frozenset(t) for t in taken.values()}) != 1:
            return False
    return {p for p in group if any(p in part for part in touched)} == group


@dataclass(frozen=True)
class View:
    """What one kind of reader holds: totals shown before, and row-level classes."""

    fixed: Sequence[frozenset] = ()
    exempt: Sequence[Sequence[frozenset]] = ()


def choose(candidates: Iterable[Cell], weights: dict[Atom, int], k: int,
           views: Sequence[View] = (View(),), members: dict | None = None,
           fixed: Sequence[frozenset] = ()) -> list[Cell]:
    """The candidates that may be published, in order, safe for every kind of reader.

    A candidate of fewer than k people is hidden (primary suppression); one that
    would let a light set be derived in any view is hidden too (secondary
    suppression). Viewers hold only totals; coordinators also hold row-level
    classes, whose unions are no news to them but may combine with totals.
    `fixed` are totals published with every candidate (statement totals).
    """
    chosen: list[Cell] = []
    for cell in candidates:
        if people_in(cell.atoms, weights, members) < k:
            continue
        published = [*fixed, *(c.atoms for c in chosen), cell.atoms]
        if all(disclosed([*view.fixed, *published], weights, k, view.exempt, members) is None
               for view in views):
            chosen.append(cell)
    return chosen


def people_in(atoms: Iterable, weights: dict, members: dict | None = None) -> int:
    """The number of people behind a total: weights of atoms, or distinct members of pieces."""
    if members is None:
        return sum(weights.get(a, 0) for a in atoms)
    return len(frozenset().union(*(members.get(a, frozenset()) for a in atoms)))

"""The audit of scan/disclosure.py against an independent, exact brute force.

For random small tables (atoms with weights, published cells), the audit must
find a derivable set of fewer than k people exactly when one exists. The brute
force is the attacker's: every light set, checked by rank over the rationals.
"""

from __future__ import annotations

import itertools

from attacker import _derivable
from hypothesis import given, settings
from hypothesis import strategies as st

from scan import disclosure


def brute_force(cells, weights, k) -> bool:
    atoms = sorted(a for a, w in weights.items() if w > 0)
    cells = [{a for a in c if a in atoms} for c in cells]
    cells = [c for c in cells if c]
    if not cells:
        return False
    light = [a for a in atoms if weights[a] < k]
    return any(_derivable(cells, atoms, set(group))
               for size in range(1, k) for group in itertools.combinations(light, size)
               if sum(weights[a] for a in group) < k)


tables = st.integers(min_value=2, max_value=5).flatmap(lambda k: st.tuples(
    st.just(k),
    st.dictionaries(st.integers(0, 8), st.integers(0, 4), min_size=1, max_size=9),
    st.lists(st.frozensets(st.integers(0, 8), min_size=1), min_size=1, max_size=7)))


@settings(max_examples=300, deadline=None)
@given(tables)
def test_the_audit_finds_a_disclosure_exactly_when_the_brute_force_does(table):
    k, weights, cells = table
    found = disclosure.disclosed(cells, weights, k)
    assert (found is not None) == brute_force(cells, weights, k)
    if found is not None:
        assert 0 < sum(weights[a] for a in found) < k


def test_choose_hides_the_complement_of_a_single_hidden_group():
    """Total 8, school 4, instituut 3, bestuur 1: showing both types gives bestuur away."""
    weights = {"school": 4, "instituut": 3, "bestuur": 1}
    cells = [disclosure.Cell(("all",), frozenset(weights)),
             disclosure.Cell(("school",), frozenset({"school"})),
             disclosure.Cell(("instituut",), frozenset({"instituut"})),
             disclosure.Cell(("bestuur",), frozenset({"bestuur"}))]
    shown = [c.name for c in disclosure.choose(cells, weights, 3)]
    assert shown == [("all",), ("school",)]

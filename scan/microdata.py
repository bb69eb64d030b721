"""The row-level export (microdata) of one theme: generalise first, leave out last.

What a row shows besides its values are its quasi-identifiers, as sdcMicro
calls them: the label (partner type and role), the set of statements it holds
(routing gives each role its own set) and, through the respondent number, the
themes it has values on (one number per theme, so only this one). Every
combination of label and statements must be shared by k or more people who
gave a value in it, within every release batch; and the rows together with
the report may not let a reader work out anything of fewer than k (`safe`,
the release's audit, scan.disclosure).

sdcMicro's order is followed: global recoding before local suppression.
- *Merging routing patterns*: a class of roles shows only statements all of
  them were asked, so rows of different roles look the same (the statements
  outside the shared part are blanked: not in the export).
- *Coarser labels*: everyone starts as ("*", "*"); a partner type, then a type
  and role, is shown only where k and the audit allow.
- *Leaving out*: a role whose rows fit no safe class is left out, and the
  export counts the people left out.

The classes are built up from an empty export: each step adds the rows that
show the most values and keeps the export k-anonymous and safe, so the result
is safe by construction, whatever the routing. No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass

Pair = tuple[str, str]                       # (partner type, role)
Label = tuple[str, str]
Shown = tuple[Label, frozenset]              # the label and the statements a row holds
Choice = dict[Pair, Shown | None]            # None: the pair's rows are left out
ANYONE: Label = ("*", "*")
LATTICE_MOST = 64       # statement sets tried as new classes
AUDITS_MOST = 400       # audits per theme: a bound on the time a release takes


@dataclass(frozen=True)
class Person:
    """Someone who gave a value on the theme, as the export could show them."""

    pair: Pair
    batch: int               # the release that first showed them
    asked: frozenset         # the theme's statements their role was asked
    valued: frozenset        # the statements they gave a value on


def theme_rows(people: dict[Hashable, Person], k: int,
               safe: Callable[[Choice], bool]) -> Choice:
    """Per (partner type, role): the label and statements its rows show, or None."""
    state = _State(people, k, safe)
    while state.grow():
        pass
    state.refine_labels()
    return state.choice


class _State:
    def __init__(self, people: dict, k: int, safe: Callable[[Choice], bool]) -> None:
        self.people = list(people.values())
        self.k = k
        self.safe = safe
        self.asked: dict[Pair, frozenset] = {}
        for person in self.people:
            self.asked[person.pair] = self.asked.get(person.pair, frozenset()) | person.asked
        self.by_pair: dict[Pair, list[Person]] = {pair: [] for pair in self.asked}
        for person in self.people:
            self.by_pair[person.pair].append(person)
        self.choice: Choice = {pair: None for pair in sorted(self.asked)}
        self.audits = 0

    def grow(self) -> bool:
        """Take the move that shows the most values and keeps the export sound."""
        tried = set()
        for gain, trial in sorted(self._moves(), key=lambda m: -m[0]):
            key = tuple(sorted(trial.items(), key=repr))
            if gain <= 0 or key in tried:
                continue
            tried.add(key)
            if self._accept(trial):
                return True
        return False

    def refine_labels(self) -> None:
        """Labels as fine as k and the audit allow: partner type first, then role."""
        kept = [pair for pair, shown in self.choice.items() if shown is not None]
        sizes = {pair: len(self.by_pair[pair]) for pair in kept}
        kinds = sorted({t for t, _r in kept},
                       key=lambda t: (-sum(n for (x, _r), n in sizes.items() if x == t), t))
        for kind in kinds:
            self._accept({**self.choice, **{pair: ((kind, "*"), self.choice[pair][1])
                                           for pair in kept if pair[0] == kind}})
        for pair in sorted(kept, key=lambda p: (-sizes[p], p)):
            if self.choice[pair][0] == (pair[0], "*"):
                self._accept({**self.choice, pair: (pair, self.choice[pair][1])})

    def _accept(self, trial: Choice) -> bool:
        if self.audits >= AUDITS_MOST or not k_anonymous(self.people, trial, self.k):
            return False
        self.audits += 1
        if not self.safe(trial):
            return False
        self.choice = trial
        return True

    def _moves(self) -> Iterator[tuple[int, Choice]]:
        """Rows to add: an unshown role joining a class, a new class on a shared set of
        statements (of every unshown role asked them, or of one), a statement added to a
        class all of whose roles were asked it."""
        open_pairs = [pair for pair, shown in self.choice.items() if shown is None]
        classes = _classes(self.choice)
        for pair in open_pairs:
            for statements in classes:
                if statements <= self.asked[pair]:
                    yield self._with({pair: statements})
        for statements in _lattice([self.asked[p] for p in open_pairs]):
            joining = [p for p in open_pairs if statements <= self.asked[p]]
            yield self._with({p: statements for p in joining})
            if len(joining) > 1:    # the audit may refuse them together, not one alone
                yield from (self._with({p: statements}) for p in joining)
        for statements, members in classes.items():
            common = frozenset.intersection(*(self.asked[p] for p in members))
            for extra in sorted(common - statements):
                yield self._with({p: statements | {extra} for p in members})

    def _with(self, change: dict[Pair, frozenset]) -> tuple[int, Choice]:
        """The trial choice (new rows labelled "*"), and how many values it adds."""
        trial = {**self.choice, **{pair: (ANYONE, s) for pair, s in change.items()}}
        people = [p for pair in change for p in self.by_pair[pair]]
        return values_shown(people, trial) - values_shown(people, self.choice), trial


def _classes(choice: Choice) -> dict[frozenset, list[Pair]]:
    found: dict[frozenset, list[Pair]] = {}
    for pair, shown in choice.items():
        if shown is not None:
            found.setdefault(shown[1], []).append(pair)
    return found


def _lattice(patterns: list[frozenset]) -> list[frozenset]:
    """The statement sets that roles share: every intersection of their patterns
    (bounded, largest first)."""
    found = {p for p in patterns if p}
    frontier = set(found)
    while frontier and len(found) < LATTICE_MOST:
        frontier = {a & b for a in frontier for b in found if a & b} - found
        found |= frontier
    return sorted(found, key=lambda s: (-len(s), sorted(s)))[:LATTICE_MOST]


def shown_of(person: Person, choice: Choice) -> Shown | None:
    """What a person's rows show, or None when they have no row (left out, or no
    value on the statements their class shows)."""
    shown = choice.get(person.pair)
    if shown is None or not person.valued & shown[1]:
        return None
    return shown


def values_shown(people: list[Person], choice: Choice) -> int:
    return sum(len(p.valued & shown[1]) for p in people
               if (shown := shown_of(p, choice)) is not None)


def k_anonymous(people: list[Person], choice: Choice, k: int) -> bool:
    """Every combination the rows show is shared by 0 or k or more people in each batch
    (a combination of 1..k-1 in one batch would single them out between two exports)."""
    counts: dict[tuple, int] = {}
    for person in people:
        shown = shown_of(person, choice)
        if shown is not None:
            counts[(shown, person.batch)] = counts.get((shown, person.batch), 0) + 1
    return all(n >= k for n in counts.values())

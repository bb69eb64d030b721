"""The two sides of a partnership (schoolkant en instituutskant), as a release shows them.

A partnership is schools and their boards on one side and a teacher-education
institute on the other. The report compares the two sides in "school and
institute side by side". In the usual set-up (one institute, one board) a board
of fewer than k people hides its own partner type, and the audit then hides the
institute too: with all respondents and the schools shown, the institute's total minus nothing would
give the board's by subtraction. Folding the board into the school side (a
cell over schools and boards together) often lets both sides be shown.

A side is one more kind of group cell, audited with every other cell of the
release (scan.disclosure): it is never worked out in a view. The fold is tried
only where the plain choice leaves a side out, so a partnership whose partner
types are all shown keeps exactly the cells it had, plus the two sides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

SIDE_OF = {"school": "school-side", "bestuur": "school-side", "instituut": "institute-side"}
SIDES = ("school-side", "institute-side")

# Why a side is left out of one theme, in the release's decision.
# Why a side is left out. "Nobody gave a value" is deliberately not a reason of its
# own: beside a response table that shows the side's partner answered, it would say
# that its few people answered only "don't know" there (a per-group count the audit
# never publishes). Releases made before this kept "nobody"; it reads like FEW.
FEW = "few"            # fewer than k people of the side gave a value on the theme (or none)
DERIVED = "derived"    # its total, with what else is shown, would give away a smaller group


def side_of(partner_type: str | None) -> str | None:
    return SIDE_OF.get(partner_type or "")


def choose(first: Sequence, groups: Sequence, sides: Sequence,
           choose_cells: Callable[[list], list],
           people: Callable[[object], int], k: int) -> tuple[list, dict[str, str]]:
    """The cells to publish, and why a side is left out (side key -> FEW/DERIVED).

    `first` (all respondents), `groups` (partner types, roles, partners, largest
    first) and `sides` are disclosure.Cell candidates named (kind, key);
    `choose_cells` is the release's audited greedy choice. First the plain order,
    sides last; when that leaves a side out although both have k or more people,
    the sides are offered before the other groups, and that choice is kept only
    if it shows both sides (it may hide a partner type or partner instead: the
    two sides side by side are the view a partnership is built on).
    """
    plain = choose_cells([*first, *groups, *sides])
    big = [s for s in sides if people(s) >= k]
    if len(big) == len(SIDES) and not _both(plain):
        folded = choose_cells([*first, *sides, *groups])
        if _both(folded):
            plain = folded
    return plain, _reasons(plain, sides, people, k)


def _both(chosen: Sequence) -> bool:
    return {c.name[1] for c in chosen if c.name[0] == "side"} == set(SIDES)


def _reasons(chosen: Sequence, sides: Sequence, people: Callable[[object], int],
             k: int) -> dict[str, str]:
    shown = {c.name[1] for c in chosen if c.name[0] == "side"}
    offered = {s.name[1]: s for s in sides}
    reasons = {}
    for key in SIDES:
        if key in shown:
            continue
        side = offered.get(key)
        count = people(side) if side is not None else 0
        reasons[key] = FEW if count < k else DERIVED
    return reasons

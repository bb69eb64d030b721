"""The ranking of a dot vote (scan.ranking), as the console, the wall and the summary
show it for cards and for themes: checked over many votes at once (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scan import card_vote, joint
from scan.ranking import by_dots

# A vote's totals in the order the cards or themes came up (positions 0, 1, 2, ...).
TOTALS = st.lists(st.integers(min_value=0, max_value=12), max_size=14)


def _rows(totals: list[int], key: str = "position") -> list[dict]:
    return [{"id": f"r{n}", key: n, "dots": dots} for n, dots in enumerate(totals)]


def test_an_empty_vote_ranks_nothing():
    assert by_dots([], came_up="position") == []
    assert by_dots(_rows([0, 0, 0]), came_up="position") == []


def test_equal_totals_share_a_place_and_the_next_place_counts_them():
    ranked = by_dots(_rows([2, 5, 0, 2, 1]), came_up="position")
    assert [(place, row["id"]) for place, row in ranked] == [
        (1, "r1"), (2, "r0"), (2, "r3"), (4, "r4")]


@given(TOTALS)
def test_every_row_with_dots_appears_once_most_dots_first(totals):
    ranked = by_dots(_rows(totals), came_up="position")
    assert sorted(row["id"] for _place, row in ranked) == sorted(
        f"r{n}" for n, dots in enumerate(totals) if dots)
    shown = [row["dots"] for _place, row in ranked]
    assert shown == sorted(shown, reverse=True)


@given(TOTALS)
def test_a_place_is_one_more_than_the_rows_with_more_dots(totals):
    for place, row in by_dots(_rows(totals), came_up="position"):
        assert place == 1 + sum(1 for dots in totals if dots > row["dots"])


@given(TOTALS)
def test_ties_keep_the_order_they_came_up_in(totals):
    ranked = by_dots(_rows(totals), came_up="position")
    for (place, row), (next_place, next_row) in zip(ranked, ranked[1:], strict=False):
        if row["dots"] == next_row["dots"]:
            assert place == next_place and row["position"] < next_row["position"]
        else:
            assert next_place > place


@given(TOTALS, st.randoms(use_true_random=False))
def test_the_ranking_does_not_depend_on_the_order_rows_are_read_in(totals, random):
    rows = _rows(totals)
    shuffled = rows[:]
    random.shuffle(shuffled)
    assert by_dots(shuffled, came_up="position") == by_dots(rows, came_up="position")


@given(TOTALS)
def test_cards_and_themes_are_ranked_alike(totals):
    """The card vote orders ties by the card's sequence, the joint vote by the theme's
    position; with the same totals they give the same places in the same order."""
    cards = card_vote.ranking(_rows(totals, key="sequence"))
    themes = joint.ranking(_rows(totals, key="position"))
    assert [(p, r["id"]) for p, r in cards] == [(p, r["id"]) for p, r in themes]

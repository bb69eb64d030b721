"""The rules for drawing cards: no repeats, filters, and the scan's priorities."""

import random

from scan.drawing import Filters, Reason, draw_from_scan, draw_random, pool, scan_priorities
from scan.questions import Card, Text
from scan.scoring import Difference, GroupScore, RoundReport


def card(card_id, deck="d1", kind="visie", dims=("a",)):
    return Card(card_id, deck, Text(card_id, card_id), (Text("f", "f"),), tuple(dims), kind)


CARDS = [card("c1", dims=("a",)), card("c2", kind="realisatie", dims=("b",)),
         card("c3", deck="d2", dims=("c",)), card("c4", kind="evaluatie", dims=("b", "c")),
         card("c5", deck="d2", kind="realisatie", dims=("d",))]


def report(means: dict, gaps: dict) -> RoundReport:
    overall = GroupScore("all", "all", 10, means, {d: 0 for d in means})
    differences = [Difference(d, 0.5, gap, "partner_type", ("instituut", 3.0), ("school", 3 - gap))
                   for d, gap in gaps.items()]
    return RoundReport(None, 3, 10, overall, differences=differences)


def test_drawing_at_random_never_repeats_a_card():
    rng, drawn = random.Random(1), set()
    for _ in CARDS:
        picked = draw_random(pool(CARDS, drawn), rng)
        assert picked.id not in drawn
        drawn.add(picked.id)
    assert draw_random(pool(CARDS, drawn), rng) is None
    assert drawn == {c.id for c in CARDS}


def test_filters_by_deck_kind_and_theme():
    assert [c.id for c in pool(CARDS, set(), Filters(deck="d2"))] == ["c3", "c5"]
    assert [c.id for c in pool(CARDS, set(), Filters(kind="realisatie"))] == ["c2", "c5"]
    assert [c.id for c in pool(CARDS, set(), Filters(dimension="c"))] == ["c3", "c4"]
    assert [c.id for c in pool(CARDS, {"c3"}, Filters(dimension="c"))] == ["c4"]
    assert pool(CARDS, set(), Filters(deck="d2", kind="evaluatie")) == []


def test_priorities_alternate_lowest_score_and_largest_gap():
    priorities = scan_priorities([report({"a": 3.5, "b": 1.8, "c": 2.6, "d": 2.2},
                                         {"a": 1.4, "b": 0.2, "c": 0.9})])
    assert [(r.dimension_id, r.kind) for r in priorities] == [
        ("b", "lowest"), ("a", "gap"), ("d", "lowest"), ("c", "gap")]
    assert priorities[0].value == 1.8 and priorities[1].value == 1.4
    assert priorities[1].high == "instituut" and priorities[1].low == "school"


def test_a_report_below_the_threshold_gives_no_priorities():
    hidden = RoundReport(None, 3, 2, None)
    assert scan_priorities([hidden]) == []


def test_from_the_scan_takes_the_most_pressing_theme_that_still_has_cards():
    priorities = [Reason("zz", "lowest", 1.0), Reason("b", "lowest", 1.8),
                  Reason("a", "gap", 1.4)]
    rng = random.Random(3)
    picked, why = draw_from_scan(pool(CARDS, set()), priorities, rng)
    assert why.dimension_id == "b" and picked.id in ("c2", "c4")
    remaining = pool(CARDS, {"c2", "c4"})
    picked, why = draw_from_scan(remaining, priorities, rng)
    assert (picked.id, why.dimension_id) == ("c1", "a")
    assert draw_from_scan(pool(CARDS, {"c1", "c2", "c4"}), priorities, rng) is None


def test_themes_take_turns_when_drawing_from_the_scan():
    priorities = [Reason("b", "lowest", 1.8), Reason("c", "gap", 1.2), Reason("a", "gap", 0.9)]
    for seed in range(20):  # whichever card of a theme comes up, the next theme is another
        rng, drawn, reasons = random.Random(seed), [], []
        for _ in range(3):
            card, why = draw_from_scan(pool(CARDS, {c.id for c in drawn}), priorities, rng,
                                       drawn)
            drawn.append(card)
            reasons.append(why.dimension_id)
        assert reasons[0] == "b"
        assert {"a", "b", "c"} <= {d for c in drawn for d in c.dimensions}

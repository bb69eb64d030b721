"""The theme cards a phone reads first: the mean and the spread in words, never "sd"."""

from pathlib import Path

import pytest

from scan.question_files import load_catalogue
from scan.scoring import Difference, GroupScore, RoundReport
from scan.web.report_figures import spread_words, theme_cards

MINI = load_catalogue(Path(__file__).parent / "data" / "questions").sets["mini"]


@pytest.mark.parametrize(("spread", "words"), [
    (None, None), (0.3, "de meningen liggen dicht bij elkaar"),
    (0.5, "de meningen liggen dicht bij elkaar"), (0.6, "de meningen lopen wat uiteen"),
    (0.75, "de meningen lopen wat uiteen"), (0.9, "de meningen lopen ver uiteen")])
def test_the_spread_in_words_on_a_one_to_four_scale(app, spread, words):
    with app.test_request_context(headers={"Cookie": "lang=nl"}):
        assert spread_words(spread, MINI) == words


def test_a_card_per_theme_from_the_released_numbers_only(app):
    overall = GroupScore("all", "all", 8, {"kennismaken": 2.5, "afstemmen": None}, {})
    report = RoundReport(MINI, 3, 8, overall, differences=[
        Difference("kennismaken", 0.9), Difference("afstemmen", None)])
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        cards = theme_cards(report)
    assert cards["kennismaken"].mean == 2.5
    assert cards["kennismaken"].spread == "views lie far apart"
    assert cards["afstemmen"].mean is None and cards["afstemmen"].spread is None

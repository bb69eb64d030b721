"""Drawing never ends on a bare error: only themes with cards, and why the scan can't steer."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from scan import drawing, rounds, workshops
from scan.questions import Card, Text

# A second set with two themes: "delen" has a card (in extra-deck), "leren" has none.
EXTRA_SET = """
id: extra
version: 1
title: {nl: "Extra-scan", en: "Extra scan"}
description: {nl: "Nog een set.", en: "Another set."}
audience: {nl: "Iedereen.", en: "Everyone."}
sources:
  - {authors: "Testers, T.", year: 2024, title: "Testing partnerships"}
scale:
  points:
    - {value: 1, label: {nl: "Nog niet", en: "Not yet"}}
    - {value: 2, label: {nl: "Wel", en: "Yes"}}
  dont_know: {value: 0, label: {nl: "Weet ik niet", en: "Don't know"}}
dimensions:
  - id: delen
    title: {nl: "Delen", en: "Sharing"}
    help: {nl: "Delen we?", en: "Do we share?"}
    items:
      - id: extra-d-1
        text: {nl: "We delen.", en: "We share."}
  - id: leren
    title: {nl: "Leren", en: "Learning"}
    help: {nl: "Leren we?", en: "Do we learn?"}
    items:
      - id: extra-l-1
        text: {nl: "We leren.", en: "We learn."}
"""

EXTRA_DECK = """
id: extra-deck
title: {nl: "Extra kaarten", en: "Extra cards"}
description: {nl: "Nog meer kaarten.", en: "More cards."}
set: extra
cards:
  - id: ed-01
    kind: visie
    question: {nl: "Wat delen we?", en: "What do we share?"}
    follow_up:
      - {nl: "Met wie?", en: "With whom?"}
    dimensions: [delen]
"""


@pytest.fixture
def app_config(app_config, tmp_path):
    """The test questions plus the extra set and deck."""
    questions = tmp_path / "questions"
    shutil.copytree(Path(app_config["QUESTIONS"]), questions)
    (questions / "extra.yaml").write_text(EXTRA_SET, encoding="utf-8")
    (questions / "decks" / "extra-deck.yaml").write_text(EXTRA_DECK, encoding="utf-8")
    return {**app_config, "QUESTIONS": str(questions)}


@pytest.fixture
def facilitator(client, auth, world):
    auth.login(world.a.emails["facilitator"])
    client.get("/lang/en")  # the English source texts: stable once Dutch is added
    return client


def session(db, world, decks, round_id="a"):
    """A new session of partnership A: its round (or none), with these decks."""
    rid = world.a.round if round_id == "a" else round_id
    wid = workshops.create(db, world.a.id, f"Sessie {'+'.join(decks)} {rid}",
                           date(2026, 12, 1), rid, decks)
    return f"/p/{world.a.id}/workshops/{wid}", wid


def draw_form(page: str) -> str:
    return re.search(r'<form[^>]*action="[^"]*/draw".*?</form>', page, re.S)[0]


def theme_options(page: str) -> list[str]:
    """The values the draw form's theme <select> offers (the blank 'any theme' first)."""
    select = re.search(r'<select[^>]*name="dimension"[^>]*>(.*?)</select>', draw_form(page),
                       re.S)[1]
    return re.findall(r'<option[^>]*value="([^"]*)"', select)


def drawn_ids(db, wid):
    return [c["card_id"] for c in workshops.drawn(db, wid)]


# -- only themes with cards ------------------------------------------------------------

def card(card_id, deck, dims):
    return Card(card_id, deck, Text(card_id, card_id), (), tuple(dims), "visie")


def test_themes_with_cards_in_all_decks_or_one():
    cards = [card("a", "d1", ["x", "y"]), card("b", "d2", ["z"])]
    assert drawing.themes_with_cards(cards) == {"x", "y", "z"}
    assert drawing.themes_with_cards(cards, "d2") == {"z"}
    assert drawing.themes_with_cards(cards, "d3") == set()
    assert drawing.themes_with_cards([]) == set()


def test_the_theme_filter_offers_only_themes_of_the_sessions_decks(facilitator, world, db):
    url, _wid = session(db, world, ["mini-deck"])
    page = facilitator.get(url).get_data(as_text=True)
    assert theme_options(page) == ["", "kennismaken", "afstemmen"]  # not delen, not leren
    url, _wid = session(db, world, ["mini-deck", "extra-deck"])
    offered = theme_options(facilitator.get(url).get_data(as_text=True))
    assert offered[0] == ""
    assert sorted(offered[1:]) == ["afstemmen", "delen", "kennismaken"]  # leren: no card


def _agreement_form(facilitator, url: str) -> str:
    page = facilitator.get(url).get_data(as_text=True)
    return re.search(r'<form[^>]*action="[^"]*/agreements".*?</form>', page, re.S)[0]


def test_agreements_are_about_the_rounds_themes_cards_or_not(facilitator, world, db):
    """Not only the themes cards are about (unlike drawing), but only the round's sets'
    themes: the round asked mini, so not the extra set's delen and leren."""
    agreement = _agreement_form(facilitator, f"/p/{world.a.id}/workshops/{world.a.workshop}")
    assert 'value="kennismaken"' in agreement and 'value="afstemmen"' in agreement
    assert 'value="leren"' not in agreement and 'value="delen"' not in agreement
    url, wid = session(db, world, ["mini-deck"], round_id=None)   # no round: every theme
    workshops.add_card(db, wid, "md-01")
    assert 'value="leren"' in _agreement_form(facilitator, url)


@pytest.mark.parametrize("decks, data, message", [
    (["mini-deck", "extra-deck"], {"dimension": "leren"},
     "No card in the decks of this session is about Learning."),
    (["mini-deck"], {"dimension": "delen"},
     "No card in the decks of this session is about Sharing."),
    (["mini-deck", "extra-deck"], {"dimension": "delen", "deck": "mini-deck"},
     "No card in the deck Mini cards is about Sharing."),
    (["mini-deck"], {"dimension": "no-such-theme"},
     "No card in the decks of this session is about no-such-theme."),
])
@pytest.mark.parametrize("mode", ["random", "scan"])
def test_a_theme_without_cards_is_refused_with_a_clear_message(facilitator, world, db, decks,
                                                               data, message, mode):
    url, wid = session(db, world, decks)
    response = facilitator.post(f"{url}/draw", data={"mode": mode, "count": "1", **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert drawn_ids(db, wid) == []


def test_a_refused_draw_offers_the_themes_of_the_chosen_deck(facilitator, world, db):
    url, _wid = session(db, world, ["mini-deck", "extra-deck"])
    response = facilitator.post(f"{url}/draw", data={
        "mode": "random", "count": "1", "deck": "mini-deck", "dimension": "delen"})
    assert theme_options(response.get_data(as_text=True)) == ["", "kennismaken", "afstemmen"]


def test_a_theme_with_cards_in_the_chosen_deck_draws_them(facilitator, world, db):
    url, wid = session(db, world, ["mini-deck", "extra-deck"])
    response = facilitator.post(f"{url}/draw", data={
        "mode": "random", "count": "3", "deck": "extra-deck", "dimension": "delen"})
    assert response.status_code == 302
    assert drawn_ids(db, wid) == ["ed-01"]


# -- drawing from the scan without results -----------------------------------------

NOT_YET = ("The round 2025-2026 – Scan a has no released results yet: results appear when "
           "the round closes.")
NO_ROUND = "This session is not linked to a scan round"


def scan_hint(page: str) -> str | None:
    found = re.search(r'<p class="notice" id="scan-hint"[^>]*>(.*?)</p>', page, re.S)
    return found[1] if found else None


def selected_mode(page: str) -> str:
    select = re.search(r'<select[^>]*name="mode"[^>]*>(.*?)</select>', draw_form(page), re.S)[1]
    return re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                     select).group(1, 2)[0] or ""


@pytest.mark.parametrize("round_id, message", [("a", NOT_YET), (None, NO_ROUND)])
def test_the_console_says_beforehand_why_the_scan_cannot_steer(facilitator, world, db,
                                                               round_id, message):
    url, _wid = session(db, world, ["mini-deck"], round_id)
    page = facilitator.get(url).get_data(as_text=True)
    assert message in scan_hint(page)
    assert 'value="scan"' in draw_form(page)  # still offered, with the explanation


@pytest.mark.parametrize("round_id, message", [("a", NOT_YET), (None, NO_ROUND)])
def test_drawing_from_the_scan_without_results_explains_and_offers_the_other_ways(
        facilitator, world, db, round_id, message):
    url, wid = session(db, world, ["mini-deck"], round_id)
    response = facilitator.post(f"{url}/draw", data={"mode": "scan", "count": "2",
                                                     "kind": "visie"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    hint = scan_hint(page)
    assert "Nothing was drawn from the scan." in hint and message in hint
    assert 'role="alert"' in page.split('id="scan-hint"')[1].split(">")[0]
    form = draw_form(page)  # the console, with the form ready to draw another way
    assert 'value="random"' in form and 'name="dimension"' in form
    assert selected_mode(page) == "random"
    assert drawn_ids(db, wid) == []
    again = facilitator.post(f"{url}/draw", data={"mode": "random", "count": "1",
                                                  "kind": "visie"})
    assert again.status_code == 302 and drawn_ids(db, wid) == ["md-01"]


def test_a_round_closed_without_enough_answers_says_so(facilitator, world, db):
    rounds.set_status(db, world.a.round, "closed")
    url, _wid = session(db, world, ["mini-deck"])
    response = facilitator.post(f"{url}/draw", data={"mode": "scan", "count": "1"})
    assert response.status_code == 409
    assert "closed without enough answers" in scan_hint(response.get_data(as_text=True))


def test_with_released_results_there_is_no_hint_and_the_scan_steers(facilitator, world, db,
                                                                    scored):
    url, wid = session(db, world, ["mini-deck"])
    assert scan_hint(facilitator.get(url).get_data(as_text=True)) is None
    assert facilitator.post(f"{url}/draw", data={"mode": "scan", "count": "1"}).status_code == 302
    assert workshops.drawn(db, wid)[0]["reason"]["dimension_id"] == "afstemmen"

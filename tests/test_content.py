"""The bundled question sets and card decks meet the coverage rules of the instrument."""

import re
from collections import Counter
from pathlib import Path

import pytest

from scan import _data_folder
from scan.question_files import load_catalogue
from scan.questions import RESPONDENT_ROLES

CATALOGUE = load_catalogue(_data_folder("questions"))
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SETS = {  # set id -> (dimensions, minimum items per dimension)
    "samen-opleiden": (9, 3), "leermechanismen": (4, 6), "condities": (7, 3),
    "begeleiding": (7, 3), "onderzoekscultuur": (6, 3),
    # modules for the themes that were only card decks before
    "ontwikkelgesprek": (3, 4), "lerarentekort-krimp": (3, 4), "kwaliteitszorg": (3, 4),
    "regionale-samenwerking": (3, 4), "persoonsvorming-eigenaarschap": (3, 4),
}
THEMATIC_DECKS = ["ontwikkelgesprek", "lerarentekort-krimp", "hrm-professionalisering",
                  "kwaliteitszorg", "regionale-samenwerking", "onderzoek-in-de-school",
                  "werkplekbegeleider", "persoonsvorming-eigenaarschap"]


def texts(thing):
    """Every Text inside a set or deck, for language checks."""
    if hasattr(thing, "nl") and hasattr(thing, "en"):
        yield thing
    elif isinstance(thing, (list, tuple)):
        for part in thing:
            yield from texts(part)
    elif isinstance(thing, dict):   # an item's sector wordings
        for part in thing.values():
            yield from texts(part)
    elif hasattr(thing, "__dataclass_fields__"):
        for name in thing.__dataclass_fields__:
            yield from texts(getattr(thing, name))


@pytest.mark.parametrize("set_id", SETS)
def test_each_set_has_its_dimensions_and_items(set_id):
    qset = CATALOGUE.sets[set_id]
    dimensions, minimum = SETS[set_id]
    assert len(qset.dimensions) == dimensions
    assert all(len(d.items) >= minimum for d in qset.dimensions)
    assert qset.scale.values == (1, 2, 3, 4)
    assert all(p.label.nl and p.label.en for p in qset.scale.points)
    assert qset.sources and qset.description.nl and qset.audience.nl


@pytest.mark.parametrize("set_id", SETS)
def test_help_texts_explain_in_two_to_four_sentences(set_id):
    for dim in CATALOGUE.sets[set_id].dimensions:
        for text in (dim.help.nl, dim.help.en):
            sentences = len(re.findall(r"[.!?](\s|$)", text))
            assert 2 <= sentences <= 4, f"{dim.id}: {text}"


def test_samen_opleiden_crosses_three_domains_with_three_kinds():
    items = CATALOGUE.sets["samen-opleiden"].items
    pairs = Counter((i.tags["domain"], i.tags["kind"]) for i in items)
    assert set(pairs) == {(d, k) for d in ("opleiden", "onderzoek", "professionalisering")
                          for k in ("visie", "realisatie", "evaluatie")}
    assert min(pairs.values()) >= 3


def test_leermechanismen_has_two_items_per_mechanism_and_level():
    items = CATALOGUE.sets["leermechanismen"].items
    cells = Counter((i.tags["mechanism"], i.tags["level"]) for i in items)
    assert len(cells) == 4 * 3 and min(cells.values()) >= 2


def test_every_text_has_both_languages():
    for thing in [*CATALOGUE.sets.values(), *CATALOGUE.decks.values()]:
        for text in texts(thing):
            assert text.nl.strip() and text.en.strip()
            assert text.nl != text.en or len(text.nl) < 12, text


def test_there_is_a_deck_per_set_and_the_thematic_decks():
    decks_for = {d.set for d in CATALOGUE.decks.values() if d.set}
    assert decks_for == set(SETS)
    assert set(THEMATIC_DECKS) <= set(CATALOGUE.decks)


def test_at_least_150_cards_each_with_two_or_three_follow_ups():
    cards = CATALOGUE.cards()
    assert len(cards) >= 150
    assert all(2 <= len(c.follow_up) <= 3 for c in cards)
    assert all(c.kind in ("visie", "realisatie", "evaluatie") for c in cards)


def test_every_dimension_is_linked_by_at_least_two_cards():
    links = Counter(d for c in CATALOGUE.cards() for d in c.dimensions)
    for qset in CATALOGUE.sets.values():
        for dim in qset.dimensions:
            assert links[dim.id] >= 2, dim.id


def test_ids_are_unique_across_all_files():
    items = [i.id for s in CATALOGUE.sets.values() for i in s.items]
    cards = [c.id for c in CATALOGUE.cards()]
    assert len(items) == len(set(items)) and len(cards) == len(set(cards))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ]+", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source texts are not beside this checkout")
def test_no_sentence_is_taken_from_the_source_texts():
    """Facts and concepts from the sources, never their sentences: no eight words in a row."""
    seed_words = _words(" ".join(p.read_text(errors="ignore") for p in SEEDS.glob("*.txt")))
    windows = {" ".join(seed_words[i:i + 8]) for i in range(len(seed_words) - 7)}
    for thing in [*CATALOGUE.sets.values(), *CATALOGUE.decks.values()]:
        for text in texts(thing):
            words = _words(text.nl)
            for i in range(len(words) - 7):
                assert " ".join(words[i:i + 8]) not in windows, text.nl


def test_every_dimension_describes_every_level_of_its_scale():
    for qset in CATALOGUE.sets.values():
        for dim in qset.dimensions:
            assert dim.rubric is not None, dim.id
            levels = dim.rubric.levels(qset.scale)
            assert [p for p, _t in levels] == list(qset.scale.points), dim.id
            for lang in ("nl", "en"):   # four different descriptions, none a copy
                assert len({text(lang) for _p, text in levels}) == len(levels), (dim.id, lang)


@pytest.mark.parametrize("set_id", sorted(CATALOGUE.sets))
def test_no_role_gets_more_than_25_statements_and_every_theme_is_asked(set_id):
    qset = CATALOGUE.sets[set_id]
    for role in RESPONDENT_ROLES:
        assert len(qset.for_role(role).items) <= 25, (set_id, role)
    for dim in qset.dimensions:
        assert sum(dim.asks(role) for role in RESPONDENT_ROLES) >= 3, dim.id
    # Student teachers are not asked about boards and budgets, board members are.
    assert len(qset.for_role("leraar-in-opleiding").items) < len(qset.items) or \
        len(qset.items) <= 25


def test_sector_wordings_keep_to_the_known_sectors_and_differ_from_the_text():
    variants = [(item, sector, text) for qset in CATALOGUE.sets.values()
                for item in qset.items for sector, text in item.sector.items()]
    assert len(variants) >= 20
    assert {sector for _i, sector, _t in variants} >= {"po", "mbo"}
    for item, _sector, text in variants:
        assert text.nl != item.text.nl, item.id
    assert any("leerkracht" in t.nl or "pabo" in t.nl for _i, s, t in variants if s == "po")


def test_one_voice_in_dutch():
    """"je" throughout, never "u"; "het partnerschap"; no unchecked source titles."""
    for thing in [*CATALOGUE.sets.values(), *CATALOGUE.decks.values()]:
        for text in texts(thing):
            words = _words(text.nl)
            assert "u" not in words and "uw" not in words, text.nl
            assert not re.search(r"\bde partnerschap\b", text.nl.lower()), text.nl
        for source in getattr(thing, "sources", ()):
            assert "te controleren" not in source.title


def test_the_learning_mechanisms_are_ordered_as_partnerships_meet_them():
    """Shallow to deep: identification, coordination, reflection, transformation; in
    practice partnerships start with coordination. Every explanation says so."""
    mechanisms = [d.id for d in CATALOGUE.sets["leermechanismen"].dimensions]
    assert mechanisms == ["identificatie", "coordinatie", "reflectie", "transformatie"]
    description = CATALOGUE.sets["leermechanismen"].description.nl.lower()
    assert "coördinatie" in description and "transformatie" in description

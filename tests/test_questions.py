"""The loader accepts good question files and names every problem in bad ones."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scan.cli import check_command
from scan.question_files import QuestionFileError, load_catalogue

DATA = Path(__file__).parent / "data" / "questions"


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "questions"
    shutil.copytree(DATA, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def problems(folder) -> list[str]:
    with pytest.raises(QuestionFileError) as caught:
        load_catalogue(folder)
    return [str(p) for p in caught.value.problems]


def test_the_mini_set_loads_with_its_structure():
    catalogue = load_catalogue(DATA)
    mini = catalogue.sets["mini"]
    assert [d.id for d in mini.dimensions] == ["kennismaken", "afstemmen"]
    assert mini.scale.values == (1, 2, 3, 4) and mini.scale.dont_know.value == 0
    assert mini.dimensions[0].items[0].text("en") == "We know what the other partner does."
    assert mini.dimensions[0].items[1].tags == {"level": "interpersoonlijk"}
    assert [c.id for c in catalogue.decks["mini-deck"].cards] == ["md-01", "md-02"]
    assert catalogue.decks["mini-deck"].cards[1].tip.nl.startswith("Laat")


@pytest.mark.parametrize("old, new, message, line", [
    ('en: "We see how we differ."', 'en: ""', "'en' text is missing", 26),
    ("id: mini-a-2", "id: mini-a-1", "item id 'mini-a-1' is also used", 35),
    ("{value: 0, label", "{value: 4, label", "don't-know value must differ", 15),
    ("{value: 2, label", "{value: 5, label", "must strictly increase", 10),
    ("version: 1", "version: one", "version must be a positive", 3),
    ("    tags: {mechanism: coordinatie}", "    tgas: {mechanism: coordinatie}",
     "unknown key 'tgas'", 31),
    ("id: afstemmen", "id: Afstemmen!", "must be lowercase", 28),
    ("  - id: kennismaken\n", "  - id: kennismaken\n    colour: red\n", "unknown key 'colour'", 18),
])
def test_problems_in_a_set_are_reported_with_file_and_line(folder, old, new, message, line):
    edit(folder / "mini.yaml", old, new)
    found = problems(folder)
    assert any(message in p and p.startswith(f"{folder / 'mini.yaml'}:{line}:") for p in found), \
        found


@pytest.mark.parametrize("old, new, message", [
    ("dimensions: [afstemmen]", "dimensions: [onbekend]", "unknown dimension 'onbekend'"),
    ("kind: visie", "kind: droom", "kind must be one of"),
    ("id: md-02", "id: md-01", "card id 'md-01' is also used"),
    ("set: mini", "set: maxi", "unknown set 'maxi'"),
    ('      - {nl: "Waarom?", en: "Why?"}', '      - {nl: "Waarom?"}', "'en' text is missing"),
])
def test_problems_in_a_deck_are_reported(folder, old, new, message):
    edit(folder / "decks" / "mini-deck.yaml", old, new)
    assert any(message in p for p in problems(folder)), problems(folder)


def test_broken_yaml_names_the_line(folder):
    edit(folder / "mini.yaml", "title: {nl:", "title: {nl: [")
    assert any("mini.yaml:4:" in p and "not valid YAML" in p for p in problems(folder))


def test_every_problem_is_reported_at_once(folder):
    edit(folder / "mini.yaml", 'en: "We see how we differ."', 'en: ""')
    edit(folder / "decks" / "mini-deck.yaml", "kind: visie", "kind: droom")
    assert len(problems(folder)) == 2


def test_scan_check_passes_on_good_files_and_fails_on_a_broken_copy(folder):
    ok = CliRunner().invoke(check_command, [str(folder)])
    assert ok.exit_code == 0 and "1 sets, 5 items, 1 decks, 2 cards" in ok.output
    edit(folder / "mini.yaml", "id: mini-a-2", "id: mini-a-1")
    bad = CliRunner().invoke(check_command, [str(folder)])
    assert bad.exit_code == 1
    assert f"{folder / 'mini.yaml'}:35: item id 'mini-a-1' is also used" in bad.output


def test_scan_check_passes_on_the_bundled_questions():
    result = CliRunner().invoke(check_command, [])
    assert result.exit_code == 0, result.output

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


# Every kind of question file is checked the same way (scan.question_files._root):
# each problem names its file and, where there is one, its line.
FILES = {"set": "mini.yaml", "deck": "decks/mini-deck.yaml",
         "framework": "frameworks/mini-kader.yaml"}


@pytest.mark.parametrize("kind, old, new, message, line", [
    ("set", 'en: "We see how we differ."', 'en: ""', "'en' text is missing", 26),
    ("set", "id: mini-a-2", "id: mini-a-1", "item id 'mini-a-1' is also used", 35),
    ("set", "{value: 0, label", "{value: 4, label", "don't-know value must differ", 15),
    ("set", "{value: 2, label", "{value: 5, label", "must strictly increase", 10),
    ("set", "version: 1", "version: one", "version must be a positive", 3),
    ("set", "    tags: {mechanism: coordinatie}", "    tgas: {mechanism: coordinatie}",
     "unknown key 'tgas'", 31),
    ("set", "id: afstemmen", "id: Afstemmen!", "must be lowercase", 28),
    ("set", "  - id: kennismaken\n", "  - id: kennismaken\n    colour: red\n",
     "unknown key 'colour'", 18),
    ("set", "id: mini\n", "id: maxi\n", "set id 'maxi' must match the file name", 2),
    ("deck", "dimensions: [afstemmen]", "dimensions: [onbekend]",
     "unknown dimension 'onbekend'", None),
    ("deck", "kind: visie", "kind: droom", "kind must be one of", None),
    ("deck", "id: md-02", "id: md-01", "card id 'md-01' is also used", None),
    ("deck", "set: mini", "set: maxi", "deck mini-deck: unknown set 'maxi'", 1),
    ("deck", '      - {nl: "Waarom?", en: "Why?"}', '      - {nl: "Waarom?"}',
     "'en' text is missing", None),
    ("framework", "dimensions: [kennismaken]", "dimensions: [kennismaken, bestaat-niet]",
     "standard elkaar-kennen: unknown dimension 'bestaat-niet'", 8),
    ("framework", "decks: [mini-deck]", "decks: [geen-deck]",
     "standard elkaar-kennen: unknown deck 'geen-deck'", 9),
    ("framework", "id: samen-afstemmen", "id: elkaar-kennen",
     "standard id 'elkaar-kennen' is also used in", 10),
    ("framework", 'title: {nl: "Samen afstemmen", en: "Aligning together"}',
     'title: {nl: "Samen afstemmen"}',
     "standard samen-afstemmen.title: the 'en' text is missing or empty", 11),
    ("framework", "dimensions: [afstemmen]", "dimensions: []",
     "standard samen-afstemmen.dimensions must be a list of at least 1", 13),
    ("framework", "id: mini-kader", "id: ander-kader",
     "framework id 'ander-kader' must match the file name", 1),
    ("framework", "    dimensions: [afstemmen]", "    dimensions: [afstemmen]\n    weight: 2",
     "standard 2: unknown key 'weight'", 14),
])
def test_problems_are_reported_with_file_and_line(folder, kind, old, new, message, line):
    path = folder / FILES[kind]
    edit(path, old, new)
    found = problems(folder)
    where = f"{path}:{line}:" if line else f"{path}:"
    assert any(message in p and p.startswith(where) for p in found), found


def test_broken_yaml_names_the_line(folder):
    edit(folder / "mini.yaml", "title: {nl:", "title: {nl: [")
    assert any("mini.yaml:4:" in p and "not valid YAML" in p for p in problems(folder))


def test_every_problem_is_reported_at_once(folder):
    edit(folder / "mini.yaml", 'en: "We see how we differ."', 'en: ""')
    edit(folder / "decks" / "mini-deck.yaml", "kind: visie", "kind: droom")
    assert len(problems(folder)) == 2


def test_scan_check_passes_on_good_files_and_counts_them(folder):
    ok = CliRunner().invoke(check_command, [str(folder)])
    assert ok.exit_code == 0 and "1 sets, 5 items, 1 decks, 2 cards, 1 frameworks" in ok.output


@pytest.mark.parametrize("kind, old, new, expected", [
    ("set", "id: mini-a-2", "id: mini-a-1", "35: item id 'mini-a-1' is also used"),
    ("framework", "dimensions: [afstemmen]", "dimensions: [afstemmen, x-y]",
     "13: standard samen-afstemmen: unknown dimension 'x-y'"),
])
def test_scan_check_prints_a_problem_and_fails(folder, kind, old, new, expected):
    edit(folder / FILES[kind], old, new)
    bad = CliRunner().invoke(check_command, [str(folder)])
    assert bad.exit_code == 1
    assert f"{folder / FILES[kind]}:{expected}" in bad.output


def test_scan_check_passes_on_the_bundled_questions():
    result = CliRunner().invoke(check_command, [])
    assert result.exit_code == 0, result.output

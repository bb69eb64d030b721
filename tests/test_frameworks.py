"""Frameworks as files: the loader reads good ones and names every problem in bad ones
with its file and line, as it does for question sets."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scan.cli import check_command
from scan.question_files import QuestionFileError, load_catalogue

DATA = Path(__file__).parent / "data" / "questions"
BUNDLED = Path(__file__).parent.parent / "questions"


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "questions"
    shutil.copytree(DATA, target)
    return target


def framework_file(folder) -> Path:
    return folder / "frameworks" / "mini-kader.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def problems(folder) -> list[str]:
    with pytest.raises(QuestionFileError) as caught:
        load_catalogue(folder)
    return [str(p) for p in caught.value.problems]


def test_a_framework_loads_with_its_standards_and_themes():
    framework = load_catalogue(DATA).frameworks["mini-kader"]
    assert [s.id for s in framework.standards] == ["elkaar-kennen", "samen-afstemmen"]
    first = framework.standard("elkaar-kennen")
    assert first.title("en") == "Knowing each other" and first.title("nl") == "Elkaar kennen"
    assert first.dimensions == ("kennismaken",) and first.decks == ("mini-deck",)
    assert framework.standard("samen-afstemmen").decks == ()


def test_the_bundled_example_maps_every_standard_to_known_themes():
    catalogue = load_catalogue(BUNDLED)
    example = catalogue.frameworks["opleiden-in-de-school"]
    themes = catalogue.dimension_index()
    assert len(example.standards) == 7
    for standard in example.standards:
        assert standard.dimensions and all(d in themes for d in standard.dimensions)
        assert all(d in catalogue.decks for d in standard.decks)
        assert standard.description("nl") and standard.description("en")
    mapped = {d for s in example.standards for d in s.dimensions}
    # The whole scan samen opleiden and all seven conditions are covered.
    assert {d.id for d in catalogue.sets["samen-opleiden"].dimensions} <= mapped
    assert {d.id for d in catalogue.sets["condities"].dimensions} <= mapped


@pytest.mark.parametrize("old, new, expected", [
    ("dimensions: [kennismaken]", "dimensions: [kennismaken, bestaat-niet]",
     "mini-kader.yaml:8: standard elkaar-kennen: unknown dimension 'bestaat-niet'"),
    ("decks: [mini-deck]", "decks: [geen-deck]",
     "mini-kader.yaml:9: standard elkaar-kennen: unknown deck 'geen-deck'"),
    ("id: samen-afstemmen", "id: elkaar-kennen",
     "mini-kader.yaml:10: standard id 'elkaar-kennen' is also used in"),
    ('title: {nl: "Samen afstemmen", en: "Aligning together"}',
     'title: {nl: "Samen afstemmen"}',
     "mini-kader.yaml:11: standard samen-afstemmen.title: the 'en' text is missing or empty"),
    ("dimensions: [afstemmen]", "dimensions: []",
     "mini-kader.yaml:13: standard samen-afstemmen.dimensions must be a list of at least 1"),
    ("id: mini-kader", "id: ander-kader",
     "mini-kader.yaml:1: framework id 'ander-kader' must match the file name"),
    ("    dimensions: [afstemmen]", "    dimensions: [afstemmen]\n    weight: 2",
     "mini-kader.yaml:14: standard 2: unknown key 'weight'"),
])
def test_problems_in_a_framework_point_at_file_and_line(folder, old, new, expected):
    edit(framework_file(folder), old, new)
    found = problems(folder)
    assert any(expected in p for p in found), found


def test_scan_check_prints_a_framework_problem_and_fails(folder):
    edit(framework_file(folder), "dimensions: [afstemmen]", "dimensions: [afstemmen, x-y]")
    result = CliRunner().invoke(check_command, [str(folder)])
    assert result.exit_code == 1
    assert "mini-kader.yaml:13: standard samen-afstemmen: unknown dimension 'x-y'" in result.output


def test_scan_check_counts_frameworks(folder):
    result = CliRunner().invoke(check_command, [str(folder)])
    assert result.exit_code == 0 and "1 frameworks" in result.output

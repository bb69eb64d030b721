"""Frameworks as files: the loader reads good ones with their standards and themes.
What it says of bad ones (file, line and message) is tested with the other kinds of
question file in tests/test_questions.py."""

from pathlib import Path

from scan.question_files import load_catalogue

DATA = Path(__file__).parent / "data" / "questions"
BUNDLED = Path(__file__).parent.parent / "questions"


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

"""`scan check` says how far the content is: statements a student teacher reads that are not
in the first person, and (with --stats) how many of the scale's levels each theme describes."""

from pathlib import Path

from click.testing import CliRunner

from scan.cli import check_command
from scan.question_files import load_catalogue
from scan.questions import in_first_person, levels_described

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"


def test_first_person_is_recognised_in_dutch():
    from scan.questions import Item, Text

    def item(nl):
        return Item("x", Text(nl=nl, en=""))

    assert in_first_person(item("Ik heb inspraak in wie mij begeleidt."))
    assert in_first_person(item("Mijn begeleider kent mijn leerdoelen."))
    assert not in_first_person(item("Studenten hebben inspraak in wie hen begeleidt."))
    assert not in_first_person(item("Het mikt op de lange termijn."))   # no word "ik"


def test_every_statement_a_student_teacher_reads_is_in_the_first_person():
    """They judge their own experience, so they read "Ik ..." (the count itself is
    tested on a small set in test_fitting.py)."""
    catalogue = load_catalogue(QUESTIONS)
    asked = [i for s in catalogue.sets.values() for i in s.for_role("leraar-in-opleiding").items]
    assert asked and [i.id for i in asked if not in_first_person(i)] == []
    result = CliRunner().invoke(check_command, [str(QUESTIONS), "--stats"])
    assert result.exit_code == 0, result.output
    assert "not in the first person" not in result.output


def test_stats_report_level_description_coverage():
    catalogue = load_catalogue(QUESTIONS)
    themes = [(s, d) for s in catalogue.sets.values() for d in s.dimensions]
    levels = sum(len(s.scale.points) for s, _d in themes)
    described = sum(levels_described(d, s.scale)[0] for s, d in themes)
    output = CliRunner().invoke(check_command, [str(QUESTIONS), "--stats"]).output
    assert f"level descriptions: {described} of {levels} levels" in output
    # Every bundled theme describes all four levels of its scale.
    assert described == levels
    assert f"{len(themes)} of {len(themes)} themes describe every level" in output
    assert "levels described 2/4" not in output

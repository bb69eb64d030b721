"""A student teacher reads their statements in the first person AND in their sector's words:
at a po school "leerkracht" and "pabo", at an mbo college "docent" and "mbo-instelling", not
the vo wording the general first-person text is written in. `scan check` reports a sector
wording that has no first-person form (docs/question-files.md, "Sector wording")."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Respondent
from test_fitting import link_for, problems, routed_folder

from scan import create_app, rounds
from scan.cli import check_command
from scan.question_files import load_catalogue

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"
STUDENT = "leraar-in-opleiding"

# Words a sector wording uses where the vo wording has another: when a po or mbo
# wording says "leerkracht" instead of "leraar", a student teacher there must not read
# "leraar" either.
SECTOR_WORDS = {
    "po": [(r"\bleraar\b|\bleraren\b", r"leerkracht"), (r"\bopleiding\b", r"\bpabo\b")],
    "mbo": [(r"\bleraar\b|\bleraren\b", r"\bdocent"), (r"\bschool\b", r"instelling")],
}


def _student_wordings(sector):
    catalogue = load_catalogue(QUESTIONS)
    for qset in catalogue.sets.values():
        general = {i.id: i for i in qset.items}
        for item in qset.for_role(STUDENT, sector).items:
            yield general[item.id], item.text


@pytest.mark.parametrize("sector", ["po", "mbo"])
def test_student_teachers_read_their_sectors_words_in_the_first_person(sector):
    wrong = []
    for item, read in _student_wordings(sector):
        variant = item.sector.get(sector)
        if variant is None:
            continue
        for vo_word, sector_word in SECTOR_WORDS[sector]:
            replaced = (re.search(sector_word, variant.nl, re.I)
                        and not re.search(vo_word, variant.nl, re.I))
            if replaced and re.search(vo_word, read.nl, re.I):
                wrong.append(f"{item.id}: {read.nl}")
    assert wrong == []


def test_the_sector_first_person_wording_is_what_a_po_and_mbo_student_reads():
    samen = load_catalogue(QUESTIONS).sets["samen-opleiden"]

    def reads(sector, item_id):
        return next(i.text for i in samen.for_role(STUDENT, sector).items if i.id == item_id)

    assert reads("po", "so-opl-rea-2").nl == ("Ik weet wat ik op school leer en doe, en dat "
                                              "sluit aan op het programma van de pabo.")
    assert "the pabo's programme" in reads("po", "so-opl-rea-2").en
    assert "mbo-instelling" in reads("mbo", "so-opl-rea-2").nl
    assert reads("vo", "so-opl-rea-2").nl.endswith("het programma van mijn opleiding.")
    # `same`: the general first-person text reads right in that sector.
    assert reads("mbo", "so-opl-rea-3") == reads("vo", "so-opl-rea-3")
    # Everyone else still reads the sector wording in the third person.
    other = next(i for i in samen.for_role("schoolopleider", "po").items
                 if i.id == "so-opl-rea-2")
    assert "pabostudenten" in other.text.nl


def test_every_bundled_sector_wording_has_a_first_person_form():
    result = CliRunner().invoke(check_command, [str(QUESTIONS), "--stats"])
    assert result.exit_code == 0, result.output
    assert "no first-person" not in result.output
    assert "without a first-person form" not in result.output


def test_stats_report_first_person_coverage_with_the_sector_wordings():
    catalogue = load_catalogue(QUESTIONS)
    asked = [i for s in catalogue.sets.values() for i in s.for_role(STUDENT).items]
    wordings = sum(len(i.sector) for s in catalogue.sets.values() for i in s.items
                   if i.asks(STUDENT) and i.first_person)
    assert wordings > 50   # the 38 statements of issue 26 have 59 po/mbo wordings
    output = CliRunner().invoke(check_command, [str(QUESTIONS), "--stats"]).output
    assert (f"first person for {STUDENT}: {len(asked)} of {len(asked)} statements; "
            f"{wordings} of {wordings} po/vo/mbo wordings have a first-person form") in output


# --- the check, on the small test set -------------------------------------------------

# In the routed mini set, mini-a-2 has a po wording and a first-person text.
FIRST_PERSON_LINE = "        first_person: {nl: \"Mijn plaatsing liep soepel.\", " \
                    "en: \"My placement ran smoothly.\"}\n"


def _with(tmp_path, addition: str) -> Path:
    folder = routed_folder(tmp_path)
    path = folder / "mini.yaml"
    text = path.read_text()
    assert FIRST_PERSON_LINE in text
    path.write_text(text.replace(FIRST_PERSON_LINE, FIRST_PERSON_LINE + addition, 1))
    return folder


def test_scan_check_reports_a_sector_wording_without_a_first_person_form(tmp_path):
    folder = routed_folder(tmp_path)
    result = CliRunner().invoke(check_command, [str(folder)])
    assert result.exit_code == 0
    assert (f"note: po/vo/mbo wordings without a first-person form for {STUDENT}: "
            f"1 in 1 of 2 statements") in result.output
    stats = CliRunner().invoke(check_command, [str(folder), "--stats"]).output
    assert (f"no first-person po wording for {STUDENT}: mini-a-2: "
            "Plaatsing van pabostudenten loopt soepel.") in stats
    assert f"first person for {STUDENT}: 1 of 2 statements; 0 of 1 po/vo/mbo" in stats


@pytest.mark.parametrize("addition", [
    "        first_person_sector:\n          po: {nl: \"Mijn plaatsing via de pabo liep "
    "soepel.\", en: \"My placement through the pabo ran smoothly.\"}\n",
    "        first_person_sector:\n          po: same\n",
])
def test_a_sector_first_person_form_or_same_satisfies_the_check(tmp_path, addition):
    stats = CliRunner().invoke(check_command, [str(_with(tmp_path, addition)), "--stats"])
    assert stats.exit_code == 0, stats.output
    assert "no first-person" not in stats.output
    assert "without a first-person form" not in stats.output
    assert f"first person for {STUDENT}: 1 of 2 statements; 1 of 1 po/vo/mbo" in stats.output


@pytest.mark.parametrize("addition, message", [
    ("        first_person_sector:\n          hbo: same\n", "unknown sector 'hbo'"),
    ("        first_person_sector:\n          po: {nl: \"De plaatsing liep soepel.\", "
     "en: \"x\"}\n", "first_person_sector.po: the Dutch text has no ik, mij, me or mijn"),
    ("        first_person_sector:\n          po: zelfde\n",
     "first_person_sector.po must be 'same' or have 'nl' and 'en' texts"),
    ("        first_person_sector:\n          po: {nl: \"Mijn plaatsing liep soepel.\"}\n",
     "first_person_sector.po: the 'en' text is missing"),
])
def test_scan_check_rejects_bad_sector_first_person_forms(tmp_path, addition, message):
    folder = _with(tmp_path, addition)
    path = str(folder / "mini.yaml")
    assert any(message in p and p.startswith(path) for p in problems(folder)), problems(folder)
    result = CliRunner().invoke(check_command, [str(folder)])
    assert result.exit_code == 1 and message in result.output


def test_a_sector_first_person_form_needs_a_first_person_text(tmp_path):
    folder = routed_folder(tmp_path)
    path = folder / "mini.yaml"
    path.write_text(path.read_text().replace(
        FIRST_PERSON_LINE, "        first_person_sector:\n          po: same\n", 1))
    assert any("first_person_sector needs a first_person text" in p
               for p in problems(folder)), problems(folder)


# --- what a student teacher reads on the questionnaire page ----------------------------

PO_FORM = ("        first_person_sector:\n          po: {nl: \"Mijn plaatsing op deze "
           "basisschool liep soepel.\", en: \"My placement at this primary school ran "
           "smoothly.\"}\n")


@pytest.mark.parametrize("sector, expected", [
    ("po", "Mijn plaatsing op deze basisschool liep soepel."),
    ("mbo", "Mijn plaatsing liep soepel."),   # no mbo wording: the general first person
    ("vo", "Mijn plaatsing liep soepel."),
])
def test_a_student_teacher_reads_the_first_person_form_of_their_sector(
        app_config, tmp_path, world, db, sector, expected):
    app = create_app({**app_config, "QUESTIONS": str(_with(tmp_path, PO_FORM))})
    db.execute("update partner set sector = ? where id = ?", [sector, world.a.school])
    rounds.add_pairs(db, world.a.round, [(world.a.school, STUDENT)])
    person = Respondent(app, link_for(db, world.a.round, STUDENT, "school")["token"])
    person.start()
    page = person.page(0).get_data(as_text=True)
    assert expected in page
    assert "pabostudenten" not in page
    if sector != "po":
        assert "basisschool" not in page

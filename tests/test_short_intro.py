"""A theme's introduction in proportion to what a person is asked of it (issue 26):
someone routed only one or two of a theme's statements reads its short_help, with the
whole introduction folded below; `scan check` notes themes that lack one."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Respondent

from scan import accounts, create_app, partners, rounds
from scan.cli import _few_statements, check_command
from scan.db import connect
from scan.question_files import QuestionFileError, load_catalogue
from scan.questions import SHORT_INTRO_BELOW, minutes_to_answer, short_help_missing

DATA = Path(__file__).resolve().parent / "data" / "questions"
BUNDLED = Path(__file__).resolve().parent.parent / "questions"
LONG_HELP = ("Afstemmen gaat over de praktische kant van samenwerken: een jaarplanning, "
             "vaste overleggen, regels voor het plaatsen van studenten en procedures die "
             "iedereen kent. Het is niet de diepste vorm van samen leren, maar zonder "
             "werkbare afspraken komt de rest moeilijk op gang.")
SHORT_HELP = ('short_help: {nl: "Of de partners werkbare afspraken hebben.", '
              'en: "Whether the partners have workable arrangements."}')


def routed_folder(tmp_path, short_help=True, text=SHORT_HELP):
    """The test questions, with the afstemmen page asking student teachers only one of
    its three statements, and a long introduction."""
    folder = tmp_path / "questions"
    shutil.copytree(DATA, folder)
    mini = folder / "mini.yaml"
    source = mini.read_text()
    old_help = ('    help: {nl: "Maken de partners werkbare afspraken?", '
                'en: "Do the partners make workable agreements?"}')
    new_help = (f'    help: {{nl: "{LONG_HELP}", en: "Aligning is about the practical side of '
                'working together: a year calendar, regular meetings, rules for placing student '
                'teachers and procedures everyone knows. It is not the deepest way of learning '
                'together, but without workable arrangements the rest hardly gets going."}')
    assert old_help in source
    source = source.replace(old_help, new_help + (f"\n    {text}" if short_help else ""))
    for item in ("mini-a-2", "mini-a-3"):
        source = source.replace(f"      - id: {item}\n",
                                f"      - id: {item}\n        roles: [schoolopleider, "
                                f"instituutsopleider]\n")
    mini.write_text(source)
    return folder


def test_few_statements_get_the_short_introduction_and_the_whole_one_folded(tmp_path):
    catalogue = load_catalogue(routed_folder(tmp_path))
    mini = catalogue.sets["mini"]
    student = mini.for_role("leraar-in-opleiding").dimension("afstemmen")
    assert len(student.items) == 1 < SHORT_INTRO_BELOW
    assert student.help("nl") == "Of de partners werkbare afspraken hebben."
    assert student.more_help("nl") == LONG_HELP
    educator = mini.for_role("schoolopleider").dimension("afstemmen")
    assert len(educator.items) == 3 and educator.help("nl") == LONG_HELP
    assert educator.more_help is None
    # A page whose statements all reach the person keeps its own introduction.
    assert mini.for_role("leraar-in-opleiding").dimension("kennismaken").more_help is None


def test_the_time_estimate_follows_what_is_read(tmp_path):
    short = load_catalogue(routed_folder(tmp_path / "a")).sets["mini"]
    whole = load_catalogue(routed_folder(tmp_path / "b", short_help=False)).sets["mini"]
    assert (minutes_to_answer([short.for_role("leraar-in-opleiding")])
            <= minutes_to_answer([whole.for_role("leraar-in-opleiding")]))
    from scan.questions import CAREFUL, _seconds

    assert (_seconds([short.for_role("leraar-in-opleiding")], "nl", CAREFUL, True)
            < _seconds([whole.for_role("leraar-in-opleiding")], "nl", CAREFUL, True))


def test_a_short_help_as_long_as_the_help_is_refused(tmp_path):
    folder = routed_folder(tmp_path, text='short_help: {nl: "Kort.", en: "' + "word " * 60
                                          + '"}')
    with pytest.raises(QuestionFileError) as error:
        load_catalogue(folder)
    assert "short_help: the 'en' text must be shorter than help" in str(error.value)


def test_scan_check_notes_a_theme_that_needs_a_short_introduction(tmp_path):
    folder = routed_folder(tmp_path, short_help=False)
    result = CliRunner().invoke(check_command, [str(folder)])
    assert result.exit_code == 0, result.output
    assert ("mini.yaml:28: note: dimension afstemmen has no short_help, and routing gives "
            "1 of its 3 statements to stuurgroeplid, schoolleider, bestuurder, "
            "werkplekbegeleider, leraar-in-opleiding, starter, hr, overig, programmaleider"
            ) in result.output
    stats = CliRunner().invoke(check_command, [str(folder), "--stats"]).output
    assert "no short_help for dimension afstemmen (3 items): stuurgroeplid gets 1" in stats
    assert _few_statements([("bestuurder", 1), ("hr", 2), ("starter", 1)], 5) == (
        "1 of its 5 statements to bestuurder, starter; 2 to hr")
    written = CliRunner().invoke(check_command, [str(routed_folder(tmp_path / "w"))]).output
    assert "short_help" not in written


def test_every_bundled_theme_that_routing_shortens_has_a_short_introduction():
    catalogue = load_catalogue(BUNDLED)
    assert [(s.id, d.id) for s in catalogue.sets.values()
            for d, _few in short_help_missing(s)] == []
    asked = catalogue.sets["condities"].for_role("leraar-in-opleiding")
    assert all(d.more_help for d in asked.dimensions)   # two of four statements: short


@pytest.fixture
def routed_app(tmp_path, app_config):
    app = create_app({**app_config, "QUESTIONS": str(routed_folder(tmp_path))})
    db = connect(app.config["DATABASE"])
    pid = accounts.create_partnership(db, "Partnerschap R")
    school = partners.add_partner(db, pid, "School R", "school", "vo")
    rounds.create_round(db, pid, "2025-2026", "Scan R",
                        [app.extensions["samenscan.catalogue"].sets["mini"]], [school],
                        ["leraar-in-opleiding", "schoolopleider"])
    links = {x["role"]: x["token"] for x in rounds.links(db, 1)}
    db.conn.close()
    return app, links


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_student_teacher_reads_the_short_introduction_on_the_page(routed_app, lang):
    app, links = routed_app
    student = Respondent(app, links["leraar-in-opleiding"])
    student.client.set_cookie("lang", lang)
    student.start()
    student.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "2"})
    html = student.page(1).get_data(as_text=True)
    short = "Of de partners werkbare afspraken hebben." if lang == "nl" else \
        "Whether the partners have workable arrangements."
    assert f'<p class="help">{short}</p>' in html
    assert '<details class="more-help">' in html
    assert ("Meer over dit thema" if lang == "nl" else "More about this theme") in html
    educator = Respondent(app, links["schoolopleider"])
    educator.start()
    educator.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "2"})
    page = educator.page(1).get_data(as_text=True)
    assert "more-help" not in page and "Afstemmen gaat over de praktische kant" in page


def test_the_catalogue_shows_what_someone_asked_a_few_statements_reads(tmp_path, app_config):
    from conftest import PASSWORD

    app = create_app({**app_config, "QUESTIONS": str(routed_folder(tmp_path))})
    db = connect(app.config["DATABASE"])
    accounts.create_user(db, "lezer@school.nl", "Lezer", PASSWORD)
    db.conn.close()
    client = app.test_client()
    client.post("/login", data={"email": "lezer@school.nl", "password": PASSWORD})
    html = client.get("/catalogue/sets/mini").get_data(as_text=True)
    assert "Voor wie maar een of twee van deze stellingen krijgt:" in html
    assert "Of de partners werkbare afspraken hebben." in html

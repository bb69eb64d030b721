"""The peer-review dossier: per standard the released means (as the reports show them),
joint scores with evidence, actions with their progress, and versioned reflections;
as a page, Markdown and Word.

Round A (answers.py) shows kennismaken 3,00 (13 answers) and afstemmen 2,50 (a Dutch page).
"""

import io
import re
from datetime import date

import pytest
from docx import Document
from test_joint_reports import agree, session

from scan import anonymised, dossier, releases, rounds, scoring, workshops

PAGE = "/p/{pid}/dossier/mini-kader"


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def page(client, world, query="") -> str:
    response = client.get(PAGE.format(pid=world.a.id) + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row(html: str, dimension: str) -> str:
    return re.search(rf'<tr data-dimension="{dimension}">(.*?)</tr>', html, re.S)[1]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_dossier_shows_each_themes_released_mean_as_the_report_does(
        coordinator, world, db, scored):
    report = scoring.round_report(db, releases.latest(db, world.a.round),
                                  rounds.round_sets(db, world.catalogue, world.a.round)[0], 3)
    means = anonymised.survey_means(report)
    html = page(coordinator, world)
    for dimension in ("kennismaken", "afstemmen"):
        shown = text(row(html, dimension))
        assert (f"{means[dimension]:.2f} (n={report.overall.people[dimension]})".replace(".", ",")
                in shown)
    assert "3,00" in text(row(html, "kennismaken")) and "2,50" in text(row(html, "afstemmen"))
    # Each standard holds only its own themes.
    first, second = html.split('id="standard-samen-afstemmen"')
    assert 'data-dimension="kennismaken"' in first and 'data-dimension="afstemmen"' not in first
    assert 'data-dimension="afstemmen"' in second


def test_nothing_released_shows_as_not_shown(coordinator, world):
    html = page(coordinator, world)
    assert "niet getoond" in text(row(html, "kennismaken"))
    assert not re.search(r"\d[.,]\d\d", text(row(html, "kennismaken")))


def test_a_round_with_too_few_people_shows_no_number(coordinator, world, db, new_respondent):
    for _ in range(2):
        person = new_respondent(world.a.token)
        person.start()
        person.save(1, "kennismaken", {"mini-k-1": "4", "mini-k-2": "4"})
        person.save(2, "afstemmen", {"mini-a-1": "4", "mini-a-2": "4", "mini-a-3": "4"})
        person.submit()
    rounds.set_status(db, world.a.round, "closed")
    html = page(coordinator, world)
    assert "4,00" not in html and "niet getoond" in text(row(html, "kennismaken"))


def test_trend_over_two_school_years(coordinator, world, db, scored):
    """A second year's round: both years' released means and the change between them."""
    from answers import answer

    qset = world.catalogue.sets["mini"]
    later = rounds.create_round(db, world.a.id, "2026-2027", "Scan a 2", [qset],
                                [world.a.school], ["schoolopleider"])
    link = rounds.links(db, later)[0]["id"]
    sets = rounds.round_sets(db, world.catalogue, later)
    for _ in range(4):
        answer(db, later, link, sets, ("school", "schoolopleider", (4, 4), (4, 4, 4), ""))
    releases.release(db, later, sets, 3)
    html = page(coordinator, world)
    cells = text(row(html, "kennismaken"))
    assert "3,00 (n=" in cells and "4,00 (n=4)" in cells and "+1,00" in cells
    assert "2025-2026" in html and "2026-2027" in html
    # Only the first year chosen: no change column value.
    one = text(row(page(coordinator, world, "?years=2025-2026"), "kennismaken"))
    assert "4,00" not in one and "+1,00" not in one


def test_years_that_are_not_the_partnerships_are_refused(coordinator, world):
    for bad in ("1999-2000", "x" * 300, "2024-2025"):
        response = coordinator.get(PAGE.format(pid=world.a.id) + f"?years={bad}")
        assert response.status_code == 400
        assert "schooljaren" in response.get_data(as_text=True)


def test_joint_scores_with_evidence_and_actions_with_progress(coordinator, world, db, scored):
    agree(db, session(db, world), "kennismaken", 3, "Beide kanten noemen dezelfde afspraken.")
    workshops.add_progress(db, world.a.id, world.a.action, date(2026, 4, 2), "bezig",
                           "Eerste overleg gehouden")
    html = page(coordinator, world)
    standard = html.split('id="standard-samen-afstemmen"')[0]
    assert "Beide kanten noemen dezelfde afspraken." in standard
    assert re.search(r"Knowing each other|kennis", standard)
    assert "Afspraak a" in standard and "Eerste overleg gehouden" in standard
    assert "Afspraak b" not in html


def test_reflections_are_saved_in_versions(coordinator, world, db):
    url = f"/p/{world.a.id}/dossier/mini-kader/reflection/elkaar-kennen"
    first = coordinator.post(url, data={"body": "Eerste gedachte.", "version": "0"})
    assert first.status_code == 302
    again = coordinator.post(url, data={"body": "Eerste gedachte.", "version": "0"})
    assert again.status_code == 302   # a double submit adds nothing
    second = coordinator.post(url, data={"body": "Beter verwoord.\n\nMet een alinea.",
                                         "version": "1"})
    assert second.status_code == 302
    assert [v["version"] for v in dossier.history(db, world.a.id, "mini-kader",
                                                  "elkaar-kennen")] == [2, 1]
    html = page(coordinator, world)
    assert "Beter verwoord." in html and "Met een alinea." in html
    assert "Eerste gedachte." not in html
    history = coordinator.get(url + "/history").get_data(as_text=True)
    assert "Eerste gedachte." in history and "Beter verwoord." in history


def test_a_reflection_saved_over_a_newer_one_is_refused(coordinator, world, db):
    url = f"/p/{world.a.id}/dossier/mini-kader/reflection/elkaar-kennen"
    coordinator.post(url, data={"body": "Van de een.", "version": "0"})
    stale = coordinator.post(url, data={"body": "Van de ander.", "version": "0"})
    assert stale.status_code == 409
    assert "Er is niets opgeslagen" in stale.get_data(as_text=True)
    assert dossier.reflections(db, world.a.id, "mini-kader")["elkaar-kennen"]["body"] == \
        "Van de een."


@pytest.mark.parametrize("data, code", [
    ({"body": "x" * 8001, "version": "0"}, 400),
    ({"body": "x", "version": "-1"}, 400),
    ({"body": "x", "version": "twee"}, 400),
])
def test_bad_reflections_get_a_clear_4xx(coordinator, world, db, data, code):
    url = f"/p/{world.a.id}/dossier/mini-kader/reflection/elkaar-kennen"
    assert coordinator.post(url, data=data).status_code == code
    assert dossier.reflections(db, world.a.id, "mini-kader") == {}


def test_unknown_standard_or_framework_is_404(coordinator, world):
    assert coordinator.post(f"/p/{world.a.id}/dossier/mini-kader/reflection/geen",
                            data={"body": "x", "version": "0"}).status_code == 404
    assert coordinator.get(f"/p/{world.a.id}/dossier/geen-kader").status_code == 404


def test_viewers_read_but_do_not_write(client, auth, world, db):
    auth.login(world.a.emails["viewer"])
    assert client.get(PAGE.format(pid=world.a.id)).status_code == 200
    assert 'name="body"' not in client.get(PAGE.format(pid=world.a.id)).get_data(as_text=True)
    response = client.post(f"/p/{world.a.id}/dossier/mini-kader/reflection/elkaar-kennen",
                           data={"body": "x", "version": "0"})
    assert response.status_code == 403


def test_markdown_holds_means_joint_scores_actions_and_reflection(coordinator, world, db,
                                                                   scored):
    agree(db, session(db, world), "kennismaken", 3, "Beide kanten noemen dezelfde afspraken")
    workshops.add_progress(db, world.a.id, world.a.action, date(2026, 4, 2), "bezig",
                           "Eerste overleg")
    coordinator.post(f"/p/{world.a.id}/dossier/mini-kader/reflection/elkaar-kennen",
                     data={"body": "Wij kennen elkaar steeds beter", "version": "0"})
    response = coordinator.get(PAGE.format(pid=world.a.id) + "/dossier.md")
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    md = response.get_data(as_text=True)
    assert "| 3,00 (n=" in md and "| 2,50 (n=" in md
    assert "Beide kanten noemen dezelfde afspraken" in md
    assert "Afspraak a" in md and "Eerste overleg" in md
    assert "Wij kennen elkaar steeds beter" in md


def test_word_document_reads_back_with_the_same_content(coordinator, world, db, scored):
    agree(db, session(db, world), "kennismaken", 3, "Beide kanten noemen dezelfde afspraken.")
    workshops.add_progress(db, world.a.id, world.a.action, date(2026, 4, 2), "klaar",
                           "Afgerond")
    coordinator.post(f"/p/{world.a.id}/dossier/mini-kader/reflection/samen-afstemmen",
                     data={"body": "Afstemmen gaat goed.", "version": "0"})
    response = coordinator.get(PAGE.format(pid=world.a.id) + "/dossier.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.data))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(c.startswith("3,00 (n=") for c in cells)
    assert any(c.startswith("2,50 (n=") for c in cells)
    assert "Beide kanten noemen dezelfde afspraken." in paragraphs
    assert "Afspraak a" in paragraphs and "Afgerond" in paragraphs
    assert "Afstemmen gaat goed." in paragraphs
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["Elkaar kennen", "Samen afstemmen"]


def test_the_dossier_speaks_english_when_chosen(coordinator, world, scored):
    coordinator.set_cookie("lang", "en")
    html = page(coordinator, world)
    assert "Knowing each other" in html and "Released results" in html
    coordinator.set_cookie("lang", "nl")
    assert "Vrijgegeven resultaten" in page(coordinator, world)

"""What comes out of joint scoring: the joint score beside the survey in the report,
over the years, and in the exports.

Round A (see answers.py) has survey means kennismaken 3.00 (39/13) and
afstemmen 2.50 (55/22) on a 1-4 scale.
"""

import io
import re
from datetime import date, datetime

import pytest
from attacker import csv_rows
from openpyxl import load_workbook

from scan import joint, rounds, workshops
from scan.anonymised import JointScore

SCALE = (1, 2, 3, 4)
EVIDENCE = "Beide kanten noemen dezelfde afspraken."


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def session(db, world, held_on=date(2026, 3, 1), round_id=None, partnership=None,
            title="Samen scoren"):
    return workshops.create(db, partnership or world.a.id, title, held_on,
                            round_id or world.a.round, [], set_id="mini",
                            dimension_ids=("kennismaken", "afstemmen"))


def agree(db, wid, dimension, score, evidence=EVIDENCE):
    """Put the dimension on screen, reveal its spread and agree a joint score."""
    position = [d["dimension_id"] for d in joint.dimensions(db, wid)].index(dimension)
    joint.go_to(db, wid, position)
    joint.set_step(db, wid, "spread")
    joint.agree(db, wid, dimension, score, evidence, SCALE)


def report(client, world) -> str:
    return client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(
        as_text=True)


def row(html: str, dimension: str) -> str:
    return html.split(f'<tr data-dimension="{dimension}">')[1].split("</tr>")[0]


def cells(html_row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", html_row, flags=re.S)]


def test_the_report_shows_the_joint_score_beside_the_survey_mean(member, world, db, scored):
    agree(db, session(db, world), "kennismaken", 3)
    html = report(member, world)
    kennismaken = row(html, "kennismaken")
    assert "<strong>3</strong>" in kennismaken
    assert '<td class="survey-mean">3,00</td>' in kennismaken
    spread = next(d.spread for d in scored.differences if d.dimension_id == "kennismaken")
    explained = html.split('id="how-calculated"')[1]   # the spread: in the explanation
    assert f"<td>{spread:.2f}</td>".replace(".", ",") in explained
    assert EVIDENCE in kennismaken
    assert "Samen scoren, 1 maart 2026" in kennismaken
    assert "joint-differs" not in kennismaken
    afstemmen = row(html, "afstemmen")   # not agreed yet: its survey mean only
    assert "<strong>" not in afstemmen and '<td class="survey-mean">2,50</td>' in afstemmen
    assert f"/p/{world.a.id}/rounds/{world.a.round}/export/mini-joint.csv" in html


@pytest.mark.parametrize(("dimension", "score", "marked"), [
    ("kennismaken", 1, True),    # 3.00 - 1 = 2
    ("kennismaken", 2, False),   # exactly one step: not more than one
    ("kennismaken", 4, False),
    ("afstemmen", 4, True),      # 4 - 2.50 = 1.5
    ("afstemmen", 1, True),
    ("afstemmen", 3, False),
])
def test_the_report_marks_more_than_one_step_between_joint_score_and_mean(
        member, world, db, scored, dimension, score, marked):
    agree(db, session(db, world), dimension, score)
    assert ("joint-differs" in row(report(member, world), dimension)) is marked


def test_more_than_one_step_is_measured_on_the_unrounded_mean():
    agreed = JointScore("kennismaken", 4, EVIDENCE, "Samen scoren", "2026-03-01",
                        "2026-03-01 10:00:00")
    assert agreed.differs(2.999) and not agreed.differs(3.0) and not agreed.differs(None)


def test_no_joint_section_before_anything_is_agreed(member, world, db, scored):
    wid = session(db, world)
    joint.set_step(db, wid, "spread")   # revealed, not agreed
    html = report(member, world)
    assert 'id="joint"' not in html and "mini-joint.csv" not in html


def test_an_agreement_after_the_report_was_read_shows_at_once(member, world, db, scored):
    assert 'id="joint"' not in report(member, world)   # now in the cache
    wid = session(db, world)
    agree(db, wid, "kennismaken", 3)
    assert "<strong>3</strong>" in row(report(member, world), "kennismaken")
    # Changed in the same session: agreed_at stays, score and evidence change.
    joint.agree(db, wid, "kennismaken", 1, "Toch nog weinig contact.", SCALE)
    kennismaken = row(report(member, world), "kennismaken")
    assert "<strong>1</strong>" in kennismaken and "Toch nog weinig contact." in kennismaken
    assert EVIDENCE not in kennismaken and "joint-differs" in kennismaken


def test_the_latest_session_counts(member, world, db, scored):
    agree(db, session(db, world), "kennismaken", 2, "Eerste keer.")
    agree(db, session(db, world, date(2026, 5, 1), title="Tweede keer"), "kennismaken", 4,
          "Tweede keer.")
    kennismaken = row(report(member, world), "kennismaken")
    assert "<strong>4</strong>" in kennismaken and "Tweede keer, 1 mei 2026" in kennismaken
    assert "Eerste keer." not in kennismaken


def test_the_joint_score_shows_while_the_survey_is_not_shown(member, world, db):
    agree(db, session(db, world), "kennismaken", 3)
    html = report(member, world)
    assert 'data-chart-for="radar"' not in html   # too few answers: no survey results
    kennismaken = row(html, "kennismaken")
    assert "<strong>3</strong>" in kennismaken and EVIDENCE in kennismaken
    survey = kennismaken.split('<td class="survey-mean">')[1].split("</td>")[0]
    assert 'class="muted"' in survey and not re.search(r"\d", survey)
    assert "joint-differs" not in kennismaken


def test_another_partnerships_session_on_the_round_does_not_count(member, world, db, scored):
    agree(db, session(db, world, partnership=world.b.id), "kennismaken", 1, "Van B.")
    html = report(member, world)
    assert 'id="joint"' not in html and "Van B." not in html


def test_years_compare_joint_scores(member, world, db, scored):
    earlier = rounds.create_round(db, world.a.id, "2024-2025", "Vorig jaar",
                                  [world.catalogue.sets["mini"]], [world.a.school],
                                  ["schoolopleider"], expected=20)
    agree(db, session(db, world, date(2025, 3, 1), round_id=earlier), "kennismaken", 2)
    agree(db, session(db, world), "kennismaken", 4)
    rounds.create_round(db, world.a.id, "2023-2024", "Oud", [world.catalogue.sets["mini"]],
                        [world.a.school], ["schoolopleider"],
                        expected=20)   # nothing at all: left out
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    table = html.split('id="joint-years"')[1].split("</section>")[0]
    header = table.split("<thead>")[1].split("</thead>")[0]
    assert "2024-2025" in header and "2025-2026" in header and "2023-2024" not in header
    # 2024-2025: no survey shown, joint 2; 2025-2026: survey 3.00, joint 4.
    assert cells(row(table, "kennismaken")) == ["–", "2", "3,00", "4"]
    assert cells(row(table, "afstemmen")) == ["–", "–", "2,50", "–"]


def test_years_without_joint_scores_have_no_joint_table(member, world, scored):
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    assert 'id="joint-years"' not in html


def test_exports_hold_joint_score_evidence_and_survey_mean(member, world, db, scored):
    agree(db, session(db, world), "kennismaken", 3)
    base = f"/p/{world.a.id}/rounds/{world.a.round}"
    expected = {"dimension": "kennismaken", "dimension_title": "Kennismaken",
                "joint_score": 3, "evidence": EVIDENCE, "session": "Samen scoren",
                "session_date": "2026-03-01", "survey_mean": 3.0}
    # In Dutch (the default): Dutch heads, ";" between fields, dates as a Dutch Excel
    # reads them, every field quoted.
    text = member.get(f"{base}/export/mini-joint.csv").get_data(as_text=True)
    assert text.splitlines()[0] == ('"Thema (code)";"Thema";"Gezamenlijke score";'
                                    '"Onderbouwing";"Werksessie";"Datum werksessie";'
                                    '"Gemiddelde vragenlijst"')
    (line,) = csv_rows(text)
    assert line == {**{k: str(v) for k, v in expected.items()}, "session_date": "01-03-2026",
                    "survey_mean": "3"}
    book = load_workbook(io.BytesIO(member.get(f"{base}/export/mini.xlsx").data))
    header, values = book["Gezamenlijke scores"].iter_rows(values_only=True)
    assert header[:3] == ("Thema (code)", "Thema", "Gezamenlijke score")
    assert list(values) == [*list(expected.values())[:5], datetime(2026, 3, 1), 3.0]
    (mini,) = member.get(f"{base}/export.json").get_json()["sets"]
    assert mini["joint"] == [expected]


def test_joint_exports_without_agreements_are_empty(member, world, scored):
    base = f"/p/{world.a.id}/rounds/{world.a.round}"
    text = member.get(f"{base}/export/mini-joint.csv").get_data(as_text=True)
    assert csv_rows(text) == [] and text.startswith('"Thema (code)";"Thema";')
    assert "Gezamenlijke scores" not in load_workbook(io.BytesIO(member.get(
        f"{base}/export/mini.xlsx").data)).sheetnames
    assert member.get(f"{base}/export.json").get_json()["sets"][0]["joint"] == []


def test_evidence_cannot_run_as_a_formula(member, world, db, scored):
    agree(db, session(db, world), "kennismaken", 3, '=HYPERLINK("http://x","klik")')
    base = f"/p/{world.a.id}/rounds/{world.a.round}/export/mini"
    text = member.get(f"{base}-joint.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text and ",=HYPERLINK" not in text
    sheet = load_workbook(io.BytesIO(member.get(f"{base}.xlsx").data))["Gezamenlijke scores"]
    assert sheet["D2"].value.startswith("'=HYPERLINK") and sheet["D2"].data_type != "f"


def test_another_partnership_cannot_read_joint_scores(client, auth, world, db, scored):
    agree(db, session(db, world), "kennismaken", 3)
    auth.login(world.b.emails["coordinator"])
    base = f"/p/{world.a.id}/rounds/{world.a.round}"
    assert client.get(f"{base}/report/mini").status_code == 404
    assert client.get(f"{base}/export/mini-joint.csv").status_code == 404
    assert client.get(f"/p/{world.a.id}/years/mini").status_code == 404

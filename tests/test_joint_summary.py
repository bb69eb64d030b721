"""The summary of a joint scoring session: every dimension with its placements as a
distribution, the joint score, evidence, sticky notes and next steps; page, Markdown, CSV."""

from __future__ import annotations

import re
from datetime import date

import pytest

from scan import joint, workshops
from scan.database import connect

SCALE = (1, 2, 3, 4)


@pytest.fixture
def session(world, db):
    """Kennismaken: six placements, agreed with a note and a next step.
    Afstemmen: two placements only, not agreed."""
    wid = workshops.create(db, world.a.id, "Samen scoren", date(2026, 3, 1), world.a.round, [],
                           set_id="mini", dimension_ids=("kennismaken", "afstemmen"))
    tokens = [joint.join(db, wid, kind, "schoolopleider") for kind in
              ["school"] * 3 + ["instituut"] * 3]
    people = [joint.participant(db, wid, t) for t in tokens]
    for person, value in zip(people, [2, 2, 3, 3, 3, 4], strict=True):
        joint.place(db, wid, person, "kennismaken", value, SCALE)
    joint.add_note(db, wid, "kennismaken", "Wie belt wie bij ziekte?")
    joint.show_notes(db, wid)
    joint.set_step(db, wid, "spread")
    joint.set_step(db, wid, "agree")
    joint.agree(db, wid, "kennismaken", 3, "Iedere school heeft een vast aanspreekpunt.", SCALE,
                ("Kennismakingsdag plannen", "Stuurgroep", date(2026, 4, 1)))
    joint.go_to(db, wid, 1)
    for person, value in zip(people[:2], [1, 2], strict=True):
        joint.place(db, wid, person, "afstemmen", value, SCALE)
    joint.set_step(db, wid, "spread")
    return wid


@pytest.fixture
def reader(client, auth, world):
    auth.login(world.a.emails["facilitator"])
    client.set_cookie("lang", "en")
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_every_dimension_with_what_was_agreed(reader, world, session):
    page = reader.get(f"/p/{world.a.id}/workshops/{session}/summary").get_data(as_text=True)
    text = _text(page)
    assert text.index("1. Getting acquainted") < text.index("2. Aligning")
    first, second = text.split("2. Aligning")
    # Kennismaken: the distribution per scale point, per partner type (both have 3).
    assert "1 · Not yet 0 0 0" in first
    assert "2 · Developing 2 2 0" in first and "3 · Largely in place 3 1 2" in first
    assert "4 · Fully in place and embedded 1 0 1" in first and "Total 6 3 3" in first
    assert "Joint score: 3 · Largely in place" in first
    assert "Iedere school heeft een vast aanspreekpunt." in first
    assert "Wie belt wie bij ziekte?" in first
    assert "Kennismakingsdag plannen" in first and "April 1, 2026" in first
    # Afstemmen: two placements are not shown, and nothing was agreed.
    assert "Too few placements to show (fewer than 3)." in second
    assert "Joint score: not agreed" in second
    assert "Developing 1" not in second
    assert '<th scope="row">' in page and '<th scope="col">' in page


def test_one_column_when_a_partner_type_has_fewer_than_three(reader, world, db):
    wid = workshops.create(db, world.a.id, "Klein", date(2026, 3, 2), world.a.round, [],
                           set_id="mini", dimension_ids=("kennismaken",))
    for kind in ["school"] * 3 + ["instituut"] * 2:
        person = joint.participant(db, wid, joint.join(db, wid, kind, "schoolopleider"))
        joint.place(db, wid, person, "kennismaken", 2, SCALE)
    joint.set_step(db, wid, "spread")
    text = _text(reader.get(f"/p/{world.a.id}/workshops/{wid}/summary").get_data(as_text=True))
    assert "2 · Developing 5 " in text and "Total 5 " in text
    assert "Teacher-education institute" not in text


def test_the_markdown_and_csv_say_the_same(reader, world, session):
    base = f"/p/{world.a.id}/workshops/{session}/summary"
    markdown = reader.get(f"{base}.md").get_data(as_text=True)
    assert "### 1. Getting acquainted" in markdown and "### 2. Aligning" in markdown
    assert "**Joint score:** 3 (Largely in place)" in markdown
    assert "| 3 Largely in place | 3 | 1 | 2 | ███ |" in markdown
    assert "Iedere school heeft een vast aanspreekpunt\\." in markdown
    assert "- Wie belt wie bij ziekte?" in markdown
    assert "- Kennismakingsdag plannen — Stuurgroep, April 1, 2026" in markdown
    assert "Too few placements to show (fewer than 3)." in markdown
    assert "**Joint score:** not agreed" in markdown
    csv_text = reader.get(f"{base}.csv").get_data(as_text=True)
    assert '"Joint score","Evidence"' in csv_text.splitlines()[0]
    assert ',"Getting acquainted","3","Iedere school heeft een vast aanspreekpunt."' in csv_text


def test_a_card_session_summary_stays_as_it_was(reader, world):
    page = reader.get(f"/p/{world.a.id}/workshops/{world.a.workshop}/summary").get_data(
        as_text=True)
    assert "Cards discussed" in page and "Joint score" not in page
    header = reader.get(f"/p/{world.a.id}/workshops/{world.a.workshop}/summary.csv").get_data(
        as_text=True).splitlines()[0]
    assert "Joint score" not in header


def test_another_partnership_does_not_see_the_summary(client, auth, world, session):
    auth.login(world.b.emails["coordinator"])
    for suffix in ("", ".md", ".csv"):
        assert client.get(f"/p/{world.a.id}/workshops/{session}/summary{suffix}"
                          ).status_code == 404
        assert client.get(f"/p/{world.b.id}/workshops/{session}/summary{suffix}"
                          ).status_code == 404


def test_the_demo_has_one_finished_joint_session_agreed_throughout(demo_app):
    db = connect(demo_app.config["DATABASE"])
    catalogue = demo_app.extensions["samenscan.catalogue"]
    sessions = list(db.query("select * from workshop where kind = 'joint'"))
    assert len(sessions) == 1
    session = sessions[0]
    assert session["status"] == "closed" and session["set_id"] == "samen-opleiden"
    assert db.execute("select status from round where id = ?", [session["round_id"]]
                      ).fetchone()[0] == "closed"
    rows = joint.dimensions(db, session["id"])
    assert [r["dimension_id"] for r in rows] == [
        d.id for d in catalogue.sets[session["set_id"]].dimensions]
    assert all(r["score"] is not None and r["evidence"] for r in rows)
    assert all(joint.spread(db, session["id"], r["dimension_id"]).shown for r in rows)
    assert sum(len(joint.notes(db, session["id"], r["dimension_id"])) for r in rows) >= 2
    assert 2 <= len(workshops.actions(db, session["partnership_id"],
                                      workshop_id=session["id"])) <= 3
    db.conn.close()

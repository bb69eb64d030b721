"""The dot vote's result: ranked on the console, the wall and in every form of the summary,
and a vote only offered when there is more than one theme to vote on."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from scan import joint, workshops

SCALE = (1, 2, 3, 4)


def _rows(dots: list[int]) -> list[dict]:
    return [{"dimension_id": f"d{n}", "position": n, "dots": d, "score": None}
            for n, d in enumerate(dots)]


def test_the_ranking_puts_most_dots_first_and_equal_totals_share_a_place():
    ranked = joint.ranking(_rows([2, 5, 0, 2, 1]))
    assert [(place, row["dimension_id"]) for place, row in ranked] == [
        (1, "d1"), (2, "d0"), (2, "d3"), (4, "d4")]


def test_a_vote_needs_two_themes_still_to_score():
    rows = _rows([0, 0])
    assert joint.can_vote(rows)
    rows[0]["score"] = 3
    assert not joint.can_vote(rows)


@pytest.fixture
def voted(world, db):
    """Three people vote: afstemmen 5 dots, kennismaken 1."""
    wid = workshops.create(db, world.a.id, "Stippen", date(2026, 3, 1), world.a.round, [],
                           set_id="mini", dimension_ids=("kennismaken", "afstemmen"))
    people = [joint.participant(db, wid, joint.join(db, wid, "school", "schoolopleider"))
              for _ in range(3)]
    joint.start_vote(db, wid, 2)
    for person, dots in zip(people, [{"afstemmen": 2}, {"afstemmen": 2},
                                     {"afstemmen": 1, "kennismaken": 1}], strict=True):
        joint.cast_dots(db, wid, person, dots)
    joint.end_vote(db, wid)
    return wid


@pytest.fixture
def facilitator(client, auth, world):
    auth.login(world.a.emails["facilitator"])
    client.set_cookie("lang", "en")
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_ranking_is_on_the_console_the_wall_and_the_summary(facilitator, world, voted):
    base = f"/p/{world.a.id}/workshops/{voted}"
    for page in ("/joint", "/joint/wall", "/summary"):
        text = _text(facilitator.get(base + page).get_data(as_text=True))
        assert "Dot vote result 1 Aligning 5 dots 2 Getting acquainted 1 dot" in text, page
    markdown = facilitator.get(f"{base}/summary.md").get_data(as_text=True)
    assert ("### Dot vote result\n\n- **1** · Aligning — 5 dots\n"
            "- **2** · Getting acquainted — 1 dot\n") in markdown
    rows = list(csv.reader(io.StringIO(
        facilitator.get(f"{base}/summary.csv").get_data(as_text=True))))
    assert rows[0][-2:] == ["Dots", "Place in the dot vote"]
    assert any(row[7] == "Aligning" and row[-2:] == ["5", "1"] for row in rows)
    assert any(row[7] == "Getting acquainted" and row[-2:] == ["1", "2"] for row in rows)


def test_no_vote_is_offered_over_one_theme(facilitator, world, db):
    wid = world.a.joint
    url = f"/p/{world.a.id}/workshops/{wid}/joint"
    assert 'action="' + url + '/vote"' in facilitator.get(url).get_data(as_text=True)
    db.execute("update joint_dimension set score = 3, step = 'agree' where workshop_id = ? "
               "and dimension_id = 'kennismaken'", [wid])
    assert 'action="' + url + '/vote"' not in facilitator.get(url).get_data(as_text=True)
    refused = facilitator.post(f"{url}/vote", data={"dots": "3"})
    assert refused.status_code == 409 and "at least two themes" in refused.get_data(as_text=True)
    assert workshops.workshop_of(db, world.a.id, wid)["dots"] == 0

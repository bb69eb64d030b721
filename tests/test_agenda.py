"""From report to agenda in one step: the themes the scan points at become a card
session (one card per theme, with why) and a joint scoring session on the same themes."""

from __future__ import annotations

from scan import joint, workshops


def _url(part) -> str:
    return f"/p/{part.id}/rounds/{part.round}/report/mini/agenda"


def _sessions(db, pid) -> list[dict]:
    return [w for w in workshops.workshops(db, pid) if w["title"].endswith("2025-2026")]


def test_one_action_makes_a_card_session_and_a_joint_session(client, auth, world, db, scored):
    auth.login(world.a.emails["facilitator"])
    client.set_cookie("lang", "en")
    page = client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini")
    assert _url(world.a) in page.get_data(as_text=True)
    response = client.post(_url(world.a))
    assert response.status_code == 302
    made = {w["kind"]: w for w in _sessions(db, world.a.id)}
    assert set(made) == {"cards", "joint"}
    cards = workshops.presented(db, made["cards"]["id"])
    themes = [c["reason"]["dimension_id"] for c in cards]
    assert sorted(themes) == ["afstemmen", "kennismaken"]       # the mini set's two themes
    assert {c["reason"]["kind"] for c in cards} <= {"lowest", "gap"}
    scored_together = [d["dimension_id"] for d in joint.dimensions(db, made["joint"]["id"])]
    assert scored_together == themes
    assert "Agenda ready" in client.get(response.location).get_data(as_text=True)
    assert client.post(_url(world.a)).status_code == 302          # a second one: numbered
    assert len(_sessions(db, world.a.id)) == 2 and any(
        w["title"].endswith("(2)") for w in workshops.workshops(db, world.a.id))


def test_no_agenda_without_released_results(client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    client.set_cookie("lang", "en")
    before = len(workshops.workshops(db, world.a.id))
    response = client.post(_url(world.a))
    assert response.status_code == 409 and "no agenda" in response.get_data(as_text=True)
    assert len(workshops.workshops(db, world.a.id)) == before


def test_viewers_cannot_make_an_agenda(client, auth, world, db, scored):
    auth.login(world.a.emails["viewer"])
    assert client.post(_url(world.a)).status_code == 403
    assert f"{_url(world.a)}" not in client.get(
        f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(as_text=True)

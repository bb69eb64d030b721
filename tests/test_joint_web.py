"""Joint scoring over HTTP: the facilitator's screen, participants' phones, bad input, tenancy."""

from __future__ import annotations

import re
from datetime import date

import pytest

from scan import joint, workshops


@pytest.fixture
def session(world, db):
    return workshops.create(db, world.a.id, "Samen scoren", date(2026, 3, 1), world.a.round,
                            ["mini-deck"], set_id="mini",
                            dimension_ids=("kennismaken", "afstemmen"))


@pytest.fixture
def token(db, world, session):
    return workshops.workshop_of(db, world.a.id, session)["token"]


class Phone:
    """A participant's phone: its own cookies, like a separate browser."""

    def __init__(self, app, token):
        self.client, self.token = app.test_client(), token

    def join(self, seat="school:schoolopleider"):
        return self.client.post(f"/w/{self.token}/join", data={"seat": seat})

    def place(self, value, dimension="kennismaken"):
        return self.client.post(f"/w/{self.token}/place",
                                data={"dimension": dimension, "value": str(value)})

    def page(self):
        return self.client.get(f"/w/{self.token}")


@pytest.fixture
def phones(app, token):
    return [Phone(app, token) for _ in range(4)]


def _placements(db):
    return db.execute("select count(*) from placement").fetchone()[0]


def test_a_facilitator_starts_a_session_for_a_round_and_some_themes(client, auth, world, db):
    auth.login(world.a.emails["facilitator"])
    page = client.get(f"/p/{world.a.id}/workshops/joint/new")
    assert page.status_code == 200 and f'value="{world.a.round}:mini"' in page.text
    response = client.post(f"/p/{world.a.id}/workshops/joint/new", data={
        "title": "Stuurgroep samen", "held_on": "2026-03-01", "source": f"{world.a.round}:mini",
        "dimensions": ["afstemmen"]})
    assert response.status_code == 302
    wid = int(re.search(r"/workshops/(\d+)/joint", response.location)[1])
    assert [d["dimension_id"] for d in joint.dimensions(db, wid)] == ["afstemmen"]
    screen = client.get(response.location)
    assert screen.status_code == 200 and "Thema 1 van 1" in screen.text
    assert 'data-live="participants"' in screen.text


@pytest.mark.parametrize("data", [
    {"source": "999:mini"},                       # a round that is not ours
    {"source": "abc"},                            # tampered
    {"dimensions": ["no-such-theme"]},            # not a theme of any set
])
def test_a_tampered_new_session_is_refused_and_stores_nothing(client, auth, world, db, data):
    auth.login(world.a.emails["facilitator"])
    before = db.execute("select count(*) from workshop").fetchone()[0]
    response = client.post(f"/p/{world.a.id}/workshops/joint/new", data={
        "title": "X", "held_on": "2026-03-01", "source": f"{world.a.round}:mini", **data})
    assert response.status_code == 400
    assert db.execute("select count(*) from workshop").fetchone()[0] == before


def test_another_partnerships_round_is_not_offered(client, auth, world):
    auth.login(world.a.emails["facilitator"])
    response = client.post(f"/p/{world.a.id}/workshops/joint/new", data={
        "title": "X", "held_on": "2026-03-01", "source": f"{world.b.round}:mini"})
    assert response.status_code == 400


def test_phones_join_place_once_and_cannot_change_after_the_reveal(
        client, auth, world, db, session, phones):
    first = phones[0].page()
    assert first.status_code == 200 and 'name="seat"' in first.text
    assert phones[0].join().status_code == 302
    assert phones[0].join().status_code == 302  # a second tap joins once
    assert db.execute("select count(*) from participant").fetchone()[0] == 1
    for phone in phones[1:]:
        phone.join("instituut:instituutsopleider")
    assert phones[0].place(2).status_code == 302
    assert phones[0].place(3).status_code == 302  # changed, still one placement
    assert _placements(db) == 1
    assert "Je hebt het partnerschap op 3 geplaatst" in phones[0].page().text
    for phone in phones[1:]:
        phone.place(4)
    auth.login(world.a.emails["facilitator"])
    state = client.get(f"/p/{world.a.id}/workshops/{session}/joint/state.json").json
    assert (state["placed"], state["participants"], state["step"]) == (4, 4, "place")
    assert client.post(f"/p/{world.a.id}/workshops/{session}/joint/step/spread"
                       ).status_code == 302
    late = phones[1].place(1)
    assert late.status_code == 409 and _placements(db) == 4
    screen = client.get(f"/p/{world.a.id}/workshops/{session}/joint").text
    assert "4 plaatsingen" in screen


@pytest.mark.parametrize("value", ["5", "0", "-1", "abc", "", "99999999999999999999"])
def test_a_placement_outside_the_scale_gets_400_and_stores_nothing(db, phones, value):
    phones[0].join()
    response = phones[0].client.post(f"/w/{phones[0].token}/place",
                                     data={"dimension": "kennismaken", "value": value})
    assert response.status_code == 400 and _placements(db) == 0


def test_a_placement_without_joining_or_for_another_theme_is_refused(db, phones):
    assert phones[0].place(2).status_code == 403
    phones[0].join()
    assert phones[0].place(2, dimension="afstemmen").status_code == 409
    assert _placements(db) == 0


def test_a_seat_from_another_session_does_not_count(app, db, world, session, phones):
    other = workshops.create(db, world.a.id, "Andere sessie", date(2026, 3, 2), world.a.round,
                             [], set_id="mini", dimension_ids=("kennismaken",))
    other_token = workshops.workshop_of(db, world.a.id, other)["token"]
    phones[0].join()
    seat = next(c for c in phones[0].client._cookies.values() if c.key == "samenscan_seat")
    stranger = Phone(app, other_token)
    stranger.client.set_cookie("samenscan_seat", seat.value, path=f"/w/{other_token}")
    assert stranger.place(2).status_code == 403
    assert _placements(db) == 0


def test_a_tampered_seat_is_refused(db, phones):
    assert phones[0].join(seat="school:koning").status_code == 400
    assert phones[0].join(seat="kasteel:schoolopleider").status_code == 400
    assert db.execute("select count(*) from participant").fetchone()[0] == 0


def test_agreeing_records_the_score_evidence_and_an_action(client, auth, world, db, session):
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{session}/joint"
    early = client.post(f"{base}/agree", data={"dimension": "kennismaken", "score": "3",
                                               "evidence": "Gezien."})
    assert early.status_code == 409
    client.post(f"{base}/step/spread")
    client.post(f"{base}/step/agree")
    missing = client.post(f"{base}/agree", data={"dimension": "kennismaken", "score": "3",
                                                 "evidence": ""})
    assert missing.status_code == 400
    no_owner = client.post(f"{base}/agree", data={"dimension": "kennismaken", "score": "3",
                                                  "evidence": "Gezien.", "next_step": "Bellen"})
    assert no_owner.status_code == 400
    data = {"dimension": "kennismaken", "score": "3", "evidence": "Iedereen kent de afspraken.",
            "next_step": "Kennismakingsdag plannen", "owner": "Stuurgroep",
            "due_on": "2027-01-15"}
    assert client.post(f"{base}/agree", data=data).status_code == 302
    assert client.post(f"{base}/agree", data=data).status_code == 302  # a double click
    row = joint.agreed_scores(db, world.a.round, "mini")["kennismaken"]
    assert (row["score"], row["evidence"]) == (3, "Iedereen kent de afspraken.")
    plan = client.get(f"/p/{world.a.id}/actions/").text
    assert plan.count("<td>Kennismakingsdag plannen</td>") == 1
    stale = client.post(f"{base}/agree", data={**data, "dimension": "afstemmen"})
    assert stale.status_code == 409


@pytest.mark.parametrize("path, data", [
    ("timer", {"minutes": "61"}), ("timer", {"minutes": "x"}),
    ("vote", {"dots": "0"}), ("vote", {"dots": "11"}),
    ("go", {"to": "2"}), ("go", {"to": "-1"}), ("go", {"to": "1e9"}),
])
def test_bad_controls_get_400(client, auth, world, db, session, path, data):
    auth.login(world.a.emails["facilitator"])
    before = workshops.workshop_of(db, world.a.id, session)
    response = client.post(f"/p/{world.a.id}/workshops/{session}/joint/{path}", data=data)
    assert response.status_code == 400
    after = workshops.workshop_of(db, world.a.id, session)
    assert (after["version"], after["timer_ends"], after["dots"]) == (
        before["version"], before["timer_ends"], before["dots"])


def test_notes_and_dots_from_phones(client, auth, world, db, session, phones):
    for phone in phones[:3]:
        phone.join()
    note = phones[0].client.post(f"/w/{phones[0].token}/note",
                                 data={"dimension": "kennismaken", "body": "Wie belt wie?"})
    assert note.status_code == 302
    phones[0].client.post(f"/w/{phones[0].token}/note",
                          data={"dimension": "kennismaken", "body": "Wie belt wie?"})
    too_long = phones[1].client.post(f"/w/{phones[1].token}/note",
                                     data={"dimension": "kennismaken", "body": "x" * 281})
    assert too_long.status_code == 400
    assert joint.notes(db, session, "kennismaken") == ["Wie belt wie?"]
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{session}/joint"
    assert "Wie belt wie?" not in client.get(base).text  # not before the facilitator shows it
    client.post(f"{base}/notes")
    assert "Wie belt wie?" in client.get(base).text
    assert phones[0].client.post(f"/w/{phones[0].token}/dots",
                                 data={"dots-afstemmen": "1"}).status_code == 409
    client.post(f"{base}/vote", data={"dots": "3"})
    assert phones[0].client.post(f"/w/{phones[0].token}/dots",
                                 data={"dots-afstemmen": "4"}).status_code == 400
    assert phones[0].client.post(f"/w/{phones[0].token}/dots",
                                 data={"dots-afstemmen": "x"}).status_code == 400
    for phone in phones[:3]:
        assert phone.client.post(f"/w/{phone.token}/dots",
                                 data={"dots-afstemmen": "2"}).status_code == 302
    client.post(f"{base}/vote/end")
    assert joint.tally(db, session) == {"afstemmen": 6}


def test_the_phone_state_is_small_and_says_nothing_about_placements(app, phones):
    phones[0].join()
    phones[0].place(2)
    state = phones[0].client.get(f"/w/{phones[0].token}/state.json")
    assert state.headers["Cache-Control"] == "no-store"
    assert set(state.json) == {"version", "status", "position", "total", "dimension", "step",
                               "timer", "dots"}
    assert len(state.data) < 200


def test_a_closed_session_ends_on_phones(client, auth, world, session, phones):
    phones[0].join()
    auth.login(world.a.emails["facilitator"])
    client.post(f"/p/{world.a.id}/workshops/{session}/status/closed")
    assert phones[0].page().status_code == 410
    assert phones[0].place(2).status_code == 410


@pytest.mark.parametrize("method, path", [
    ("get", "joint"), ("get", "joint/state.json"), ("post", "joint/go"),
    ("post", "joint/step/spread"), ("post", "joint/agree"), ("post", "joint/timer"),
    ("post", "joint/notes"), ("post", "joint/vote"), ("post", "joint/vote/end"),
    ("post", "joint/card"),
])
def test_another_partnership_gets_404_and_a_viewer_403(client, auth, world, session,
                                                       method, path):
    url = f"/p/{world.a.id}/workshops/{session}/{path}"
    auth.login(world.b.emails["coordinator"])
    assert getattr(client, method)(url).status_code == 404
    auth.logout()
    auth.login(world.a.emails["viewer"])
    assert getattr(client, method)(url).status_code == 403


def test_a_card_session_has_no_joint_screen(client, auth, world):
    auth.login(world.a.emails["facilitator"])
    assert client.get(f"/p/{world.a.id}/workshops/{world.a.workshop}/joint").status_code == 404


def test_a_card_for_the_theme_on_screen(client, auth, world, db, session):
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{session}/joint"
    assert client.post(f"{base}/card").status_code == 302
    drawn = workshops.drawn(db, session)
    catalogue = world.catalogue
    assert len(drawn) == 1 and "kennismaken" in catalogue.card(drawn[0]["card_id"]).dimensions


@pytest.mark.parametrize("field, value", [("to", "²"), ("to", "9" * 5000), ("to", "١")])
def test_unusual_digits_for_a_theme_get_400(client, auth, world, session, field, value):
    auth.login(world.a.emails["facilitator"])
    response = client.post(f"/p/{world.a.id}/workshops/{session}/joint/go", data={field: value})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1", "1.5"])
def test_unusual_digits_for_dots_get_400(client, auth, world, db, session, phones, value):
    phones[0].join()
    auth.login(world.a.emails["facilitator"])
    client.post(f"/p/{world.a.id}/workshops/{session}/joint/vote", data={"dots": "3"})
    response = phones[0].client.post(f"/w/{phones[0].token}/dots",
                                     data={"dots-kennismaken": value})
    assert response.status_code == 400
    assert db.execute("select count(*) from dot").fetchone()[0] == 0


def test_the_summary_shows_no_placements_or_notes_before_they_are_revealed(
        client, auth, world, db, session, phones):
    for phone, value in zip(phones[:3], [1, 2, 4], strict=True):
        phone.join()
        phone.place(value)
    joint.add_note(db, session, "kennismaken", "Nog geheim briefje")
    auth.login(world.a.emails["viewer"])
    for suffix in ("summary", "summary.md", "summary.csv"):
        page = client.get(f"/p/{world.a.id}/workshops/{session}/{suffix}")
        assert page.status_code == 200
        assert "Nog geheim briefje" not in page.text
        assert "1,67" not in page.text and "2,33" not in page.text and "2.33" not in page.text
    assert "niet onthuld" in client.get(f"/p/{world.a.id}/workshops/{session}/summary").text


def test_the_projector_shows_dot_totals_only_after_the_vote(client, auth, world, session,
                                                           phones):
    for phone in phones[:3]:
        phone.join()
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{session}/joint"
    client.post(f"{base}/vote", data={"dots": "3"})
    for phone in phones[:3]:
        phone.client.post(f"/w/{phone.token}/dots", data={"dots-afstemmen": "3"})
    assert "9 stippen" not in client.get(base).text
    client.post(f"{base}/vote/end")
    assert "9 stippen" in client.get(base).text
    assert client.post(f"{base}/vote/end").status_code == 409


def test_card_routes_refuse_a_joint_session(client, auth, world, session):
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{session}"
    assert client.post(f"{base}/move", data={"to": "1"}).status_code == 404
    assert client.get(f"{base}/present").status_code == 404
    assert client.get(f"{base}/state.json").status_code == 404


def test_a_theme_the_question_files_dropped_still_shows_by_its_id(client, auth, world, db):
    wid = workshops.create(db, world.a.id, "Oud", date(2026, 3, 5), world.a.round, [],
                           set_id="mini", dimension_ids=("verdwenen-thema", "kennismaken"))
    auth.login(world.a.emails["facilitator"])
    page = client.get(f"/p/{world.a.id}/workshops/{wid}/joint")
    assert page.status_code == 200 and "verdwenen-thema" in page.text


def test_a_phone_in_english(app, phones):
    from scan.web.context import LANG_COOKIE

    phones[0].client.set_cookie(LANG_COOKIE, "en")
    assert "I take part for" in phones[0].page().text
    phones[0].join()
    page = phones[0].page().text
    assert "Where does the partnership stand?" in page and "Waar staat" not in page

"""Anonymous notes from phones on the card on screen in a card workshop."""

from __future__ import annotations

import pytest

from scan import card_notes, workshops


@pytest.fixture
def phone(app, world):
    client = app.test_client()
    client.set_cookie("lang", "en")
    return client


def _send(phone, world, body, row=None):
    return phone.post(f"/w/{world.a.workshop_token}/card-note",
                      data={"row": str(world.a.drawn if row is None else row), "body": body})


def test_a_note_lands_on_the_card_on_screen_without_an_author(phone, world, db):
    assert _send(phone, world, "Herkenbaar!").status_code == 302
    assert _send(phone, world, "Herkenbaar!").status_code == 302     # a double tap: kept once
    assert card_notes.notes(db, world.a.drawn) == ["Herkenbaar!"]
    assert set(db["card_note"].columns_dict) == {"id", "workshop_id", "row_id", "body",
                                                 "created_at"}


@pytest.mark.parametrize("body, row, status, message", [
    ("", None, 400, "This field is required."),
    ("x" * 281, None, 400, "under 280 characters"),
    ("Goed punt", "999999", 409, "moved on to another card"),
    ("Goed punt", "1; drop table card_note", 409, "moved on to another card"),
])
def test_bad_notes_are_refused_and_nothing_is_stored(phone, world, db, body, row, status,
                                                     message):
    response = _send(phone, world, body, row)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert db.execute("select count(*) from card_note").fetchone()[0] == 0


def test_a_note_after_the_card_moved_on_is_refused(phone, world, db):
    second = workshops.add_card(db, world.a.workshop, "md-02")
    workshops.move(db, world.a.workshop, 1)
    assert _send(phone, world, "Over de eerste kaart").status_code == 409
    assert _send(phone, world, "Over de tweede kaart", second).status_code == 302
    assert card_notes.notes(db, second) == ["Over de tweede kaart"]


def test_no_notes_once_the_session_closed(phone, world, db):
    workshops.set_status(db, world.a.workshop, "closed")
    assert _send(phone, world, "Te laat").status_code == 410


def test_notes_reach_the_room_only_when_shown(phone, client, auth, world, db):
    _send(phone, world, "Wie belt wie?")
    state = phone.get(f"/w/{world.a.workshop_token}/state.json").get_json()
    assert state["card"]["notes"] is None
    auth.login(world.a.emails["facilitator"])
    shown = client.post(f"/p/{world.a.id}/workshops/{world.a.workshop}/cards/"
                        f"{world.a.drawn}/notes/show")
    assert shown.status_code == 302
    state = phone.get(f"/w/{world.a.workshop_token}/state.json").get_json()
    assert state["card"]["notes"] == ["Wie belt wie?"]


def test_another_partnership_cannot_show_the_notes(client, auth, world, db):
    auth.login(world.b.emails["facilitator"])
    response = client.post(f"/p/{world.b.id}/workshops/{world.b.workshop}/cards/"
                           f"{world.a.drawn}/notes/show")
    assert response.status_code == 404
    assert db.execute("select notes_shown from workshop_card where id = ?",
                      [world.a.drawn]).fetchone()[0] == 0


def _vote(phone, world, dots: dict):
    data = {f"dots-{row}": str(n) for row, n in dots.items()}
    return phone.post(f"/w/{world.a.workshop_token}/card-dots", data=data)


def test_a_dot_vote_over_the_cards_keeps_only_totals(app, client, auth, world, db):
    from scan import card_vote

    second = workshops.add_card(db, world.a.workshop, "md-02")
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{world.a.workshop}"
    assert client.post(f"{base}/vote", data={"dots": "3"}).status_code == 302
    phones = [app.test_client() for _ in range(3)]
    for phone in phones:
        phone.set_cookie("lang", "en")
    assert _vote(phones[0], world, {world.a.drawn: 3}).status_code == 302
    assert _vote(phones[0], world, {world.a.drawn: 1, second: 2}).status_code == 302  # again
    refused = _vote(phones[1], world, {world.a.drawn: 4})
    assert refused.status_code == 400 and "You have 3 dots; you gave 4" in refused.get_data(
        as_text=True)
    assert _vote(phones[1], world, {world.a.drawn: "x"}).status_code == 400
    assert _vote(phones[1], world, {second: 3}).status_code == 302
    assert _vote(phones[2], world, {second: 1}).status_code == 302
    assert card_vote.voters(db, world.a.workshop) == 3
    assert client.post(f"{base}/vote/end").status_code == 302
    dots = dict(db.execute("select id, dots from workshop_card where workshop_id = ?",
                           [world.a.workshop]).fetchall())
    assert dots == {world.a.drawn: 1, second: 6}
    assert db.execute("select count(*) from card_dot").fetchone()[0] == 0
    assert db.execute("select count(*) from card_voter").fetchone()[0] == 0
    assert _vote(phones[0], world, {second: 1}).status_code == 409


def test_no_dot_vote_over_one_card(client, auth, world, db):
    auth.login(world.a.emails["facilitator"])
    response = client.post(f"/p/{world.a.id}/workshops/{world.a.workshop}/vote",
                           data={"dots": "3"})
    assert response.status_code == 409
    assert workshops.workshop_of(db, world.a.id, world.a.workshop)["dots"] == 0


def test_closing_the_session_forgets_the_phones_dots(app, client, auth, world, db):
    workshops.add_card(db, world.a.workshop, "md-02")
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{world.a.workshop}"
    client.post(f"{base}/vote", data={"dots": "3"})
    assert _vote(app.test_client(), world, {world.a.drawn: 2}).status_code == 302
    assert client.post(f"{base}/status/closed").status_code == 302
    assert db.execute("select count(*) from card_voter").fetchone()[0] == 0
    assert db.execute("select count(*) from card_dot").fetchone()[0] == 0


def test_one_phone_cannot_flood_the_board(phone, world, db):
    phone.get(f"/w/{world.a.workshop_token}")          # the phone's session cookie
    codes = [_send(phone, world, f"Reactie {n}").status_code for n in range(14)]
    assert codes[:12] == [302] * 12 and set(codes[12:]) == {429}
    assert len(card_notes.notes(db, world.a.drawn)) == 12

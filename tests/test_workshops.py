"""Facilitators run workshops: sessions, drawing, presenting, notes, agreements, action plan."""

from datetime import date, timedelta

import pytest

from scan import workshops


@pytest.fixture
def facilitator(client, auth, world):
    auth.login(world.a.emails["facilitator"])
    return client


def base(world):
    return f"/p/{world.a.id}/workshops/{world.a.workshop}"


def drawn_ids(db, wid):
    return [c["card_id"] for c in workshops.drawn(db, wid)]


def test_a_facilitator_creates_a_session_steered_by_a_round(facilitator, world, db):
    response = facilitator.post(f"/p/{world.a.id}/workshops/new", data={
        "title": "Stuurgroep najaar", "held_on": "2026-11-30", "round": str(world.a.round),
        "decks": ["mini-deck"]})
    assert response.status_code == 302
    wid = int(response.location.rstrip("/").split("/")[-1])
    made = workshops.workshop_of(db, world.a.id, wid)
    assert made["round_id"] == world.a.round and workshops.deck_ids(db, wid) == ["mini-deck"]


@pytest.mark.parametrize("data", [
    {"title": "", "held_on": "2026-11-30", "round": "0", "decks": ["mini-deck"]},
    {"title": "x", "held_on": "30-30-2026", "round": "0", "decks": ["mini-deck"]},
    {"title": "x", "held_on": "2026-11-30", "round": "0", "decks": []},
    {"title": "x", "held_on": "2026-11-30", "round": "0", "decks": ["no-such-deck"]},
    {"title": "x", "held_on": "2026-11-30", "round": "99999", "decks": ["mini-deck"]},
])
def test_bad_session_input_is_refused(facilitator, world, db, data):
    before = workshops.workshops(db, world.a.id)
    assert facilitator.post(f"/p/{world.a.id}/workshops/new", data=data).status_code == 400
    assert workshops.workshops(db, world.a.id) == before


def test_drawing_from_the_scan_starts_with_the_weakest_or_most_divergent_theme(
        facilitator, world, db, scored):
    wid = workshops.create(db, world.a.id, "Nieuw", date(2026, 12, 1), world.a.round,
                           ["mini-deck"])
    url = f"/p/{world.a.id}/workshops/{wid}"
    facilitator.post(f"{url}/draw", data={"mode": "scan", "count": "3"})
    first, second = workshops.drawn(db, wid)  # the mini deck has two cards
    # afstemmen has the lowest mean (2.50 < 3.00) and the largest gap (1.70)
    assert (first["card_id"], first["reason"]["kind"]) == ("md-02", "lowest")
    assert first["reason"]["dimension_id"] == "afstemmen"
    assert first["reason"]["value"] == pytest.approx(2.5)
    assert second["reason"]["dimension_id"] == "kennismaken"
    page = facilitator.get(url).get_data(as_text=True)
    assert "Afstemmen: laagste score, 2,50" in page or "Afstemmen: laagste score, 2.50" in page


def test_drawing_from_the_scan_without_enough_answers_says_why(facilitator, world):
    response = facilitator.post(f"{base(world)}/draw", data={"mode": "scan", "count": "1"})
    assert response.status_code == 409


def test_random_drawing_never_repeats_and_stops_when_the_pile_is_empty(facilitator, world, db):
    for _ in range(3):
        facilitator.post(f"{base(world)}/draw", data={"mode": "random", "count": "1"})
    assert sorted(drawn_ids(db, world.a.workshop)) == ["md-01", "md-02"]


def test_filters_limit_what_is_drawn(facilitator, world, db):
    facilitator.post(f"{base(world)}/draw",
                     data={"mode": "random", "kind": "evaluatie", "count": "1"})
    assert drawn_ids(db, world.a.workshop) == ["md-01"]
    facilitator.post(f"{base(world)}/draw",
                     data={"mode": "random", "dimension": "afstemmen", "count": "1"})
    assert drawn_ids(db, world.a.workshop) == ["md-01", "md-02"]


def test_pick_put_back_and_skip(facilitator, world, db):
    facilitator.post(f"{base(world)}/pick", data={"card": "md-02"})
    assert drawn_ids(db, world.a.workshop) == ["md-01", "md-02"]
    assert facilitator.post(f"{base(world)}/pick", data={"card": "md-02"}).status_code == 400
    row = workshops.drawn(db, world.a.workshop)[1]
    facilitator.post(f"{base(world)}/cards/{row['id']}/skip")
    assert [c["card_id"] for c in workshops.presented(db, world.a.workshop)] == ["md-01"]
    facilitator.post(f"{base(world)}/cards/{row['id']}/back")
    assert drawn_ids(db, world.a.workshop) == ["md-01"]


def test_a_card_with_notes_or_agreements_is_not_put_back(facilitator, world, db):
    response = facilitator.post(f"{base(world)}/cards/{world.a.drawn}/back")
    assert response.status_code == 409  # world's card md-01 has an agreement
    assert drawn_ids(db, world.a.workshop) == ["md-01"]


def test_moving_and_revealing_follow_ups_change_what_participants_see(facilitator, client,
                                                                      world, db, app):
    facilitator.post(f"{base(world)}/pick", data={"card": "md-02"})
    facilitator.post(f"{base(world)}/move", data={"to": "1"})
    facilitator.post(f"{base(world)}/reveal")
    participant = app.test_client()
    state = participant.get(f"/w/{world.a.workshop_token}/state.json").get_json()
    assert state["position"] == 1 and state["total"] == 2
    assert state["card"]["id"] == "md-02"
    assert state["card"]["follow_up"] == ["Wie bewaakt ze?"]
    facilitator.post(f"{base(world)}/move", data={"to": "7"})  # past the end: stays on the last
    assert workshops.workshop_of(db, world.a.id, world.a.workshop)["position"] == 1
    assert facilitator.post(f"{base(world)}/move", data={"to": "x"}).status_code == 400


def test_the_projector_gets_state_back_as_json(facilitator, world):
    response = facilitator.post(f"{base(world)}/reveal",
                                headers={"Accept": "application/json"})
    assert response.get_json()["card"]["follow_up"] == ["Waarom?"]
    page = facilitator.get(f"{base(world)}/present").get_data(as_text=True)
    assert "Kaart 1 van 1" in page and "Wat willen we samen bereiken?" in page


def test_notes_are_saved_and_two_facilitators_lose_nothing(facilitator, world, db, app, auth):
    url = f"{base(world)}/cards/{world.a.drawn}/notes"
    json_headers = {"Accept": "application/json"}
    first = facilitator.post(url, data={"notes": "Eerste idee", "version": "0"},
                             headers=json_headers).get_json()
    assert first == {"notes": "Eerste idee", "version": 1, "merged": False}
    other = app.test_client()
    other.post("/login", data={"email": world.a.emails["coordinator"],
                               "password": "correct horse battery"})
    late = other.post(url, data={"notes": "Tweede idee", "version": "0"},
                      headers=json_headers).get_json()
    assert late["merged"] and "Eerste idee" in late["notes"] and "Tweede idee" in late["notes"]
    again = other.post(url, data={"notes": late["notes"], "version": str(late["version"])},
                       headers=json_headers).get_json()
    assert again["notes"] == late["notes"]  # repeating a save changes nothing


def test_notes_that_are_too_long_are_refused_and_old_notes_stay(facilitator, world, db):
    url = f"{base(world)}/cards/{world.a.drawn}/notes"
    facilitator.post(url, data={"notes": "bewaard", "version": "0"})
    assert facilitator.post(url, data={"notes": "x" * 10_001, "version": "1"}).status_code == 413
    assert workshops.drawn(db, world.a.workshop)[0]["notes"] == "bewaard"


def agreement(**overrides):
    return {"text": "Jaarplanning delen met alle scholen", "owner": "Schoolopleiders",
            "due_on": (date.today() + timedelta(days=30)).isoformat(),
            "dimension": "afstemmen", **overrides}


def test_an_agreement_becomes_an_action_in_the_plan_and_the_years_view(facilitator, world,
                                                                       db, scored):
    response = facilitator.post(f"{base(world)}/cards/{world.a.drawn}/agreements",
                                data=agreement())
    assert response.status_code == 302
    plan = facilitator.get(f"/p/{world.a.id}/actions/").get_data(as_text=True)
    assert "Jaarplanning delen met alle scholen" in plan
    years = facilitator.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    assert "Jaarplanning delen met alle scholen" in years


@pytest.mark.parametrize("overrides", [
    {"due_on": (date.today() - timedelta(days=1)).isoformat()},
    {"text": ""}, {"owner": ""}, {"text": "x" * 1001}, {"dimension": "bestaat-niet"},
    {"due_on": "morgen"},
])
def test_bad_agreements_are_refused_with_a_message(facilitator, world, db, overrides):
    before = workshops.actions(db, world.a.id)
    response = facilitator.post(f"{base(world)}/cards/{world.a.drawn}/agreements",
                                data=agreement(**overrides))
    assert response.status_code == 400
    assert workshops.actions(db, world.a.id) == before


def test_the_action_plan_filters_and_actions_can_be_edited_and_closed(facilitator, world, db):
    workshops.add_action(db, world.a.id, "Tweede afspraak", "Directie", None, "afstemmen")
    url = f"/p/{world.a.id}/actions/"
    assert "Tweede afspraak" not in facilitator.get(url + "?dimension=kennismaken").get_data(
        as_text=True)
    assert "Tweede afspraak" in facilitator.get(url + "?owner=direc").get_data(as_text=True)
    assert facilitator.get(url + "?status=nonsense").status_code == 400
    facilitator.post(f"/p/{world.a.id}/actions/{world.a.action}", data={
        "text": "Afspraak a", "owner": "Stuurgroep", "due_on": "", "status": "klaar",
        "dimension": "kennismaken"})
    assert workshops.action_of(db, world.a.id, world.a.action)["status"] == "klaar"
    assert "Afspraak a" in facilitator.get(url + "?status=klaar").get_data(as_text=True)


def test_a_closed_session_refuses_changes_and_participants_get_410(facilitator, world, db, app):
    facilitator.post(f"{base(world)}/status/closed")
    assert facilitator.post(f"{base(world)}/draw",
                            data={"mode": "random", "count": "1"}).status_code == 409
    assert app.test_client().get(f"/w/{world.a.workshop_token}").status_code == 410
    assert drawn_ids(db, world.a.workshop) == ["md-01"]


def test_summary_as_page_markdown_and_csv(facilitator, world):
    facilitator.post(f"{base(world)}/cards/{world.a.drawn}/notes",
                     data={"notes": "We willen elkaars scholen bezoeken", "version": "0"})
    page = facilitator.get(f"{base(world)}/summary").get_data(as_text=True)
    assert "We willen elkaars scholen bezoeken" in page and "Afspraak a" in page
    markdown = facilitator.get(f"{base(world)}/summary.md").get_data(as_text=True)
    assert markdown.startswith("# Werksessie a") and "- Afspraak a" in markdown
    csv_text = facilitator.get(f"{base(world)}/summary.csv").get_data(as_text=True)
    assert "Afspraak a" in csv_text and "We willen elkaars scholen bezoeken" in csv_text


def test_viewers_read_summaries_but_cannot_run_workshops(client, auth, world):
    auth.login(world.a.emails["viewer"])
    assert client.get(f"{base(world)}/summary").status_code == 200
    assert client.get(base(world)).status_code == 403
    assert client.post(f"{base(world)}/draw", data={"mode": "random"}).status_code == 403


def test_a_double_click_records_a_session_and_an_agreement_once(facilitator, world, db):
    data = {"title": "Dubbel", "held_on": "2026-11-30", "round": "0", "decks": ["mini-deck"]}
    assert facilitator.post(f"/p/{world.a.id}/workshops/new", data=data).status_code == 302
    assert facilitator.post(f"/p/{world.a.id}/workshops/new", data=data).status_code == 409
    url = f"{base(world)}/cards/{world.a.drawn}/agreements"
    assert facilitator.post(url, data=agreement()).status_code == 302
    assert facilitator.post(url, data=agreement()).status_code == 409
    assert len(workshops.actions(db, world.a.id, workshop_id=world.a.workshop)) == 2


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_notes_with_a_tampered_version_are_refused(facilitator, world, db, version):
    url = f"{base(world)}/cards/{world.a.drawn}/notes"
    assert facilitator.post(url, data={"notes": "x", "version": version}).status_code == 400
    assert workshops.drawn(db, world.a.workshop)[0]["notes"] == ""


@pytest.mark.parametrize("url, status", [
    ("/catalogue/decks/mini-deck/print?lang=both", 200),
    ("/catalogue/decks/mini-deck/print?lang=fr", 404),
    ("/catalogue/decks/no-such-deck/print", 404),
    ("/catalogue/sets/no-such-set", 404),
])
def test_catalogue_and_printable_deck_addresses(facilitator, url, status):
    response = facilitator.get(url)
    assert response.status_code == status
    if status == 200:
        assert response.get_data(as_text=True).count('class="a6"') == 2

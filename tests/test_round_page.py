"""The round page shows the response at a glance, in texts that fit the round's state,
asks before closing or reopening, and stays paged for a partnership of any size."""

from datetime import date

import pytest
from test_fitting import answer_all

from scan import partners, rounds
from scan.web.rounds import PARTNERS_PER_PAGE


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def url(world, tail=""):
    return f"/p/{world.a.id}/rounds/{world.a.round}{tail}"


def link(pid, role, started, completed, invited=None, lid=None):
    return {"id": lid or f"{pid}-{role}", "partner_id": pid, "partner": f"P{pid}",
            "partner_type": "school", "role": role, "started": started,
            "completed": completed, "invited": invited}


def test_a_partner_total_never_names_one_small_link():
    # 5 shown + 2 hidden: a total of 7 would name the 2; it reads "more than 5".
    [partner] = rounds.by_partner([link(1, "a", 5, 5), link(1, "b", 2, 2)], 3)
    assert partner["completed"] == 5 and partner["completed_few_left_out"]
    # Two small links: their sum names neither.
    [partner] = rounds.by_partner([link(1, "a", 1, 1), link(1, "b", 2, 2)], 3)
    assert partner["completed"] == 3 and not partner["completed_few_left_out"]
    first, second = rounds.by_partner([link(1, "a", 4, 3), link(2, "a", 0, 0)], 3)
    assert (first["started"], first["completed"], second["completed"]) == (4, 3, 0)


def test_a_partner_rate_follows_the_rules_of_the_round_rate():
    [partner] = rounds.by_partner([link(1, "a", 5, 5, 10), link(1, "b", 2, 2, 10)], 3)
    assert partner["rate"] is None     # one link too small to show its own rate
    [partner] = rounds.by_partner([link(1, "a", 5, 5, 10), link(1, "b", 3, 3, 10)], 3)
    assert partner["rate"] == 40


def test_the_page_shows_a_bar_per_partner_with_its_roles_under_it(coordinator, world,
                                                                   new_respondent):
    for _ in range(3):
        answer_all(new_respondent(world.a.token))
    page = coordinator.get(url(world)).get_data(as_text=True)
    assert page.count('class="partner-response"') == 2
    answered = world.a.links[0]["partner_id"]
    school = page.split(f'id="partner-{answered}"')[1].split("</section>")[0]
    assert 'class="meter"' in school and "Verstuurd: 3" in school
    assert 'id="overall"' in page and "100%" in page.split('id="overall">')[1]


def test_a_large_round_is_paged_by_partner(coordinator, world, db):
    for n in range(PARTNERS_PER_PAGE + 3):
        school = partners.add_partner(db, world.a.id, f"Zz school {n:02d}", "school", "vo")
        rounds.add_links(db, world.a.round, [school], ["schoolopleider", "werkplekbegeleider"],
                         expected=20)
    first = coordinator.get(url(world)).get_data(as_text=True)
    assert first.count('class="partner-response"') == PARTNERS_PER_PAGE
    assert "Zz school 27" not in first and 'rel="next"' in first
    last = coordinator.get(url(world, "?page=2")).get_data(as_text=True)
    assert last.count('class="partner-response"') == 5 and "Zz school 27" in last
    at_the_end = coordinator.get(url(world, "?page=last")).get_data(as_text=True)
    assert at_the_end.count('class="partner-response"') == 5 and "Zz school 27" in at_the_end
    for wrong in ("3", "0", "x", "²"):
        assert coordinator.get(url(world, f"?page={wrong}")).status_code == 404


def test_numbers_invited_saved_on_one_page_keep_the_others(coordinator, world, db):
    first, second = rounds.links(db, world.a.round)[:2]
    rounds.set_invited(db, world.a.round, {second["id"]: 12})
    coordinator.post(url(world, "/invited"), data={f"invited-{first['id']}": "10"})
    counts = {x["id"]: x["invited"] for x in rounds.links(db, world.a.round)}
    assert counts[first["id"]] == 10 and counts[second["id"]] == 12


def test_closing_asks_first_and_says_what_will_happen(coordinator, world, db, new_respondent):
    for _ in range(3):
        answer_all(new_respondent(world.a.token))
    new_respondent(world.a.token).start()   # busy, not sent in
    page = coordinator.get(url(world)).get_data(as_text=True)
    assert 'id="close-round"' in page and f'action="{url(world, "/status/closed")}"' not in page
    confirm = coordinator.get(url(world, "/status/closed"))
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert rounds.round_of(db, world.a.id, world.a.round)["status"] == "open"
    assert "nemen geen antwoorden meer aan" in text              # the links stop
    assert "De antwoorden van 3 mensen" in text and 'id="busy"' in text   # release, busy
    assert f'action="{url(world, "/status/closed")}"' in text
    coordinator.post(url(world, "/status/closed"))
    reopen = coordinator.get(url(world, "/status/open")).get_data(as_text=True)
    assert "nemen weer antwoorden aan" in reopen and "blijven zichtbaar" in reopen


def test_the_texts_fit_the_rounds_state(coordinator, world, new_respondent):
    answer_all(new_respondent(world.a.token))
    open_page = coordinator.get(url(world)).get_data(as_text=True)
    assert "worden vrijgegeven als de ronde sluit" in open_page
    # Sent in, results after closing: no talk of waiting for "3 new people".
    held = open_page.split('id="held-back">')[1].split("</p>")[0]
    assert "nieuwe mensen" not in held and "minstens" not in held
    coordinator.post(url(world, "/status/closed"))
    closed = coordinator.get(url(world)).get_data(as_text=True)
    assert "als de ronde sluit" not in closed
    assert "Tussentijdse resultaten tonen" not in closed
    assert "Open de ronde weer" in closed.split('id="held-back">')[1]   # 1 < k: held back
    # The confirmation page of a round already closed leads back to the round.
    assert coordinator.get(url(world, "/status/closed")).status_code == 302


def test_only_a_coordinator_of_the_partnership_sees_the_confirmation(client, auth, world):
    auth.login(world.a.emails["viewer"])
    assert client.get(url(world, "/status/closed")).status_code == 403
    auth.logout()
    auth.login(world.b.emails["coordinator"])
    assert client.get(url(world, "/status/closed")).status_code in (403, 404)


def test_a_new_round_has_the_school_year_filled_in_and_no_year_twice(coordinator, world, db):
    page = coordinator.get(f"/p/{world.a.id}/rounds/new").get_data(as_text=True)
    assert f'value="{rounds.school_year_of(date.today())}"' in page
    assert rounds.school_year_of(date(2026, 7, 31)) == "2025-2026"
    assert rounds.school_year_of(date(2026, 8, 1)) == "2026-2027"
    response = coordinator.post(f"/p/{world.a.id}/rounds/new", data={
        "school_year": "2026-2027", "title": "", "sets": ["mini"], "expected": "6",
        "links": [f"{world.a.school}:schoolopleider"]})
    shown = coordinator.get(response.location).get_data(as_text=True)
    heading = shown.split("<h1>")[1].split("</h1>")[0]
    assert heading.count("2026-2027") == 1 and "Zelfscan" in heading



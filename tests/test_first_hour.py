"""A new coordinator follows the start checklist from an empty partnership to a first
report; every page links to help per job, with a glossary of the field's terms."""

import pytest
from test_fitting import answer_all

from scan import accounts, checklist
from scan.web.help import JOBS

PASSWORD = "correct horse battery"


@pytest.fixture
def newcomer(app, db, client, auth):
    """An empty partnership with one coordinator, signed in."""
    pid = accounts.create_partnership(db, "Nieuw partnerschap")
    user = accounts.create_user(db, "nieuw@school.nl", "Nieuwe coördinator", PASSWORD)
    accounts.set_member(db, pid, user, "coordinator")
    auth.login("nieuw@school.nl")
    return pid


def step_states(client, pid):
    page = client.get(f"/p/{pid}/").get_data(as_text=True)
    if 'id="checklist"' not in page:
        return None
    part = page.split('id="checklist"')[1].split("</section>")[0]
    return [state for state in ("done", "next", "todo") for _ in
            range(part.count(f'<li class="{state}"'))]


def test_the_checklist_leads_from_an_empty_partnership_to_a_first_report(
        app, db, client, newcomer, new_respondent):
    pid = newcomer
    page = client.get(f"/p/{pid}/").get_data(as_text=True)
    assert f'href="/p/{pid}/partners">Partners toevoegen' in page
    assert "Open de eerste." not in page   # no round before there are partners
    client.post(f"/p/{pid}/partners", data={"name": "School Oost", "type": "school",
                                            "sector": "vo"})
    assert step_states(client, pid) == ["done", "next", "todo", "todo", "todo"]
    client.post(f"/p/{pid}/members", data={"email": "lid@school.nl", "name": "Lid",
                                           "role": "viewer"})
    page = client.get(f"/p/{pid}/").get_data(as_text=True)
    assert f'href="/p/{pid}/rounds/new">De eerste scanronde openen' in page
    partner = db.execute("select id from partner where partnership_id = ?", [pid]).fetchone()[0]
    opened = client.post(f"/p/{pid}/rounds/new", data={
        "school_year": "2026-2027", "title": "", "sets": ["mini"], "expected": "6",
        "links": [f"{partner}:schoolopleider"]})
    assert opened.status_code == 302
    assert step_states(client, pid) == ["done", "done", "done", "next", "todo"]
    token = db.execute("select token from group_link").fetchall()[-1][0]
    for _ in range(3):
        answer_all(new_respondent(token))
    assert step_states(client, pid) == ["done", "done", "done", "done", "next"]
    rid = opened.location.rstrip("/").split("/")[-1]
    client.post(f"/p/{pid}/rounds/{rid}/status/closed")
    assert step_states(client, pid) is None      # all done: the list is gone
    assert all(step.done for step in checklist.steps(db, pid))


def test_only_coordinators_see_the_checklist(client, auth, world, db):
    auth.login(world.a.emails["viewer"])
    fresh = accounts.create_partnership(db, "Leeg")
    accounts.set_member(db, fresh, world.a.users["viewer"], "viewer")
    assert 'id="checklist"' not in client.get(f"/p/{fresh}/").get_data(as_text=True)


@pytest.mark.parametrize("job", JOBS)
def test_every_job_has_a_help_page_in_dutch_and_english(client, job):
    dutch = client.get(f"/help/{job}")
    assert dutch.status_code == 200 and 'lang="nl"' in dutch.get_data(as_text=True)
    client.get("/lang/en")
    english = client.get(f"/help/{job}").get_data(as_text=True)
    assert "Help for" in english


def test_the_glossary_explains_the_fields_terms(client):
    page = client.get("/help/").get_data(as_text=True)
    for term in ("werkplekbegeleider", "instituutsopleider", "schoolopleider",
                 "leraar-in-opleiding", "opleidingsschool", "programmaleider"):
        assert f'<dt lang="nl">{term}' in page, term
    assert client.get("/help/mentor").status_code == 404


def test_help_is_reachable_from_every_page(client, auth, world):
    for url in ("/login", f"/s/{world.a.token}", "/help/respondent"):
        assert 'href="/help/"' in client.get(url).get_data(as_text=True), url
    auth.login(world.a.emails["coordinator"])
    for url in ("/", f"/p/{world.a.id}/", f"/p/{world.a.id}/rounds/{world.a.round}",
                "/catalogue/"):
        assert 'href="/help/"' in client.get(url).get_data(as_text=True), url


def test_removing_the_only_coordinator_explains_what_to_do(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    me = world.a.users["coordinator"]
    for url, data in ((f"/p/{world.a.id}/members/{me}/remove", {}),
                      (f"/p/{world.a.id}/members/{me}/role", {"role": "viewer"})):
        response = client.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Foutcode" not in page and "de enige coördinator" in page
        assert "Maak eerst iemand anders coördinator" in page
        assert 'id="role-' in page          # the members page itself, to act on at once


def test_pending_invitations_say_when_they_were_sent(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    client.post(f"/p/{world.a.id}/members", data={"email": "nieuw@a.nl", "name": "Nieuw",
                                                  "role": "facilitator"})
    page = client.get(f"/p/{world.a.id}/members").get_data(as_text=True)
    pending = page.split('class="pending">')[1].split("</ul>")[0]
    assert "nieuw@a.nl" in pending and "uitgenodigd op " in pending


def test_the_administrator_opens_a_partnership_by_its_name(client, auth, world):
    auth.login("admin@samenscan.nl")
    page = client.get("/admin/").get_data(as_text=True)
    assert f'<a href="/admin/partnerships/{world.a.id}">Partnerschap A</a>' in page
    detail = client.get(f"/admin/partnerships/{world.a.id}").get_data(as_text=True)
    assert world.a.emails["coordinator"] in detail and "Coördinator" in detail
    assert client.get("/admin/partnerships/999").status_code == 404
    auth.logout()
    auth.login(world.a.emails["coordinator"])
    assert client.get(f"/admin/partnerships/{world.a.id}").status_code == 403

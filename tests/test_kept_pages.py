"""Report and years pages kept per worker (scan.web.pages) follow every change at once.

Each test reads a page in two workers (two apps on one database, each with its
own caches, as two gunicorn workers are), changes what the page shows in the
database, and reads it again in both: the change shows in each, with no wait.
The signed session cookie and the signed form token, both checked once per worker
(scan.web.signed_cookies), still refuse what is forged, expired or from another session.
"""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from conftest import PASSWORD
from test_joint_reports import agree, session
from test_rendered import _csrf, _three_more_and_a_release

from scan import accounts, create_app, workshops
from scan.web import signed_cookies


@pytest.fixture
def workers(app_config, app, world):
    """Two workers serving one database, both signed in as the same person (each
    test signs them in as whom it needs)."""
    def sign_in(person: str):
        found = []
        for worker in (app, create_app(app_config)):
            client = worker.test_client()
            assert client.post("/login", data={"email": world.a.emails[person],
                                               "password": PASSWORD}).status_code == 302
            found.append(client)
        return found
    return sign_in


def _report(world) -> str:
    return f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"


def _years(world) -> str:
    return f"/p/{world.a.id}/years/mini"


def _read(clients, path: str) -> list[str]:
    pages = [c.get(path) for c in clients]
    assert [p.status_code for p in pages] == [200, 200]
    return [p.get_data(as_text=True) for p in pages]


@pytest.mark.parametrize("page", [_report, _years])
def test_a_new_release_shows_at_once_in_every_worker(workers, world, db, scored, page):
    clients = workers("coordinator")
    assert all("(n=8)" in html for html in _read(clients, page(world)))
    _read(clients, page(world))   # kept now
    _three_more_and_a_release(world, db, world.a.institute, "instituutsopleider", 1)
    for html in _read(clients, page(world)):
        assert "(n=11)" in html and "(n=8)" not in html


@pytest.mark.parametrize("page", [_report, _years])
def test_a_renamed_partnership_shows_at_once(workers, world, db, scored, page):
    clients = workers("viewer")
    _read(clients, page(world))
    db.execute("update partnership set name = 'Opleidingsschool Rivierenland' where id = ?",
               [world.a.id])
    assert all("Opleidingsschool Rivierenland" in html for html in _read(clients, page(world)))


@pytest.mark.parametrize("page", [_report, _years])
def test_a_new_role_shows_at_once(workers, world, db, scored, page):
    """A viewer made coordinator gets the coordinator's menu (and, on the report, the
    agenda button) on the next page; made viewer again, loses them again."""
    clients = workers("viewer")
    viewer = world.a.users["viewer"]
    assert all("Leden" not in html for html in _read(clients, page(world)))
    accounts.set_member(db, world.a.id, viewer, "coordinator")
    for html in _read(clients, page(world)):
        assert "Leden" in html
        assert page is _years or "Maak een agenda van dit rapport" in html
    accounts.set_member(db, world.a.id, viewer, "viewer")
    assert all("Leden" not in html for html in _read(clients, page(world)))


@pytest.mark.parametrize("page", [_report, _years])
def test_a_language_switch_shows_at_once(workers, world, scored, page):
    clients = workers("viewer")
    _read(clients, page(world))
    for client in clients:
        client.set_cookie("lang", "en")
    for html in _read(clients, page(world)):
        assert '<html lang="en">' in html and "My partnerships" in html
        assert "Mijn partnerschappen" not in html


@pytest.mark.parametrize("page", [_report, _years])
def test_a_member_of_another_partnership_is_refused_a_kept_page(workers, client, auth, world,
                                                                 scored, page):
    workers("viewer")[0].get(page(world))   # kept in this worker
    auth.login(world.b.emails["coordinator"])
    assert client.get(page(world)).status_code == 404


def test_a_new_action_and_its_progress_show_on_the_years_page_at_once(workers, world, db,
                                                                       scored):
    clients = workers("viewer")
    assert all("Lesbezoek in elkaars school" not in html for html in _read(clients,
                                                                          _years(world)))
    action = workshops.add_action(db, world.a.id, "Lesbezoek in elkaars school", "Stuurgroep",
                                  None, "kennismaken")
    assert all("Lesbezoek in elkaars school" in html for html in _read(clients, _years(world)))
    workshops.update_action(db, world.a.id, action, status="klaar")
    for html in _read(clients, _years(world)):
        agreed = html.split("Lesbezoek in elkaars school")[1][:200]
        assert "klaar" in agreed


def test_a_joint_score_shows_on_the_years_page_at_once(workers, world, db, scored):
    clients = workers("viewer")
    assert all("joint-years" not in html for html in _read(clients, _years(world)))
    agree(db, session(db, world), "kennismaken", 3)
    for html in _read(clients, _years(world)):
        row = html.split("joint-years")[1].split('<tr data-dimension="kennismaken">')[1]
        assert "<strong>3</strong>" in row.split("</tr>")[0]


def test_a_new_start_shows_in_the_report_of_every_worker(workers, app, world, scored):
    from conftest import Respondent

    clients = workers("viewer")
    started = {re.search(r"\((\d+) begonnen\)", html)[1] for html in _read(clients,
                                                                          _report(world))}
    Respondent(app, world.a.links[0]["token"]).start()
    after = {re.search(r"\((\d+) begonnen\)", html)[1] for html in _read(clients,
                                                                        _report(world))}
    assert after == {str(int(started.pop()) + 1)}


# ---- the session cookie and the form token, checked once per worker ----

def test_a_tampered_session_cookie_signs_nobody_in(client, auth, world, scored):
    auth.login(world.a.emails["viewer"])
    assert client.get(_report(world)).status_code == 200   # the cookie is verified and kept
    cookie = client.get_cookie("session").value
    payload, signature = cookie.rsplit(".", 1)
    forged = "AA" if signature[-2:] != "AA" else "BB"
    client.set_cookie("session", f"{payload}.{signature[:-2]}{forged}")
    assert client.get(_report(world)).status_code == 302   # to the sign-in page
    client.set_cookie("session", cookie)
    assert client.get(_report(world)).status_code == 200


def test_a_new_secret_key_ends_sessions_kept_under_the_old_one(app, client, auth, world,
                                                                scored):
    auth.login(world.a.emails["viewer"])
    assert client.get(_report(world)).status_code == 200   # verified and kept
    app.secret_key = "a new key, as after a leak"
    assert client.get(_report(world)).status_code == 302   # to the sign-in page


def test_a_session_past_its_whole_life_ends_though_its_cookie_was_kept(app, client, auth, world,
                                                                       scored, monkeypatch):
    auth.login(world.a.emails["viewer"])
    assert client.get(_report(world)).status_code == 200
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 60
    # Only the cookie's clock moves on (the app's own idle check keeps today's time):
    # the kept cookie is refused by its age alone, as itsdangerous refuses it.
    monkeypatch.setattr(signed_cookies, "time", SimpleNamespace(time=lambda: later))
    assert client.get(_report(world)).status_code == 302


def test_signing_out_everywhere_ends_a_kept_session(client, auth, world, db, scored):
    auth.login(world.a.emails["viewer"])
    assert client.get(_report(world)).status_code == 200
    accounts.end_sessions(db, world.a.users["viewer"])
    assert client.get(_report(world)).status_code == 302


def test_each_session_keeps_one_working_form_token(app_config, world, scored):
    """The token a page carries is signed once per session token in a worker: the same
    on every page of one session, another for another session, and each works only for
    its own session."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})

    def signed_in(person: str):
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": world.a.emails[person], "password": PASSWORD,
                                    "csrf_token": _csrf(login)})
        return client

    first, second = signed_in("coordinator"), signed_in("coordinator")
    first.get("/")   # the first page after sign-in gives the fresh session its token
    tokens = [_csrf(first.get(path).get_data(as_text=True))
              for path in (_report(world), _years(world), _report(world))]
    assert len(set(tokens)) == 1
    other = _csrf(second.get(_report(world)).get_data(as_text=True))
    assert other != tokens[0]
    refused = second.post(f"{_report(world)}/agenda", data={"csrf_token": tokens[0]})
    assert refused.status_code == 400
    accepted = first.post(f"{_report(world)}/agenda", data={"csrf_token": tokens[0]})
    assert accepted.status_code == 302

"""Sessions, invitations and caches on a shared school computer (docs/security.md)."""

from __future__ import annotations

import time

import pytest

from scan import accounts, invitations


def _invite(client, pid: int, email: str, role: str = "viewer") -> str:
    page = client.post(f"/p/{pid}/members", data={"name": "Iemand", "email": email,
                                                   "role": role})
    return page.get_data(as_text=True).split("/invite/")[1].split('"')[0]


# Cache-Control: no-store

@pytest.mark.parametrize("path", ["/", "/p/{a}/", "/p/{a}/rounds/{r}/links.csv",
                                  "/p/{a}/rounds/{r}/export/mini-summary.csv",
                                  "/p/{a}/audit", "/p/{a}/members"])
def test_signed_in_pages_and_exports_are_never_kept_by_the_browser(client, auth, world, path):
    auth.login(world.a.emails["coordinator"])
    response = client.get(path.format(a=world.a.id, r=world.a.round))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_admins_reset_page_and_respondents_pages_are_not_kept(client, auth, world,
                                                                  respondent):
    auth.login("admin@samenscan.nl")
    reset = client.post(f"/admin/users/{world.a.users['viewer']}/reset-password")
    assert reset.status_code == 200 and reset.headers["Cache-Control"] == "no-store"
    respondent.start()
    for response in (respondent.client.get(f"/s/{world.a.token}"), respondent.page(0),
                     respondent.client.get(f"/r/{respondent.resume}/welcome")):
        assert response.headers["Cache-Control"] == "no-store"


def test_our_own_files_stay_cacheable(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    response = client.get("/static/style.css")
    response.close()
    assert response.headers.get("Cache-Control") != "no-store"


# Invitations

def test_a_revoked_invitation_never_works(app, client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    token = _invite(client, world.a.id, "nieuw@school.nl")
    [open_one] = invitations.open_invitations(db, world.a.id)
    page = client.get(f"/p/{world.a.id}/members").get_data(as_text=True)
    assert f"/invitations/{open_one['id']}/revoke" in page
    assert client.post(f"/p/{world.a.id}/invitations/{open_one['id']}/revoke").status_code == 302
    assert invitations.open_invitations(db, world.a.id) == []
    assert app.test_client().get(f"/invite/{token}").status_code == 404
    assert any(e["action"] == "invitation revoked" for e in accounts.audit_log(db, world.a.id))
    # Not from another partnership, and not twice.
    assert client.post(f"/p/{world.a.id}/invitations/{open_one['id']}/revoke").status_code == 404
    auth.logout()
    auth.login(world.b.emails["coordinator"])
    token = _invite(client, world.b.id, "ander@school.nl")
    [b_one] = invitations.open_invitations(db, world.b.id)
    auth.logout()
    auth.login(world.a.emails["coordinator"])
    assert client.post(f"/p/{world.a.id}/invitations/{b_one['id']}/revoke").status_code == 404
    assert app.test_client().get(f"/invite/{token}").status_code == 200


def test_a_lapsed_invitation_stays_lapsed_when_its_coordinator_is_promoted_again(
        app, client, auth, world, db):
    a = world.a
    accounts.set_member(db, a.id, a.users["facilitator"], "coordinator")
    auth.login(a.emails["facilitator"])
    token = _invite(client, a.id, "buiten@example.org", "coordinator")
    assert app.test_client().get(f"/invite/{token}").status_code == 200
    accounts.set_member(db, a.id, a.users["facilitator"], "viewer")     # demoted: lapses
    assert app.test_client().get(f"/invite/{token}").status_code == 404
    accounts.set_member(db, a.id, a.users["facilitator"], "coordinator")  # promoted again
    assert app.test_client().get(f"/invite/{token}").status_code == 404
    assert invitations.open_invitations(db, a.id) == []
    accounts.remove_member(db, a.id, a.users["facilitator"])
    accounts.set_member(db, a.id, a.users["facilitator"], "coordinator")
    assert app.test_client().get(f"/invite/{token}").status_code == 404


# Inactivity

def _age(client, **seconds_ago):
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[key] = int(time.time()) - ago


def test_eight_hours_without_use_sign_you_out(client, auth, world):
    auth.login(world.a.emails["viewer"])
    _age(client, seen=7 * 3600)
    assert client.get(f"/p/{world.a.id}/").status_code == 200
    _age(client, seen=8 * 3600 + 5)
    response = client.get(f"/p/{world.a.id}/")
    assert response.status_code == 302 and "/login" in response.location
    assert client.get(f"/p/{world.a.id}/").status_code == 302   # and stays signed out
    assert auth.login(world.a.emails["viewer"]).status_code == 302
    assert client.get(f"/p/{world.a.id}/").status_code == 200


def test_use_keeps_a_session_going_but_not_past_its_whole_life(app, client, auth, world):
    app.config["INACTIVITY_TIMEOUT"] = 3600
    auth.login(world.a.emails["viewer"])
    _age(client, seen=3000)
    assert client.get(f"/p/{world.a.id}/").status_code == 200   # counts as use
    with client.session_transaction() as session:
        assert time.time() - session["seen"] < 5
    _age(client, since=61 * 24 * 3600)
    assert client.get(f"/p/{world.a.id}/").status_code == 302

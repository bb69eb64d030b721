"""Signing in, passwords, the administrator and a partnership's members."""

import pytest
from conftest import PASSWORD

from scan import accounts


def test_sign_in_and_out(client, auth, world):
    response = auth.login(world.a.emails["coordinator"])
    assert response.status_code == 302
    assert "Partnerschap A" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("email, password", [
    ("coordinator@partnerschap-a.nl", "wrong password"),
    ("nobody@partnerschap-a.nl", PASSWORD),
])
def test_wrong_credentials_are_refused_with_a_message(client, world, email, password):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 401
    assert "Partnerschap A" not in response.get_data(as_text=True)


def test_login_never_redirects_to_another_site(client, world):
    response = client.post("/login?next=https://evil.example/x",
                           data={"email": world.a.emails["viewer"], "password": PASSWORD})
    assert response.location == "/"


def test_passwords_are_stored_hashed(db, world):
    stored = db.execute("select password_hash from user limit 1").fetchone()[0]
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_a_user_changes_their_own_password(client, auth, world):
    auth.login(world.a.emails["viewer"])
    wrong = client.post("/account/password", data={"current": "nope", "new": "a-new-password-1",
                                                    "repeat": "a-new-password-1"})
    assert wrong.status_code == 400
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "a-new-password-1",
                                                 "repeat": "a-new-password-1"})
    assert ok.status_code == 302
    auth.logout()
    assert auth.login(world.a.emails["viewer"], "a-new-password-1").status_code == 302


def test_a_too_short_password_is_refused(client, auth, world):
    auth.login(world.a.emails["viewer"])
    response = client.post("/account/password",
                           data={"current": PASSWORD, "new": "short", "repeat": "short"})
    assert response.status_code == 400


def test_admin_creates_a_partnership_with_its_first_coordinator(app, client, auth, world, db):
    """No mail server set: the invitation lands in the outbox folder; its link makes the
    coordinator's own account (no temporary password shown to anyone)."""
    from smtp_server import wait_for_outbox

    from scan.mail import folder_message

    auth.login("admin@samenscan.nl")
    response = client.post("/admin/", data={"name": "Opleidingsschool Noord",
                                            "coordinator_name": "Noor",
                                            "coordinator_email": "noor@noord.nl"})
    assert response.status_code == 200
    assert 'class="secret"' not in response.get_data(as_text=True)
    [path] = wait_for_outbox(app.instance_path, 1)
    text = folder_message(path.parent, path.stem)["text"]
    token = text.split("/invite/")[1].split()[0]
    auth.logout()
    joined = client.post(f"/invite/{token}", data={"name": "Noor", "new": "een heel eigen zin",
                                                   "repeat": "een heel eigen zin"})
    assert joined.status_code == 302
    user = accounts.user_by_email(db, "noor@noord.nl")
    assert [m["name"] for m in accounts.memberships(db, user["id"])] == ["Opleidingsschool Noord"]
    assert accounts.role_in(db, user["id"], accounts.memberships(db, user["id"])[0]["id"]) == (
        "coordinator")


def test_admin_resets_a_password(client, auth, world):
    auth.login("admin@samenscan.nl")
    response = client.post(f"/admin/users/{world.a.users['viewer']}/reset-password")
    password = response.get_data(as_text=True).split('<code class="secret">')[1].split("<")[0]
    auth.logout()
    assert auth.login(world.a.emails["viewer"], PASSWORD).status_code == 401
    assert auth.login(world.a.emails["viewer"], password).status_code == 302


def _invite(client, pid: int, name: str, email: str, role: str) -> str:
    page = client.post(f"/p/{pid}/members", data={"name": name, "email": email, "role": role})
    return page.get_data(as_text=True).split("/invite/")[1].split('"')[0]


def test_a_person_can_belong_to_two_partnerships_with_different_roles(app, client, auth,
                                                                     world, db):
    auth.login(world.a.emails["coordinator"])
    token = _invite(client, world.a.id, "Bea", world.b.emails["viewer"], "facilitator")
    assert accounts.role_in(db, world.b.users["viewer"], world.a.id) is None   # invited only
    bea = app.test_client()
    bea.post("/login", data={"email": world.b.emails["viewer"], "password": PASSWORD})
    assert bea.post(f"/invite/{token}").status_code == 302
    roles = {m["name"]: m["role"] for m in accounts.memberships(db, world.b.users["viewer"])}
    assert roles == {"Partnerschap A": "facilitator", "Partnerschap B": "viewer"}
    assert bea.post(f"/invite/{token}").status_code == 404   # a link works once


def test_an_invitation_says_the_same_whether_or_not_the_address_has_an_account(client, auth,
                                                                               world):
    auth.login(world.a.emails["coordinator"])
    known = client.post(f"/p/{world.a.id}/members", data={
        "name": "X", "email": world.b.emails["viewer"], "role": "viewer"}).get_data(as_text=True)
    unknown = client.post(f"/p/{world.a.id}/members", data={
        "name": "X", "email": "nieuw@school.nl", "role": "viewer"}).get_data(as_text=True)

    def notice(html):
        return html.split('role="status">')[1].split("/invite/")[0].replace(
            world.b.emails["viewer"], "@").replace("nieuw@school.nl", "@")
    assert notice(known) == notice(unknown)
    assert "Viewer B" not in known   # the stored name of the other partnership's account


def test_a_new_person_makes_their_own_account_from_the_invitation(app, client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    token = _invite(client, world.a.id, "Sam", "sam@school.nl", "viewer")
    sam = app.test_client()
    assert sam.get(f"/invite/{token}").status_code == 200
    weak = sam.post(f"/invite/{token}", data={"name": "Sam", "new": "kort", "repeat": "kort"})
    assert weak.status_code == 400
    joined = sam.post(f"/invite/{token}", data={"name": "Sam de Vries",
                                                "new": "een heel eigen zin", "repeat":
                                                "een heel eigen zin"})
    assert joined.status_code == 302 and sam.get(f"/p/{world.a.id}/").status_code == 200
    assert accounts.user_by_email(db, "sam@school.nl")["name"] == "Sam de Vries"


def test_coordinator_adds_changes_and_removes_a_member(app, client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    token = _invite(client, world.a.id, "Sam", "sam@school.nl", "viewer")
    app.test_client().post(f"/invite/{token}", data={
        "name": "Sam", "new": "een heel eigen zin", "repeat": "een heel eigen zin"})
    sam = accounts.user_by_email(db, "sam@school.nl")["id"]
    client.post(f"/p/{world.a.id}/members/{sam}/role", data={"role": "facilitator"})
    assert accounts.role_in(db, sam, world.a.id) == "facilitator"
    client.post(f"/p/{world.a.id}/members/{sam}/remove")
    assert accounts.role_in(db, sam, world.a.id) is None


def test_the_last_coordinator_cannot_leave(client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    me = world.a.users["coordinator"]
    assert client.post(f"/p/{world.a.id}/members/{me}/role",
                       data={"role": "viewer"}).status_code == 409
    assert client.post(f"/p/{world.a.id}/members/{me}/remove").status_code == 409
    assert accounts.role_in(db, me, world.a.id) == "coordinator"


def test_an_unknown_role_is_refused(client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    response = client.post(f"/p/{world.a.id}/members/{world.a.users['viewer']}/role",
                           data={"role": "owner"})
    assert response.status_code == 400
    assert accounts.role_in(db, world.a.users["viewer"], world.a.id) == "viewer"

"""A second factor for coordinators and administrators (scan.second_factor)."""

from __future__ import annotations

import re
import time

import pyotp
from conftest import PASSWORD


def _secret(page: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)[1].replace(" ", "")


def _turn_on(client) -> str:
    secret = _secret(client.get("/account/two-factor").get_data(as_text=True))
    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 400
    on = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert on.status_code == 302
    return secret


def _code_for(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def test_with_a_second_factor_the_password_alone_does_not_sign_in(app, client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    secret = _turn_on(client)
    assert "second factor on" in {r["action"] for r in db.query("select action from audit")}
    auth.logout()
    response = auth.login(world.a.emails["coordinator"])
    assert response.status_code == 302 and response.location.endswith("/login/code")
    assert client.get(f"/p/{world.a.id}/").status_code == 302          # not signed in yet
    assert client.post("/login/code", data={"code": "123456"}).status_code == 401
    signed_in = client.post("/login/code", data={"code": _code_for(secret, 1)})
    assert signed_in.status_code == 302
    assert client.get(f"/p/{world.a.id}/").status_code == 200
    # A code works once: seen over a shoulder, it signs nobody else in.
    other = app.test_client()
    other.post("/login", data={"email": world.a.emails["coordinator"], "password": PASSWORD})
    assert other.post("/login/code", data={"code": _code_for(secret, 1)}).status_code == 401


def test_the_code_page_needs_the_password_first_and_expires(client, auth, world):
    assert client.get("/login/code").status_code == 302
    auth.login(world.a.emails["coordinator"])
    secret = _turn_on(client)
    auth.logout()
    auth.login(world.a.emails["coordinator"])
    with client.session_transaction() as session:
        session["pending"]["at"] -= 6 * 60
        session.modified = True
    response = client.post("/login/code", data={"code": _code_for(secret)})
    assert response.status_code == 302 and response.location.endswith("/login")


def test_required_by_the_setting_for_coordinators_and_administrators(app, client, auth, world):
    app.config["REQUIRE_TOTP"] = True
    auth.login(world.a.emails["viewer"])
    assert client.get(f"/p/{world.a.id}/").status_code == 200      # viewers: optional
    auth.logout()
    auth.login(world.a.emails["coordinator"])
    response = client.get(f"/p/{world.a.id}/")
    assert response.status_code == 302 and response.location.endswith("/account/two-factor")
    _turn_on(client)
    assert client.get(f"/p/{world.a.id}/").status_code == 200
    assert client.post("/account/two-factor/off").status_code == 409   # stays on
    auth.logout()
    auth.login("admin@samenscan.nl")
    assert client.get("/admin/").location.endswith("/account/two-factor")


def test_an_optional_second_factor_can_be_turned_off(client, auth, world, db):
    auth.login(world.a.emails["viewer"])
    _turn_on(client)
    assert client.post("/account/two-factor/off").status_code == 302
    auth.logout()
    assert auth.login(world.a.emails["viewer"]).location.endswith("/")

"""Panel links: a review panel reads a frozen copy of the dossier without an account;
the link expires, can be withdrawn, is audited and throttled, and reaches nothing else
of the partnership."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from scan import accounts, panels
from scan.web.security import limiter

NEW = "/p/{pid}/dossier/mini-kader/panel"


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def make_link(client, world, days="14", reflection="Wij leren van elkaar.") -> str:
    if reflection:
        client.post(f"/p/{world.a.id}/dossier/mini-kader/reflection/elkaar-kennen",
                    data={"body": reflection, "version": "0"})
    response = client.post(NEW.format(pid=world.a.id), data={"days": days,
                                                             "years": "2025-2026"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return re.search(r"new_link=([^&]+)", response.location)[1]


def token_of(location: str) -> str:
    from urllib.parse import unquote

    return unquote(location).rsplit("/panel/", 1)[1]


def test_the_panel_reads_the_frozen_dossier_without_an_account(app, coordinator, world, db,
                                                               scored):
    token = token_of(make_link(coordinator, world))
    panel = app.test_client()   # no session: a visitor without an account
    response = panel.get(f"/panel/{token}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Wij leren van elkaar." in html and re.search(r"3,00 <span[^>]*>\(n=7\)", html)
    # The English copy, written in the same request, has English numbers.
    panel.get("/lang/en")
    english = panel.get(f"/panel/{token}").get_data(as_text=True)
    assert re.search(r"3\.00 <span[^>]*>\(n=7\)", english) and "3,00" not in english
    panel.get("/lang/nl")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    # Frozen: a later reflection does not change what the panel reads.
    coordinator.post(f"/p/{world.a.id}/dossier/mini-kader/reflection/elkaar-kennen",
                     data={"body": "Later herschreven.", "version": "1"})
    again = panel.get(f"/panel/{token}").get_data(as_text=True)
    assert "Wij leren van elkaar." in again and "Later herschreven." not in again


def test_nothing_else_of_the_partnership_is_reachable_from_the_panel(app, coordinator, world,
                                                                     scored):
    token = token_of(make_link(coordinator, world))
    panel = app.test_client()
    html = panel.get(f"/panel/{token}").get_data(as_text=True)
    addresses = re.findall(r'(?:href|src|action)="([^"]*)"', html)
    assert addresses, "the page has links (stylesheet, language)"
    assert not [a for a in addresses if a.startswith("/p/") or "/dossier" in a]
    assert "<form" not in html and "<textarea" not in html
    # The panel's visit opens no session: every partnership page still asks to sign in.
    for url in (f"/p/{world.a.id}/", f"/p/{world.a.id}/dossier/mini-kader",
                f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"):
        response = panel.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_an_expired_link_stops_working(app, world, db):
    token = panels.create(db, world.a.id, "mini-kader", ["2025-2026"],
                          {"nl": "<p>Oud</p>", "en": "<p>Old</p>"}, 1, None,
                          now=datetime.now(UTC).replace(tzinfo=None) - timedelta(days=2))
    response = app.test_client().get(f"/panel/{token}")
    assert response.status_code == 410
    text = response.get_data(as_text=True)
    assert "<p>Oud</p>" not in text and "verlopen" in text


def test_a_link_expires_after_its_days(world, db):
    token = panels.create(db, world.a.id, "mini-kader", [], {"nl": "", "en": ""}, 3, None,
                          now=datetime(2026, 12, 6, 10, 0))
    link = panels.by_token(db, token)
    assert panels.usable(link, datetime(2026, 12, 9, 9, 59))
    assert not panels.usable(link, datetime(2026, 12, 9, 10, 0))


def test_the_coordinator_withdraws_a_link(app, coordinator, world, db, scored):
    token = token_of(make_link(coordinator, world))
    link = panels.by_token(db, token)
    response = coordinator.post(
        f"/p/{world.a.id}/dossier/mini-kader/panel/{link['id']}/revoke")
    assert response.status_code == 302
    assert app.test_client().get(f"/panel/{token}").status_code == 410
    lines = [row["action"] for row in accounts.audit_log(db, world.a.id)]
    assert "panel link created" in lines and "panel link revoked" in lines


def test_another_partnership_cannot_see_or_withdraw_a_link(client, auth, world, db):
    auth.login(world.b.emails["coordinator"])
    # B's own pid with A's link id: not theirs.
    response = client.post(f"/p/{world.b.id}/dossier/mini-kader/panel/{world.a.panel}/revoke")
    assert response.status_code == 404
    response = client.post(f"/p/{world.a.id}/dossier/mini-kader/panel/{world.a.panel}/revoke")
    assert response.status_code == 404
    assert panels.usable(panels.by_token(db, world.a.panel_token))
    # B's dossier page lists only B's links.
    html = client.get(f"/p/{world.b.id}/dossier/mini-kader").get_data(as_text=True)
    assert f"/panel/{world.a.panel}/revoke" not in html
    assert f"/panel/{world.b.panel}/revoke" in html


def test_only_coordinators_make_or_withdraw_links(client, auth, world, db):
    for role in ("facilitator", "viewer"):
        auth.login(world.a.emails[role])
        assert client.post(NEW.format(pid=world.a.id), data={"days": "5"}).status_code == 403
        assert client.post(f"/p/{world.a.id}/dossier/mini-kader/panel/{world.a.panel}/revoke"
                           ).status_code == 403
    assert panels.usable(panels.by_token(db, world.a.panel_token))


@pytest.mark.parametrize("days", ["0", "91", "veel", ""])
def test_bad_validity_is_refused(coordinator, world, db, days):
    before = len(panels.links(db, world.a.id))
    response = coordinator.post(NEW.format(pid=world.a.id), data={"days": days})
    assert response.status_code == 400
    assert len(panels.links(db, world.a.id)) == before


@pytest.mark.parametrize("token", ["x", "a" * 43, "a" * 5000])
def test_unknown_tokens_are_404(app, token):
    assert app.test_client().get(f"/panel/{token}").status_code == 404


def test_every_opening_is_audited(app, world, db):
    panel = app.test_client()
    for _ in range(3):
        assert panel.get(f"/panel/{world.a.panel_token}").status_code == 200
    opened = [row for row in accounts.audit_log(db, world.a.id)
              if row["action"] == "panel link opened"]
    assert len(opened) == 3
    assert [row["opened"] for row in panels.links(db, world.a.id)] == [3]
    assert not [row for row in accounts.audit_log(db, world.b.id)
                if row["action"] == "panel link opened"]


def test_opening_is_throttled(app, world):
    app.config["RATELIMIT_ENABLED"] = True
    limiter.enabled = True
    try:
        limiter.reset()
        panel = app.test_client()
        codes = [panel.get(f"/panel/{world.a.panel_token}").status_code for _ in range(32)]
    finally:
        limiter.reset()
    assert codes[:30] == [200] * 30 and codes[-1] == 429

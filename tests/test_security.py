"""The layer of a public web app: sessions, throttling, passwords, headers, escaping,
bounded work. Each test is one point of docs/security.md."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from answers import answer
from conftest import PASSWORD

from scan import accounts, create_app, partners, rounds, workshops
from scan.web.security import CONTENT_SECURITY_POLICY


@pytest.fixture
def app_config(app_config):
    # Small limits keep the throttling tests short; the defaults are in docs/security.md.
    return {**app_config, "START_LIMIT": "8 per minute"}


def _client_with_cookie_of(app, client):
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


# Sessions and accounts


def test_signing_out_ends_a_copied_session_cookie(app, client, auth, world):
    auth.login(world.a.emails["coordinator"])
    thief = _client_with_cookie_of(app, client)
    assert thief.get(f"/p/{world.a.id}/").status_code == 200
    auth.logout()
    assert thief.get(f"/p/{world.a.id}/").status_code == 302   # to the sign-in page


def test_a_new_password_ends_other_sessions_but_not_this_one(app, client, auth, world):
    auth.login(world.a.emails["coordinator"])
    thief = _client_with_cookie_of(app, client)
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "een nieuw lang wachtwoord", "repeat":
        "een nieuw lang wachtwoord"})
    assert response.status_code == 302
    assert client.get(f"/p/{world.a.id}/").status_code == 200
    assert thief.get(f"/p/{world.a.id}/").status_code == 302


def test_an_admin_reset_ends_sessions_and_the_temporary_password_must_be_changed(
        app, client, auth, world, db):
    victim = app.test_client()
    victim.post("/login", data={"email": world.a.emails["viewer"], "password": PASSWORD})
    auth.login("admin@samenscan.nl")
    page = client.post(f"/admin/users/{world.a.users['viewer']}/reset-password")
    temporary = page.get_data(as_text=True).split('<code class="secret">')[1].split("<")[0]
    assert victim.get(f"/p/{world.a.id}/").status_code == 302
    fresh = app.test_client()
    fresh.post("/login", data={"email": world.a.emails["viewer"], "password": temporary})
    response = fresh.get(f"/p/{world.a.id}/")
    assert response.status_code == 302 and response.location.endswith("/account/password")
    log = accounts.audit_log(db)
    assert any(e["action"] == "password reset" for e in log)


def test_five_failed_sign_ins_a_minute_are_refused_without_locking_others_out(client, world):
    for _n in range(5):
        response = client.post("/login", data={"email": world.a.emails["viewer"],
                                               "password": "wrong password!!"})
        assert response.status_code == 401
    blocked = client.post("/login", data={"email": world.a.emails["viewer"],
                                          "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.get_data(as_text=True)
    # When to try again: at most the minute the limit counts over.
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    # Another account from the same address still signs in: no lock-out by a stranger.
    other = client.post("/login", data={"email": world.a.emails["coordinator"],
                                        "password": PASSWORD})
    assert other.status_code == 302


def test_an_unknown_address_is_answered_like_a_wrong_password(client, world, monkeypatch):
    from scan import accounts as module

    checked = []
    real = module.check_password_hash
    monkeypatch.setattr(module, "check_password_hash",
                        lambda h, p: checked.append(h) or real(h, p))
    unknown = client.post("/login", data={"email": "niemand@nergens.nl", "password": "x" * 14})
    wrong = client.post("/login", data={"email": world.a.emails["viewer"],
                                        "password": "x" * 14})
    assert unknown.status_code == wrong.status_code == 401
    message = "Dit e-mailadres en dit wachtwoord horen niet bij elkaar"
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)
    assert len(checked) == 2   # a hash was checked for the unknown address too


@pytest.mark.parametrize("new, message", [
    ("kort", "minstens 12 tekens"),
    ("wachtwoord123", "eerste die aanvallers proberen"),
    ("aaaaaaaaaaaaaa", "eerste die aanvallers proberen"),
    ("viewer@partnerschap-a.nl", "e-mailadres"),
    (PASSWORD, "ander wachtwoord dan je huidige"),
])
def test_weak_passwords_are_refused_with_a_reason(client, auth, world, new, message):
    auth.login(world.a.emails["viewer"])
    response = client.post("/account/password", data={"current": PASSWORD, "new": new,
                                                       "repeat": new})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_audit_log_is_per_partnership_for_coordinators_and_whole_for_the_admin(
        client, auth, world, db):
    client.post("/login", data={"email": world.a.emails["viewer"], "password": "fout fout fout"})
    auth.login(world.a.emails["coordinator"])
    client.get(f"/p/{world.a.id}/rounds/{world.a.round}/export/mini-summary.csv")
    page = client.get(f"/p/{world.a.id}/audit").get_data(as_text=True)
    assert "export downloaded" in page and "samenscan-2025-2026" in page
    assert client.get(f"/p/{world.b.id}/audit").status_code == 404
    auth.logout()
    auth.login(world.a.emails["viewer"])
    assert client.get(f"/p/{world.a.id}/audit").status_code == 403
    auth.logout()
    auth.login("admin@samenscan.nl")
    whole = client.get("/admin/audit").get_data(as_text=True)
    assert "sign-in failed" in whole and "export downloaded" in whole


# Respondents and group links


def test_starting_through_a_group_link_is_throttled_per_address(app, world, db):
    browser = app.test_client()
    codes = [browser.post(f"/s/{world.a.token}", data={"fresh": "1"}).status_code
             for _n in range(12)]
    assert codes[:8] == [302] * 8 and set(codes[8:]) == {429}
    assert db.execute("select count(*) from respondent").fetchone()[0] == 8


def test_the_resume_cookie_is_secure_when_asked_and_gone_after_submit(app_config, world):
    from scan import create_app

    app = create_app({**app_config, "SESSION_COOKIE_SECURE": True})
    person = app.test_client()
    response = person.post(f"/s/{world.a.token}", base_url="https://localhost")
    header = response.headers["Set-Cookie"]
    assert "Secure" in header and "HttpOnly" in header and "Max-Age=2592000" in header
    assert not any(c.key == "session" for c in person._cookies.values())  # no session made
    token = response.location.split("/r/")[1].split("/")[0]
    from scan.web.respond import form_key

    with app.test_request_context():
        key = form_key(token)
    for number, dimension, answers in ((0, "kennismaken", {"mini-k-1": "2", "mini-k-2": "3"}),
                                       (1, "afstemmen", {"mini-a-1": "2", "mini-a-2": "3",
                                                         "mini-a-3": "4"})):
        person.post(f"/r/{token}/p/{number}", data={"page": dimension, "next": "1",
                                                    "key": key, **answers},
                    base_url="https://localhost")
    sent = person.post(f"/r/{token}/review", data={"key": key}, base_url="https://localhost")
    assert sent.status_code == 302 and "resume_" in sent.headers["Set-Cookie"]
    assert "Max-Age=0" in sent.headers["Set-Cookie"] or "expires=Thu, 01 Jan 1970" in \
        sent.headers["Set-Cookie"]


def test_previous_never_moves_progress_forward(respondent, db):
    respondent.start()
    respondent.save(0, "kennismaken", {"mini-k-1": "2"}, button="back")
    respondent.save(1, "afstemmen", {}, button="back")
    assert respondent.submit().status_code == 302
    assert db.execute("select count(submitted_at), max(next_page) from respondent"
                      ).fetchone() == (0, 0)


# Headers and content


def test_every_response_carries_the_security_headers(client, world):
    for path in ("/login", f"/s/{world.a.token}", "/nope"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY
        assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in headers
    secure = client.get("/login", base_url="https://localhost").headers
    assert secure["Strict-Transport-Security"].startswith("max-age=")


def test_a_partner_name_with_html_reaches_the_chart_as_text(client, auth, world, db):
    from answers import released_report

    name = '<a href="https://evil.example">Klik hier</a>'
    partners.update_partner(db, world.a.id, world.a.institute, name, "instituut", "vo")
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for _n in range(3):
        answer(db, world.a.round, world.a.link, sets, ("", "", (2, 3), (3, 3, 2), ""))
    released_report(db, world.a.round, world.catalogue)
    auth.login(world.a.emails["viewer"])
    html = client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(
        as_text=True)
    figure = json.loads(html.split('data-chart-for="radar">')[1].split("</script>")[0])
    names = [t["name"] for t in figure["data"]]
    assert "&lt;a href=\"https://evil.example\"&gt;Klik hier&lt;/a&gt;" in names
    assert not any("<a" in n for n in names)


def test_a_renamed_partner_shows_in_the_report_at_once(client, auth, world, db):
    from answers import released_report

    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for _n in range(3):
        answer(db, world.a.round, world.a.link, sets, ("", "", (2, 3), (3, 3, 2), ""))
    released_report(db, world.a.round, world.catalogue)
    auth.login(world.a.emails["viewer"])
    url = f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"
    linked = next(x for x in world.a.links if x["id"] == world.a.link)
    before = client.get(url).get_data(as_text=True)
    assert linked["partner"] in before
    partners.update_partner(db, world.a.id, linked["partner_id"], "Nieuwe naam", "school"
                            if linked["partner_type"] == "school" else "instituut", "vo")
    after = client.get(url).get_data(as_text=True)
    assert "Nieuwe naam" in after


def test_the_markdown_summary_keeps_notes_as_text(client, auth, world, db):
    workshops.save_notes(db, world.a.workshop, world.a.drawn,
                         '<img src=x onerror=alert(1)> [klik](javascript:alert(1))', 0)
    auth.login(world.a.emails["facilitator"])
    text = client.get(f"/p/{world.a.id}/workshops/{world.a.workshop}/summary.md").get_data(
        as_text=True)
    assert "<img" not in text and "](javascript:" not in text
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in text


def test_huge_numbers_in_forms_are_refused_not_crashed(client, auth, world):
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{world.a.workshop}"
    assert client.post(f"{base}/move", data={"to": str(10**20)}).status_code == 400
    assert client.post(f"{base}/cards/{world.a.drawn}/notes",
                       data={"notes": "x", "version": str(10**20)}).status_code == 400


def test_the_qr_sheet_is_printed_in_pages_of_bounded_size(client, auth, world, db):
    many = [partners.add_partner(db, world.a.id, f"School {n}", "school", "vo")
            for n in range(50)]
    rounds.add_links(db, world.a.round, many, ["schoolopleider", "werkplekbegeleider"])
    auth.login(world.a.emails["coordinator"])
    base = f"/p/{world.a.id}/rounds/{world.a.round}/links/print"
    first = client.get(base).get_data(as_text=True)
    assert first.count('class="qr"') == 48 and "Pagina 1 van 3." in first
    assert client.get(f"{base}?page=3").get_data(as_text=True).count('class="qr"') == 8
    assert client.get(f"{base}?page=4").status_code == 404
    assert client.get(f"{base}?page=99999999999999999999").status_code == 404


def test_a_round_can_cap_the_questionnaires_per_link(client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    base = f"/p/{world.a.id}/rounds/{world.a.round}"
    assert client.post(f"{base}/cap", data={"cap": "10000000000"}).status_code == 400
    assert client.post(f"{base}/cap", data={"cap": "2"}).status_code == 302
    person = client.application.test_client()
    codes = [person.post(f"/s/{world.a.token}", data={"fresh": "1"}).status_code
             for _n in range(3)]
    assert codes == [302, 302, 409]
    assert db.execute("select count(*) from respondent").fetchone()[0] == 2
    client.post(f"{base}/cap", data={"cap": ""})
    assert person.post(f"/s/{world.a.token}", data={"fresh": "1"}).status_code == 302


def test_a_stolen_session_cannot_guess_the_current_password(client, auth, world, db):
    auth.login(world.a.emails["viewer"])
    codes = [client.post("/account/password", data={
        "current": f"fout wachtwoord {n}", "new": "een nieuw lang wachtwoord",
        "repeat": "een nieuw lang wachtwoord"}).status_code for n in range(7)]
    assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}
    assert sum(e["action"] == "password change refused" for e in accounts.audit_log(db)) == 5


def test_an_invitation_lapses_when_its_coordinator_is_removed(app, client, auth, world, db):
    accounts.set_member(db, world.a.id, world.a.users["facilitator"], "coordinator")
    auth.login(world.a.emails["facilitator"])
    page = client.post(f"/p/{world.a.id}/members", data={
        "name": "Alt", "email": "alt@example.nl", "role": "coordinator"}).get_data(as_text=True)
    token = page.split("/invite/")[1].split('"')[0]
    accounts.set_member(db, world.a.id, world.a.users["facilitator"], "viewer")
    assert app.test_client().get(f"/invite/{token}").status_code == 404


@pytest.mark.parametrize("method, path", [
    ("get", "/p/99999999999999999999/actions/"),
    ("post", "/p/1/actions/99999999999999999999/status/klaar"),
    ("get", "/p/1/rounds/99999999999999999999/sheet/mini")])
def test_an_id_too_long_for_the_database_is_no_page(client, auth, world, method, path):
    auth.login(world.a.emails["coordinator"])
    assert getattr(client, method)(path).status_code == 404


def test_a_refused_poll_says_when_to_come_back_and_an_answered_one_reads_no_counts(
        app_config, world):
    """Polls are throttled per address; a phone told 429 gets Retry-After. An answered
    poll carries no X-RateLimit-* headers: working them out read the count back from
    the storage twice more on every poll (with Redis, two more round trips)."""
    app = create_app({**app_config, "POLL_LIMIT": "3 per minute"})
    client = app.test_client()
    answers = [client.get(f"/w/{world.a.workshop_token}/state.json") for _n in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert not any(key.startswith("X-RateLimit") for key in answers[0].headers.keys())
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 60


def test_a_room_polling_a_whole_minute_is_answered_and_a_flood_after_it_is_refused(
        app_config, world):
    """200 phones behind one school address poll every 2 seconds: a minute of that room
    (6,000 polls, the default limit's amount) is answered every time, although each
    worker counts the polls itself and shares them in batches (scan.web.flood_guard).
    Polling on past the limit is refused within a batch (a hundredth of the limit), with
    Retry-After and the reason in Dutch. The window is an hour here, so a slow machine
    answering the room for over a minute does not start a new window before the flood."""
    app = create_app({**app_config, "POLL_LIMIT": "6000 per hour"})
    client = app.test_client()
    url = f"/w/{world.a.workshop_token}/state.json"
    room = [client.get(url).status_code for _n in range(200 * 60 // 2)]
    assert room.count(200) == len(room)
    flood = [client.get(url) for _n in range(100)]
    codes = [answer.status_code for answer in flood]
    refused = codes.index(429)
    assert refused <= 6000 // 100 and set(codes[refused:]) == {429}
    assert 1 <= int(flood[refused].headers["Retry-After"]) <= 3600
    assert "Te veel pogingen" in flood[refused].get_data(as_text=True)


def test_polls_are_not_counted_when_an_operator_turns_throttling_off(app_config, world):
    """SCAN_RATELIMIT_ENABLED=false turns off every limit, the polls' flood guard too."""
    from scan.web.security import limiter

    app = create_app({**app_config, "POLL_LIMIT": "3 per minute"})
    client = app.test_client()
    limiter.enabled = False
    try:
        codes = [client.get(f"/w/{world.a.workshop_token}/state.json").status_code
                 for _n in range(6)]
    finally:
        limiter.enabled = True
    assert codes == [200] * 6


def test_an_operators_limit_for_every_route_still_holds(app_config, world):
    """Flask-Limiter's check before every view runs only when limits for every route
    exist (scan.web.security); an operator's SCAN_RATELIMIT_DEFAULT must still hold.
    In a process of its own: the limiter is one object, its default limits would stay."""
    script = f"""
from scan import create_app
app = create_app({{**{app_config!r}, "RATELIMIT_DEFAULT": "2 per minute"}})
client = app.test_client()
print([client.get("/login").status_code for _n in range(3)])
"""
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=120, check=True)
    assert found.stdout.strip().splitlines()[-1] == "[200, 200, 429]", found.stderr[-2000:]


def test_a_room_of_200_phones_behind_one_school_address_is_not_refused(app):
    """A school's wifi shows one address for the whole room: 200 phones polling every
    2 seconds (scan/static/joint.js, workshop.js) must stay under the default limit."""
    from limits import parse

    from scan.web.security import poll_limit

    with app.app_context():
        limit = parse(poll_limit())
    polls_per_minute = 200 * 60 // 2
    assert limit.amount * 60 / limit.get_expiry() >= polls_per_minute

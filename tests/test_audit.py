"""The audit log: a reader finds what happened, and no flood hides it (scan.audit)."""

from __future__ import annotations

import re

from scan import accounts, audit


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_a_coordinators_invitation_stays_in_sight_after_10000_anonymous_events(
        client, auth, world, db):
    auth.login(world.a.emails["coordinator"])
    client.post(f"/p/{world.a.id}/members", data={
        "email": "buiten@example.org", "name": "Buiten", "role": "coordinator"})
    auth.logout()
    # Three failed sign-ins the way a stranger makes them, then 10,000 more as the
    # sign-in page counts them (through HTTP they would take the throttle's hours).
    for _n in range(3):
        assert client.post("/login", data={"email": "niemand@example.org",
                                           "password": "wrong password!!"}).status_code == 401
    for n in range(10_000):
        audit.record_summarised(db, "sign-in failed", source=f"10.{n // 256 % 256}.{n % 256}.9")
    auth.login("admin@samenscan.nl")
    rows = _rows(client.get("/admin/audit").get_data(as_text=True))
    invited = [r for r in rows if "member invited" in r]
    assert invited and "buiten@example.org" in invited[0]
    failed = [r for r in rows if "sign-in failed" in r]
    assert len(failed) <= 2   # one line per hour (two if the hour turned meanwhile)
    assert sum(int(re.findall(r"<td>(\d+)</td>", r)[0]) for r in failed) == 10_003
    auth.logout()
    auth.login(world.a.emails["coordinator"])
    own = _rows(client.get(f"/p/{world.a.id}/audit").get_data(as_text=True))
    assert any("member invited" in r for r in own)


def test_pages_and_filters_by_who_what_and_when(client, auth, world, db):
    for n in range(130):
        accounts.record(db, "round opened", world.a.users["coordinator"], world.a.id,
                        f"round {n}")
    accounts.record(db, "member removed", world.a.users["coordinator"], world.a.id, "user 9")
    db.execute("update audit set at = '2025-03-01 10:00:00' where detail = 'round 0'")
    auth.login("admin@samenscan.nl")
    first = client.get("/admin/audit").get_data(as_text=True)
    assert len(_rows(first)) == audit.PAGE_SIZE and 'rel="next"' in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and "round 0" in second
    only = _rows(client.get("/admin/audit?action=member+removed").get_data(as_text=True))
    assert len(only) == 1 and "user 9" in only[0]
    by_actor = _rows(client.get("/admin/audit?actor=viewer@").get_data(as_text=True))
    assert not any("round opened" in r for r in by_actor)
    by_day = _rows(client.get("/admin/audit?since=2025-03-01&until=2025-03-01")
                   .get_data(as_text=True))
    assert len(by_day) == 1 and "round 0" in by_day[0]
    assert client.get("/admin/audit?since=gisteren&page=-3").status_code == 200
    # The calendar's ends are no bound (they once made the Dutch-time sum overflow: 500).
    for far in ("until=9999-12-31", "since=0001-01-01", "since=9999-12-31&until=0001-01-01"):
        page = client.get(f"/admin/audit?{far}")
        assert page.status_code == 200 and len(_rows(page.get_data(as_text=True))) == \
            audit.PAGE_SIZE, far


def test_every_export_and_print_sheet_is_logged(client, auth, world, db):
    a = world.a
    auth.login(a.emails["coordinator"])
    for path in (f"/p/{a.id}/rounds/{a.round}/links.csv",
                 f"/p/{a.id}/rounds/{a.round}/links/print",
                 f"/p/{a.id}/workshops/{a.workshop}/summary.md",
                 f"/p/{a.id}/workshops/{a.workshop}/summary.csv",
                 f"/p/{a.id}/rounds/{a.round}/sheet/mini"):
        assert client.get(path).status_code == 200, path
    details = [(e["action"], e["detail"]) for e in accounts.audit_log(db, a.id)]
    assert ("export downloaded", f"samenscan-links-2025-2026-{a.round}.csv") in details
    assert ("export downloaded", f"workshop-{a.workshop}.md") in details
    assert ("export downloaded", f"workshop-{a.workshop}.csv") in details
    assert sum(action == "print sheet" for action, _d in details) == 2


def test_refused_pages_are_logged_where_they_belong(client, auth, world, db):
    auth.login(world.a.emails["viewer"])
    for _n in range(5):
        assert client.get(f"/p/{world.a.id}/audit").status_code == 403
    assert client.get(f"/p/{world.b.id}/").status_code == 404
    own = [e for e in accounts.audit_log(db, world.a.id) if e["action"] == "access refused"]
    assert len(own) == 1 and own[0]["count"] == 5 and f"403 /p/{world.a.id}/audit" in own[0][
        "detail"]
    assert not [e for e in accounts.audit_log(db, world.b.id) if e["action"] == "access refused"]
    everywhere = [e for e in accounts.audit_log(db) if e["action"] == "access refused"]
    assert any(f"404 /p/{world.b.id}/" in e["detail"] for e in everywhere)


def test_the_log_says_when_in_the_readers_words_and_dutch_time(client, auth, world, db):
    """A coordinator reads "6 december 2026 14:05" (Amsterdam's clock, winter and
    summer), an English reader "December 6, 2026 at 2:05 PM"; the <time> element keeps
    the exact moment, and the day filters pick days on the same clock."""
    a = world.a
    for detail, at in (("winter", "2026-12-06 13:05:00"), ("summer", "2026-07-01 08:30:00"),
                       ("after midnight", "2026-12-06 23:30:00")):
        accounts.record(db, "round opened", a.users["coordinator"], a.id, detail)
        db.execute("update audit set at = ? where detail = ?", [at, detail])
    auth.login(a.emails["coordinator"])
    page = client.get(f"/p/{a.id}/audit").get_data(as_text=True)
    rows = {detail: row for row in _rows(page)
            for detail in ("winter", "summer", "after midnight") if detail in row}
    assert '<time datetime="2026-12-06T14:05:00+01:00">6 december 2026 14:05</time>' in rows[
        "winter"]
    assert '<time datetime="2026-07-01T10:30:00+02:00">1 juli 2026 10:30</time>' in rows[
        "summer"]
    assert ">7 december 2026 00:30</time>" in rows["after midnight"]
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:", page)   # no stored UTC text left
    assert "(UTC)" not in page
    # The 7th on a Dutch clock starts at 23:00 UTC on the 6th.
    seventh = client.get(f"/p/{a.id}/audit?since=2026-12-07&until=2026-12-07")
    assert [r for r in _rows(seventh.get_data(as_text=True)) if "round opened" in r] == [
        r for r in _rows(seventh.get_data(as_text=True)) if "after midnight" in r]
    sixth = _rows(client.get(f"/p/{a.id}/audit?since=2026-12-06&until=2026-12-06")
                  .get_data(as_text=True))
    assert any("winter" in r for r in sixth) and not any("after midnight" in r for r in sixth)
    client.get("/lang/en")
    english = client.get(f"/p/{a.id}/audit").get_data(as_text=True)
    assert ">December 6, 2026 at 2:05\u202fPM</time>" in english

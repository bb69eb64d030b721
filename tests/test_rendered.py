"""Rendered report parts kept in SQLite (scan.rendered, scan.web.fragments).

A kept body must never show what is no longer so: a new release, a renamed
partner, another language or a new version of the app each get a body of their
own, and a page keeps one row per language and role however often it changes.
A database too busy to keep a body still serves the page.
"""

from __future__ import annotations

import re
import sqlite3

from answers import answer
from conftest import PASSWORD, Respondent

from scan import create_app, partners, releases, rounds
from scan.web import pages, reports

K = 3


def _page(world) -> str:
    return f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"


def _three_more_and_a_release(world, db, partner: int, role: str, values: int) -> None:
    """K more people of one partner and role send in the same answers; a release follows."""
    links = {(x["partner_id"], x["role"]): x["id"] for x in rounds.links(db, world.a.round)}
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for _ in range(K):
        answer(db, world.a.round, links[(partner, role)], sets,
               ("", role, (values, values), (values, values, values), ""))
    assert releases.release(db, world.a.round, sets, K)


def _kept(db) -> list[tuple]:
    return db.execute("select page, variant from rendered_fragment order by variant").fetchall()


def test_each_language_keeps_its_own_body_and_a_change_replaces_it(client, auth, world, db,
                                                                   scored):
    auth.login(world.a.emails["viewer"])
    dutch = client.get(_page(world)).get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get(_page(world)).get_data(as_text=True)
    assert "Waar we staan" in dutch and "Where we stand" in english
    assert "Where we stand" not in dutch and "Waar we staan" not in english
    page = f"report {world.a.round} mini"
    assert _kept(db) == [(page, "en viewer"), (page, "nl viewer")]
    for n in range(3):   # renamed three times: still one row per language
        partners.update_partner(db, world.a.id, world.a.school, f"Kindcentrum {n}", "school", "vo")
        assert f"Kindcentrum {n}" in client.get(_page(world)).get_data(as_text=True)
    assert _kept(db) == [(page, "en viewer"), (page, "nl viewer")]


def test_a_new_release_shows_at_once_in_every_worker(app_config, client, auth, world, db, scored):
    auth.login(world.a.emails["viewer"])
    assert "(n=8)" in client.get(_page(world)).get_data(as_text=True)
    other = create_app(app_config).test_client()   # a second worker, its own cache
    other.post("/login", data={"email": world.a.emails["viewer"],
                               "password": "correct horse battery"})
    assert "(n=8)" in other.get(_page(world)).get_data(as_text=True)
    _three_more_and_a_release(world, db, world.a.school, "schoolopleider", 4)
    everyone = 'Alle respondenten <span class="muted">(n={})</span>'
    for worker in (client, other):
        html = worker.get(_page(world)).get_data(as_text=True)
        # (The school side now counts 8, as everyone did before.)
        assert everyone.format(11) in html and everyone.format(8) not in html


def test_a_new_version_of_the_app_renders_again(app, client, auth, world, db, scored,
                                                monkeypatch):
    auth.login(world.a.emails["viewer"])
    client.get(_page(world))
    (before,) = db.execute("select digest from rendered_fragment").fetchone()
    rendered = []
    body = reports._report_body
    monkeypatch.setattr(reports, "_report_body",
                        lambda *args: rendered.append(1) or body(*args))
    client.get(_page(world))
    assert rendered == []   # the same version reads the kept body
    app.extensions["samenscan.build"] = "another version"
    client.get(_page(world))
    assert rendered == [1]
    (after,) = db.execute("select digest from rendered_fragment").fetchone()
    assert after != before and len(_kept(db)) == 1


def test_a_busy_database_still_serves_the_report(app, client, auth, world, db, scored):
    auth.login(world.a.emails["viewer"])
    writer = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    writer.execute("begin immediate")   # someone else holds the write lock
    try:
        response = client.get(_page(world))
    finally:
        writer.execute("rollback")
        writer.close()
    assert response.status_code == 200
    assert "(n=8)" in response.get_data(as_text=True)
    assert _kept(db) == []   # not kept this time; the next reader keeps it
    client.get(_page(world))
    assert len(_kept(db)) == 1


def test_the_years_page_follows_a_new_release(client, auth, world, db, scored):
    auth.login(world.a.emails["coordinator"])
    page = f"/p/{world.a.id}/years/mini"
    assert "(n=8)" in client.get(page).get_data(as_text=True)
    _three_more_and_a_release(world, db, world.a.institute, "instituutsopleider", 1)
    html = client.get(page).get_data(as_text=True)
    assert "(n=11)" in html and "(n=8)" not in html


def test_a_kept_years_page_reads_no_report(client, auth, world, db, scored, monkeypatch):
    """Once kept, the years page is served from what was kept: no year's report is
    read again (the page around it needs only which releases there are)."""
    auth.login(world.a.emails["coordinator"])
    page = f"/p/{world.a.id}/years/mini"
    first = client.get(page).get_data(as_text=True)

    def read_again(*_args, **_kwargs):
        raise AssertionError("read a year's report again")

    monkeypatch.setattr(reports, "report_of", read_again)
    assert client.get(page).get_data(as_text=True) == first


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def test_a_kept_report_page_carries_each_readers_own_working_form_token(
        app_config, world, db, scored):
    """The page around the body is kept per worker (scan.web.pages); each reader still
    gets the CSRF token of their own session, and it works for the page's forms."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    tokens = []
    for person in ("coordinator", "facilitator", "coordinator"):
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": world.a.emails[person], "password": PASSWORD,
                                    "csrf_token": _csrf(login)})
        page = client.get(_page(world)).get_data(as_text=True)
        assert pages.PLACEHOLDER not in page
        tokens.append(_csrf(page))
        agenda = client.post(f"{_page(world)}/agenda", data={"csrf_token": tokens[-1]})
        assert agenda.status_code == 302, person   # the agenda form accepted its token
    assert len(set(tokens)) == 3
    assert len(app.extensions["samenscan.pages"]) == 2   # one kept page per role, not per reader


def test_a_kept_report_page_follows_a_new_start_and_shows_a_flashed_message(
        client, auth, world, db, scored, app):
    auth.login(world.a.emails["coordinator"])
    before = client.get(_page(world)).get_data(as_text=True)
    started = re.search(r"\((\d+) begonnen\)", before)[1]
    Respondent(app, world.a.links[0]["token"]).start()   # the response table changes
    after = client.get(_page(world)).get_data(as_text=True)
    assert re.search(r"\((\d+) begonnen\)", after)[1] == str(int(started) + 1)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Een bericht voor deze pagina")]
    assert "Een bericht voor deze pagina" in client.get(_page(world)).get_data(as_text=True)
    assert "Een bericht voor deze pagina" not in client.get(_page(world)).get_data(as_text=True)

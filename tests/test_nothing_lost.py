"""Nothing lost at the edges: refused pages keep what was typed, start-up tells the
truth, edited question sets leave old rounds alone (issue "Nothing lost, ever")."""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest
from answers import answer, released_report

from scan import create_app, responses, rounds
from scan.question_files import QuestionFileError, load_catalogue

DATA = Path(__file__).parent / "data" / "questions"


def _csrf_app(app_config):
    return create_app({**app_config, "WTF_CSRF_ENABLED": True})


def _start(client, token):
    landing = client.get(f"/s/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', landing)[1]
    response = client.post(f"/s/{token}", data={"csrf_token": csrf})
    return response.location.split("/r/")[1].split("/")[0]


def _key(phone, resume: str) -> str:
    page = phone.get(f"/r/{resume}/p/0").get_data(as_text=True)
    return re.search(r'name="key" value="([^"]+)"', page)[1]


def test_a_phone_that_lost_its_cookies_still_saves_its_page(app_config, world, db):
    app = _csrf_app(app_config)
    phone = app.test_client()
    resume = _start(phone, world.a.token)
    key = _key(phone, resume)
    phone.delete_cookie("session")        # the browser dropped every cookie
    phone.delete_cookie(f"resume_{world.a.round}")
    saved = phone.post(f"/r/{resume}/p/0", data={"page": "kennismaken", "next": "1",
                                                  "mini-k-1": "3", "mini-k-2": "4",
                                                  "key": key})
    assert saved.status_code == 302
    assert db.execute("select count(*) from answer").fetchone()[0] == 2


def test_a_page_refused_for_its_key_comes_back_with_the_answers(app_config, world, db):
    app = _csrf_app(app_config)
    resume = _start(app.test_client(), world.a.token)
    other_device = app.test_client()   # a stale or foreign form: no key
    refused = other_device.post(f"/r/{resume}/p/0", data={
        "page": "kennismaken", "next": "1", "mini-k-1": "3", "mini-k-2": "4",
        "comment": "Wat ik net typte"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Wat ik net typte" in html and 'checked id="mini-k-1-2"' in html
    assert db.execute("select count(*) from answer").fetchone()[0] == 0
    key = re.search(r'name="key" value="([^"]+)"', html)[1]
    again = other_device.post(f"/r/{resume}/p/0", data={
        "page": "kennismaken", "next": "1", "mini-k-1": "3", "mini-k-2": "4", "key": key})
    assert again.status_code == 302   # pressing again on the page shown saves it


def test_a_json_body_on_a_respondent_page_is_refused_not_a_500(app_config, world, db):
    app = _csrf_app(app_config)
    client = app.test_client()
    resume = _start(client, world.a.token)
    for body in ("5", '"abc"', "[1]", '{"mini-k-1": "3"}'):
        response = client.post(f"/r/{resume}/p/0", data=body,
                               content_type="application/json")
        assert response.status_code == 400
    assert db.execute("select count(*) from answer").fetchone()[0] == 0


def test_a_respondent_removed_under_a_request_is_gone_not_an_error(world, db):
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    token = responses.start(db, world.a.round, world.a.link)
    person = responses.respondent(db, token)
    db.execute("delete from respondent where id = ?", [person["id"]])
    page = responses.pages(sets)[0]
    with pytest.raises(responses.Gone):
        responses.save_page(db, person["id"], world.a.round, page, {}, "")
    with pytest.raises(responses.Gone):
        responses.submit(db, person["id"], responses.pages(sets))


def test_a_duplicate_key_in_a_question_file_is_an_error_with_its_line(tmp_path):
    text = (DATA / "mini.yaml").read_text()
    doubled = text.replace("    items:\n", "    items: []\n    items:\n", 1)
    (tmp_path / "mini.yaml").write_text(doubled)
    with pytest.raises(QuestionFileError) as error:
        load_catalogue(tmp_path)
    line = doubled.splitlines().index("    items:") + 1
    assert any(p.line == line and "appears twice" in p.message for p in error.value.problems)


def test_a_duplicate_item_id_points_at_its_own_line(tmp_path):
    text = (DATA / "mini.yaml").read_text()
    doubled = text.replace("id: mini-a-2", "id: mini-a-1")
    (tmp_path / "mini.yaml").write_text(doubled)
    with pytest.raises(QuestionFileError) as error:
        load_catalogue(tmp_path)
    lines = [n + 1 for n, line in enumerate(doubled.splitlines()) if "id: mini-a-1" in line]
    assert [p.line for p in error.value.problems if "item id" in p.message] == [lines[1]]


def test_an_edited_set_leaves_an_old_round_alone(member_client, world, db):
    """The round asked a1 and a2 only: report, export and years page all use those."""
    import json

    db.execute("update round_set set item_ids = ? where round_id = ?",
               [json.dumps(["mini-k-1", "mini-k-2", "mini-a-1", "mini-a-2"]), world.a.round])
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    assert [i.id for i in sets[0].items] == ["mini-k-1", "mini-k-2", "mini-a-1", "mini-a-2"]
    for values in ((1, 2), (3, 4), (2, 2)):
        answer(db, world.a.round, world.a.link, sets, ("", "", (2, 3), values, ""))
    report = released_report(db, world.a.round, world.catalogue)
    assert report.overall.means["afstemmen"] == pytest.approx(14 / 6)
    summary = member_client.get(
        f"/p/{world.a.id}/rounds/{world.a.round}/export/mini-summary.csv").get_data(
        as_text=True)
    assert re.search(r'"Alle respondenten";"Alle respondenten";"3";"2,333";[^\n]*;"mini";'
                     r'"afstemmen";"all";"all"', summary)
    years = member_client.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    assert "2,33" in years.split("<tbody>")[1]


@pytest.fixture
def member_client(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def test_a_database_the_app_cannot_write_stops_the_start(app_config, monkeypatch):
    """Tests run as root, who may write anything; the operating system's answer for an
    ordinary service user is what os.access gives, so that is what is simulated."""
    import scan

    monkeypatch.setattr(scan.os, "access", lambda path, mode: False)
    with pytest.raises(RuntimeError, match="read-only"):
        create_app(app_config)


def _read_key(folder: str, queue) -> None:
    from scan import _secret_key

    queue.put(_secret_key(Path(folder)))


def test_processes_starting_together_all_read_the_same_full_secret_key(tmp_path):
    context = multiprocessing.get_context("fork")
    for attempt in range(5):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        queue = context.Queue()
        workers = [context.Process(target=_read_key, args=(str(folder), queue))
                   for _n in range(6)]
        for w in workers:
            w.start()
        keys = {queue.get(timeout=30) for _w in workers}
        for w in workers:
            w.join()
        assert len(keys) == 1 and len(keys.pop()) == 64


def test_an_empty_secret_key_file_is_an_error_at_start(app_config):
    instance = Path(app_config["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "secret_key").write_text("")
    with pytest.raises(RuntimeError, match="no usable secret key"):
        create_app(app_config)

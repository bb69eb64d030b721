"""What a crash or a restore at the wrong moment leaves behind (docs/production.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from answers import PEOPLE, answer

from scan import releases, rounds


def _people(world, db, count: int, start: int = 0) -> None:
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for n in range(start, start + count):
        answer(db, world.a.round, world.a.link, sets, PEOPLE[n % len(PEOPLE)])


def _status(client, world, status: str):
    return client.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/{status}")


def _respondents(client, world) -> int:
    body = client.get(f"/p/{world.a.id}/rounds/{world.a.round}/export.json").get_json()
    return body["sets"][0]["respondents"]


def _scan(app_config, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCAN_INSTANCE_PATH": app_config["INSTANCE_PATH"],
           "SCAN_DATABASE": app_config["DATABASE"], "SCAN_QUESTIONS": app_config["QUESTIONS"]}
    scan = Path(sys.executable).with_name("scan")
    return subprocess.run([str(scan), *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_after_a_forced_restore_the_running_app_serves_the_restored_numbers(
        app_config, client, auth, world, db, tmp_path):
    auth.login(world.a.emails["coordinator"])
    _people(world, db, 3)
    assert _status(client, world, "closed").status_code == 302
    assert _respondents(client, world) == 3
    assert _scan(app_config, "backup", str(tmp_path / "three.db")).returncode == 0
    # After the backup: three more, released and read (every cache of this app warm).
    _status(client, world, "open")
    _people(world, db, 3, start=3)
    _status(client, world, "closed")
    db.execute("update partnership set name = 'Hernoemd' where id = ?", [world.a.id])
    assert _respondents(client, world) == 6
    assert "Hernoemd" in client.get(f"/p/{world.a.id}/").get_data(as_text=True)
    # The app runs on; the backup goes back under it.
    restored = _scan(app_config, "restore", "--yes", "--force", str(tmp_path / "three.db"))
    assert restored.returncode == 0, restored.stderr
    page = client.get(f"/p/{world.a.id}/").get_data(as_text=True)
    assert "Hernoemd" not in page and "Partnerschap A" in page
    assert _respondents(client, world) == 3
    # The restored database goes on: its next release reuses the row ids the app read
    # before the restore, and must still show its own numbers.
    _status(client, world, "open")
    _people(world, db, 4, start=6)
    _status(client, world, "closed")
    assert _respondents(client, world) == 7


def test_closing_and_releasing_happen_together_or_not_at_all(client, auth, world, db,
                                                             monkeypatch):
    auth.login(world.a.emails["coordinator"])
    _people(world, db, 3)

    def stopped(*_args, **_kwargs):
        raise SystemExit("worker stopped")   # as a worker killed between the two steps

    monkeypatch.setattr(releases, "release", stopped)
    with pytest.raises(SystemExit):
        _status(client, world, "closed")
    monkeypatch.undo()
    assert rounds.round_of(db, world.a.id, world.a.round)["status"] == "open"
    assert releases.held_back(db, world.a.round) == 3
    assert _status(client, world, "closed").status_code == 302
    assert _respondents(client, world) == 3


def test_a_round_closed_without_its_release_is_complete_at_the_next_read(client, auth, world,
                                                                        db):
    """Closed, reopened and closed again by an older version that stopped before the
    second release: the last batch shows at the next read of the report."""
    auth.login(world.a.emails["coordinator"])
    _people(world, db, 3)
    _status(client, world, "closed")
    _status(client, world, "open")
    _people(world, db, 3, start=3)
    rounds.set_status(db, world.a.round, "closed")   # closed, and then the worker died
    assert releases.held_back(db, world.a.round) == 3
    assert _respondents(client, world) == 6
    assert releases.held_back(db, world.a.round) == 0
    page = client.get(f"/p/{world.a.id}/rounds/{world.a.round}").get_data(as_text=True)
    assert "new people" not in page


def test_init_db_completes_a_round_closed_without_its_release(app_config, client, auth, world,
                                                              db):
    auth.login(world.a.emails["coordinator"])
    _people(world, db, 3)
    _status(client, world, "closed")
    _status(client, world, "open")
    _people(world, db, 3, start=3)
    rounds.set_status(db, world.a.round, "closed")
    result = _scan(app_config, "init-db")
    assert result.returncode == 0, result.stderr
    assert "Released the results of 1 closed rounds" in result.stdout
    assert releases.held_back(db, world.a.round) == 0


@pytest.mark.parametrize("error", ["database or disk is full", "database is locked"])
def test_a_database_error_keeps_what_a_respondent_typed_and_says_so(respondent, db,
                                                                   monkeypatch, error):
    import sqlite3

    from scan import responses

    respondent.start()
    respondent.client.set_cookie("lang", "en")

    def failing(*_args, **_kwargs):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(responses, "save_page", failing)
    response = respondent.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "0"},
                               comment="Goed begin, mooi")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "could not store this page just now" in html
    assert "Goed begin, mooi" in html
    assert re.search(r'<input checked [^>]*name="mini-k-1"[^>]*value="3"', html)
    monkeypatch.undo()
    assert respondent.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "0"}).status_code == 302


def test_a_database_error_at_sending_in_says_so(respondent, db, monkeypatch):
    import sqlite3

    from scan import responses

    respondent.start()
    respondent.client.set_cookie("lang", "en")
    respondent.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "0"})
    respondent.save(1, "afstemmen", {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "1"})

    def failing(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(responses, "submit", failing)
    response = respondent.submit()
    assert response.status_code == 503
    assert "Every page you saved is safe" in response.get_data(as_text=True)


def test_a_database_error_anywhere_else_is_a_page_that_says_what_to_do(respondent, monkeypatch):
    import sqlite3

    from scan import responses

    respondent.start()
    respondent.client.set_cookie("lang", "en")

    def failing(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(responses, "respondent", failing)
    response = respondent.page(0)
    assert response.status_code == 503
    assert "your browser still has what you typed" in response.get_data(as_text=True)

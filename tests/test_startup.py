"""An app that cannot start says why in one sentence, not with a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _env(tmp_path, database: Path) -> dict:
    return {**os.environ, "SCAN_INSTANCE_PATH": str(tmp_path / "instance"),
            "SCAN_DATABASE": str(database)}


@pytest.fixture
def not_a_database(tmp_path) -> Path:
    path = tmp_path / "samenscan.db"
    path.write_bytes(b"this is no SQLite file at all, only text " * 200)
    return path


@pytest.fixture
def empty_key(tmp_path) -> Path:
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "secret_key").write_text("")
    return tmp_path / "fine.db"


@pytest.mark.parametrize(("case", "says"), [
    ("not_a_database", "cannot open the database"),
    ("empty_key", "holds no usable secret key"),
])
def test_scan_says_why_it_will_not_start(request, tmp_path, case, says):
    database = request.getfixturevalue(case)
    result = subprocess.run([str(BIN / "scan"), "init-db"], env=_env(tmp_path, database),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Samenscan cannot start: " in result.stderr and says in result.stderr
    assert "Traceback" not in result.stderr


def test_gunicorn_stops_with_the_sentence_instead_of_restarting_workers(tmp_path,
                                                                        not_a_database):
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", "127.0.0.1:0",
         "--no-control-socket", "scan:create_app()"],
        env=_env(tmp_path, not_a_database), capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "cannot open the database" in result.stderr
    # No traceback of ours. (When both workers stop at the same moment, gunicorn's own
    # arbiter may print its HaltServer with a traceback of gunicorn's code only.)
    assert "StartupRefused" not in result.stderr
    assert f"{os.sep}scan{os.sep}" not in result.stderr.replace("/tmp", "")

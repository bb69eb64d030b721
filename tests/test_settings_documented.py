"""Every setting the code reads is in README.md's settings table (as datasette's
test_docs does for its settings): an operator finds each one there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
READ = re.compile(r"""config(?:\.get\(|\.setdefault\(|\[)\s*["']([A-Z][A-Z_]+)["']""")
# Set by the framework or only by tests, never by an operator.
NOT_SETTINGS = {"BABEL_DEFAULT_LOCALE", "TESTING", "INSTANCE_PATH"}


def _read_by_the_code() -> set[str]:
    found = set()
    for path in (ROOT / "scan").rglob("*.py"):
        found |= set(READ.findall(path.read_text()))
    return found - NOT_SETTINGS


def _documented() -> set[str]:
    text = (ROOT / "README.md").read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `SCAN_([A-Z_]+)`", text, re.M))


def test_every_setting_the_code_reads_is_in_the_readme_table():
    assert _read_by_the_code() - _documented() == set()


def test_the_table_names_no_setting_the_code_ignores():
    # SECRET_KEY is read by Flask itself; INSTANCE_PATH by create_app from the environment.
    # PERMANENT_SESSION_LIFETIME is read through Flask's app.permanent_session_lifetime.
    assert _documented() - _read_by_the_code() - {"SECRET_KEY", "INSTANCE_PATH",
                                                  "PERMANENT_SESSION_LIFETIME"} == set()


def test_the_check_finds_settings():
    assert {"JOIN_LIMIT", "POLL_LIMIT", "START_LIMIT", "DATABASE"} <= _read_by_the_code()

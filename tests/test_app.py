"""Settings, the secret key, languages and error pages."""

import gettext
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from scan import create_app

ROOT = Path(__file__).resolve().parents[1]


def test_the_secret_key_is_made_once_and_shared(app_config):
    config = {k: v for k, v in app_config.items() if k != "SECRET_KEY"}
    first, second = create_app(config), create_app(config)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    key_file = Path(app_config["INSTANCE_PATH"]) / "secret_key"
    assert key_file.read_text().strip() == first.config["SECRET_KEY"]
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def test_settings_come_from_scan_environment_variables(app_config, monkeypatch):
    monkeypatch.setenv("SCAN_ANONYMITY_THRESHOLD", "5")
    monkeypatch.setenv("SCAN_SECRET_KEY", "from-the-environment")
    config = {k: v for k, v in app_config.items() if k != "SECRET_KEY"}
    app = create_app(config)
    assert app.config["ANONYMITY_THRESHOLD"] == 5
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_dutch_by_default_english_on_request(client, world):
    assert '<html lang="nl">' in client.get("/login").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    assert client.get("/lang/fr").status_code == 404


def test_the_language_switch_only_goes_back_to_our_own_pages(client):
    assert client.get("/lang/en?next=https://evil.example/").location == "/"
    assert client.get("/lang/en?next=//evil.example/").location == "/"
    assert client.get("/lang/en?next=/login").location == "/login"


@pytest.mark.parametrize("lang, text", [("nl", "bestaat niet"), ("en", "does not exist")])
def test_errors_speak_the_users_language(client, lang, text):
    client.get(f"/lang/{lang}")
    response = client.get("/no/such/page")
    assert response.status_code == 404 and text in response.get_data(as_text=True)


def test_a_missing_csrf_token_is_refused_in_the_users_language(app_config, world):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    response = app.test_client().post(f"/s/{world.a.token}")
    assert response.status_code == 400
    assert "formulier" in response.get_data(as_text=True)


def test_csrf_tokens_do_not_expire_under_a_respondent(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_every_text_in_the_code_has_a_dutch_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(ROOT / ".venv" / "bin" / "pybabel"), "-q", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-o", str(pot),
                    str(ROOT)], check=True, cwd=ROOT)
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with (ROOT / "scan/translations/nl/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert wanted - translated == set()


def test_the_compiled_catalogue_matches_the_translations():
    """The app reads the .mo; it must say what the .po says (`make translations`)."""
    po = ROOT / "scan/translations/nl/LC_MESSAGES/messages.po"
    expected = {}
    with po.open("rb") as f:
        for m in read_po(f):
            if not m.id or not m.string or m.fuzzy:
                continue
            if m.pluralizable:   # the .mo keys plural forms as (singular, n)
                expected.update({(m.id[0], n): text for n, text in enumerate(m.string)})
            else:
                expected[m.id] = m.string
    with po.with_suffix(".mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    assert {k: v for k, v in compiled.items() if k} == expected


def test_readme_quick_start_has_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^    (make \w+)", quick, flags=re.M)
    assert commands == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_command_and_setting_is_documented(app):
    readme = (ROOT / "README.md").read_text()
    for command in ["run", "init-db", "demo", "check", "create-user", "backup", "restore"]:
        assert f"`scan {command}" in readme, command
    for setting in ["DATABASE", "SECRET_KEY", "QUESTIONS", "ANONYMITY_THRESHOLD", "PROXY_FIX",
                    "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD",
                    "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_SENDER"]:
        assert f"SCAN_{setting}" in readme, setting

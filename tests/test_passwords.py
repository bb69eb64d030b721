"""Passwords attackers try first are refused, in Dutch as in English (scan.passwords)."""

from __future__ import annotations

import pytest

from scan import passwords
from scan.demo import DEMO_PASSWORD


@pytest.mark.parametrize("password", [
    "Password1234!", "Welkom01Welkom01", DEMO_PASSWORD, "Demo-Samenscan2026", "wachtwoord2026",
    "Zomervakantie2025", "Voetbal123456", "qwertyuiop123", "P@ssw0rd2026!", "Welkom2026!!!",
    "iloveyou1234", "Samenscan2026!",
])
def test_what_attackers_try_first_is_refused(password):
    assert passwords.problem(password, "jan.de.vries@school.nl") == "common"


@pytest.mark.parametrize("password", [
    "correct horse battery", "leerlingen gaan naar huis", "kX9#mq2!vL0pTz",
    "paarse giraf op de fiets",
])
def test_long_unlikely_passwords_pass(password):
    assert passwords.problem(password, "jan.de.vries@school.nl") is None


def test_the_lists_behind_it_are_large_and_dutch():
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    assert len(FREQUENCY_LISTS["passwords"]) >= 10_000
    dutch = passwords.dutch_words()
    assert len(dutch) >= 10_000
    assert {"welkom", "wachtwoord", "voetbal", "zomer", "school", "leraar"} <= set(dutch)


def test_the_dutch_list_carries_its_licence_and_attribution():
    """wordfreq's data are CC BY-SA 4.0: the list taken from them says so, credits
    Robyn Speer and the sources wordfreq asks to be credited, and holds only words."""
    import importlib.resources

    text = (importlib.resources.files("scan") / "dutch_words.txt").read_text()
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for needed in ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/",
                   "wordfreq", "Robyn Speer", "SUBTLEX-NL", "Keuleers", "OpenSubtitles",
                   "freely available"):
        assert needed in header, needed
    assert all(word.isalpha() for word in passwords.dutch_words())


def test_a_new_password_like_the_demos_is_refused_on_the_page(client, auth, world):
    auth.login(world.a.emails["viewer"])
    client.set_cookie("lang", "en")
    response = client.post("/account/password", data={
        "current": "correct horse battery", "new": DEMO_PASSWORD, "repeat": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "attackers try" in response.get_data(as_text=True)

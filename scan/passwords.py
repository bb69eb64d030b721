"""What makes a password acceptable, and the dummy hash that keeps sign-in timing even.

The rules follow NIST SP 800-63B: long rather than complex, never the e-mail
address or the password it replaces, and never one of the passwords attackers
try first. What attackers try first is judged by zxcvbn (PyPI, maintained; the
estimator Dropbox published): it ranks a password against the 30,000 most common
passwords of the leaked-password lists, English words and names, and here also
the 15,000 most frequent Dutch words (dutch_words.txt, from wordfreq), and sees
through the usual disguises (Welkom01Welkom01, P@ssw0rd2026!, keyboard runs,
years and dates). A password it expects to fall within 10^8 guesses (score
below 3) is refused. The short bundled list (common_passwords.txt) keeps the
service's own words out, among them the demo's password.

zxcvbn was chosen over a bare list: a list of the top 10,000 holds few of 12
characters or more, while attackers try the same words with digits and symbols
around them, which zxcvbn counts as the few guesses they are.
"""

from __future__ import annotations

import importlib.resources
import threading
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 200   # hashing a megabyte of "password" costs a worker for nothing
ENOUGH_SCORE = 3   # zxcvbn: 3 is "safely unguessable", over 10^8 guesses
ESTIMATED_LENGTH = 72   # zxcvbn refuses longer; the first 72 characters tell enough
SERVICE_WORDS = ("samenscan", "demo", "opleidingsschool", "zelfscan", "scan")
# zxcvbn keeps the words of the call in a module-level dictionary: one call at a time.
_estimating = threading.Lock()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = (importlib.resources.files("scan") / "common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def dutch_words() -> list[str]:
    text = (importlib.resources.files("scan") / "dutch_words.txt").read_text()
    return [line.strip() for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def _estimator():
    """zxcvbn with the Dutch words added to its dictionaries (once per process)."""
    from zxcvbn import matching, zxcvbn

    matching.add_frequency_lists({"dutch": dutch_words()})
    return zxcvbn


def guessable(password: str, email: str = "") -> bool:
    """True when zxcvbn expects the password to fall within 10^8 guesses, knowing the
    person's e-mail address and the service's own words."""
    inputs = [*SERVICE_WORDS, email, *email.replace("@", ".").split(".")]
    with _estimating:
        result = _estimator()(password[:ESTIMATED_LENGTH], user_inputs=[i for i in inputs if i])
    return result["score"] < ENOUGH_SCORE


def problem(password: str, email: str = "", current_hash: str | None = None) -> str | None:
    """None when acceptable, else a code for what is wrong (the web layer words it)."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    lowered = password.lower()
    local = email.lower().split("@")[0]
    if email and (lowered == email.lower() or (len(local) >= 4 and local in lowered)):
        return "email"
    if (lowered in common_passwords() or _letters(lowered) in _common_letters()
            or len(set(lowered)) <= 2 or guessable(password, email)):
        return "common"
    if current_hash and check_password_hash(current_hash, password):
        return "same"
    return None


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


@lru_cache(maxsize=1)
def _common_letters() -> frozenset[str]:
    """The bundled list without digits and symbols: "Demo-Samenscan2026!" is still
    the demo's password to anyone who has read the README."""
    return frozenset(filter(None, (_letters(p) for p in common_passwords())))


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to check against when an address is unknown, so that takes as long."""
    return generate_password_hash("no account has this password, ever")

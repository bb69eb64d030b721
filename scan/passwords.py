"""What makes a password acceptable, and the dummy hash that keeps sign-in timing even.

The rules follow NIST SP 800-63B: long rather than complex, never the e-mail
address or the password it replaces, and never one of the passwords attackers
try first. The list of those is short and bundled (common_passwords.txt):
with 12 characters at least, the usual top lists shrink to what it holds.
"""

from __future__ import annotations

import importlib.resources
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 200   # hashing a megabyte of "password" costs a worker for nothing


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = (importlib.resources.files("scan") / "common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


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
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        return "common"
    if current_hash and check_password_hash(current_hash, password):
        return "same"
    return None


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to check against when an address is unknown, so that takes as long."""
    return generate_password_hash("no account has this password, ever")

"""The optional second factor (tweede factor): a six-digit code from an authenticator app.

Coordinators can download row-level answers and administrators reset anyone's
password, so a stolen password alone should not be enough for them. TOTP
(RFC 6238, pyotp) needs no phone number and no mail: the person scans a QR code
once into any authenticator app. A code works once (the time step used is
stored), and the code of the step before or after is accepted for clocks that
drift.
"""

from __future__ import annotations

import time

import pyotp
from sqlite_utils import Database

from scan.database import immediate

ISSUER = "Samenscan"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, step = pyotp.TOTP(secret), int(now // STEP_SECONDS)
    for candidate in (step, step - 1, step + 1):
        if totp.at(candidate * STEP_SECONDS) == code:
            return candidate
    return None


def code_fits(secret: str, code: str, now: float | None = None) -> bool:
    """For setting up: the app shows codes of this secret."""
    return _matching_step(secret, code, time.time() if now is None else now) is not None


def enable(db: Database, user_id: int, secret: str, code: str) -> bool:
    """Switch the second factor on, if the code shows the app has the secret."""
    step = _matching_step(secret, code, time.time())
    if step is None:
        return False
    with immediate(db):
        db.execute("update user set totp_secret = ?, totp_step = ? where id = ?",
                   [secret, step, user_id])
    return True


def disable(db: Database, user_id: int) -> None:
    with immediate(db):
        db.execute("update user set totp_secret = null, totp_step = 0 where id = ?", [user_id])


def check(db: Database, user_id: int, code: str) -> bool:
    """True once per code: the account's current code, never one used before."""
    with immediate(db):
        row = db.execute("select totp_secret, totp_step from user where id = ?",
                         [user_id]).fetchone()
        if row is None or not row[0]:
            return False
        step = _matching_step(row[0], code, time.time())
        if step is None or step <= row[1]:
            return False
        db.execute("update user set totp_step = ? where id = ?", [step, user_id])
    return True


def needed(db: Database, user: dict) -> bool:
    """Whether this account is one the setting requires a second factor of:
    administrators, and coordinators of any partnership."""
    if user["is_admin"]:
        return True
    return db.execute("select 1 from membership where user_id = ? and role = 'coordinator' "
                      "limit 1", [user["id"]]).fetchone() is not None

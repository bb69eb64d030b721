"""In Chromium: a coordinator sets up the second factor from the QR code on screen."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from browser import violations
from conftest import PASSWORD


def _decode(png) -> str:
    result = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _sign_in(page, url, email):
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_the_qr_code_on_screen_sets_up_the_second_factor(browser, live, world, tmp_path):
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg is missing (Debian package zbar-tools; make browser installs it)")
    page = browser.new_page()
    _sign_in(page, live.url, world.a.emails["coordinator"])
    page.wait_for_url(f"{live.url}/")
    page.get_by_role("link", name="Tweede factor").click()
    assert violations(page) == []
    page.locator("#totp-qr svg").screenshot(path=str(tmp_path / "qr.png"))
    uri = _decode(tmp_path / "qr.png")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    assert parts.path.endswith(world.a.emails["coordinator"].replace("@", "%40"))
    secret = parse_qs(parts.query)["secret"][0]
    assert secret == page.locator("#totp-secret").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live.url}/")
    assert "De tweede factor staat aan" in page.content()
    # Signing in again now asks for the code.
    page.locator("button", has_text="Uitloggen").click()
    _sign_in(page, live.url, world.a.emails["coordinator"])
    page.wait_for_url(f"{live.url}/login/code")
    assert violations(page) == []
    code = pyotp.TOTP(secret).at(time.time() + 30)   # the next step: not used yet
    page.fill("#code", code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live.url}/")
    assert re.search(r"Partnerschap A", page.content())

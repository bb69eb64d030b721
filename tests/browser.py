"""Shared pieces for the real-browser tests: a live server and Debian's Chromium."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class LiveServer:
    """The app served on a free local port in a background thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


def launch_chromium(playwright):
    """Chromium, or a skip; in CI (CI=true) a browser that does not start is a failure."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - report why the browser did not start
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium did not start: {exc}")
        pytest.skip(f"Chromium did not start: {exc}")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def sign_in(page, url: str, email: str) -> None:
    """Sign in with the demo password, as a person would on the login page."""
    from scan.demo import DEMO_PASSWORD

    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/")


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, as 'rule: target' lines.

    axe runs with every rule of those tags, as before, but reports the details of
    violations only (`resultTypes`) and hands back only them: by default it described
    every passing node too and sent it all over the wire, half of an audit's CPU."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    found = page.evaluate("""options => axe.run(document, options).then(results =>
        results.violations.map(v => [v.id, v.nodes.map(n => n.target)]))""",
                          {**WCAG, "resultTypes": ["violations"]})
    return [f"{rule}: {target}" for rule, targets in found for target in targets]


ZBARIMG = "/usr/bin/zbarimg"


def decode_qr(locator) -> list[str]:
    """What a real QR decoder (zbar's zbarimg) reads from a screenshot of the element:
    the code as the browser drew it, not the markup the server sent."""
    import subprocess
    import tempfile

    if not Path(ZBARIMG).exists():
        message = f"{ZBARIMG} is missing (apt-get install zbar-tools)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with tempfile.TemporaryDirectory() as folder:
        shot = Path(folder) / "qr.png"
        locator.screenshot(path=str(shot))
        found = subprocess.run([ZBARIMG, "--quiet", "--raw", str(shot)],
                               capture_output=True, text=True, check=False)
    return found.stdout.splitlines()


def drawn(image) -> bool:
    """The browser decoded and drew the `<img>` (a broken one has naturalWidth 0)."""
    image.evaluate("i => i.complete || new Promise(r => { i.onload = i.onerror = r; })")
    return image.evaluate("i => i.complete && i.naturalWidth > 0")

"""Phones (part of `make bench`; alone: `make bench-phone`): Lighthouse 12.2.3's mobile
preset on the demo's pages.

The demo is built in bench/out/phone/, served by gunicorn (2 sync workers, as in
production), and every page below is audited by Lighthouse with Debian's
Chromium: a mid-range phone, 4 x slower CPU, a throttled network (Lighthouse's
simulated throttling, its default). Signed-in pages get the session cookie of a
sign-in made here, as the demo's viewer. The table goes to bench/out/phone/results.md
(and the scores to results.json beside it), the raw reports to bench/out/phone/*.json;
`make bench` then writes it into docs/performance.md with the server table of the same
run (bench/record.py).

Settings (environment): CHROME_PATH (/usr/bin/chromium), PORT (8906), RUNS (1:
audits per page; with more, the median performance score's run is kept).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "phone"
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
# Report pages and the years page must reach this (issue 28); the other pages are shown.
AIM = 0.9
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync")
VIEWER = "stuurgroep@demo.samenscan.nl"
PORT = int(os.environ.get("PORT", "8906"))
BASE = f"http://127.0.0.1:{PORT}"


def scan_env() -> dict:
    return {**os.environ, "SCAN_INSTANCE_PATH": str(OUT / "instance"),
            "SCAN_DATABASE": str(OUT / "demo.db")}


def build_demo() -> dict:
    """A fresh demo, plus what a phone opens without an account: a live joint scoring
    session (its join page) and a respondent's first questionnaire page."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    bin_dir = Path(sys.executable).parent
    for command in (["init-db"], ["demo"]):
        subprocess.run([str(bin_dir / "scan"), *command], env=scan_env(), check=True,
                       stdout=subprocess.DEVNULL)
    os.environ.update({k: v for k, v in scan_env().items() if k.startswith("SCAN_")})
    from scan import create_app, responses, rounds, workshops
    from scan.database import connect

    app = create_app()
    db = connect(app.config["DATABASE"])
    open_round = next(r["id"] for r in db.query("select id from round where status = 'open'"))
    link = rounds.links(db, open_round)[0]
    joint = workshops.create(db, 1, "Bench: samen scoren", date.today(), 1, [],
                             set_id="samen-opleiden",
                             dimension_ids=("opleiden-visie", "opleiden-realisatie"))
    resume = responses.start(db, open_round, link["id"])
    pages = {"joint_token": workshops.workshop_of(db, 1, joint)["token"], "resume": resume,
             "group_token": link["token"]}
    db.conn.close()
    return pages


def serve() -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{PORT}", "--chdir",
                               str(ROOT), "scan:create_app()"], env=scan_env(),
                              stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/login", timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("bench-phone: the app did not start")


def session_cookie() -> str:
    """Sign in as the viewer, as a browser would (CSRF token from the form)."""
    from scan.demo import DEMO_PASSWORD

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{BASE}/login").read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', form)[1]
    body = urllib.parse.urlencode({"csrf_token": token, "email": VIEWER,
                                   "password": DEMO_PASSWORD}).encode()
    opener.open(f"{BASE}/login", data=body).close()
    cookies = {c.name: c.value for c in jar}
    if "session" not in cookies:
        raise SystemExit("bench-phone: signing in as the demo's viewer failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def pages(demo: dict) -> list[tuple[str, str, bool]]:
    """(what, path, signed in)."""
    return [
        ("round report, samen-opleiden", "/p/1/rounds/1/report/samen-opleiden", True),
        ("round report, leermechanismen", "/p/1/rounds/1/report/leermechanismen", True),
        ("years page, samen-opleiden", "/p/1/years/samen-opleiden", True),
        ("joint scoring, a phone joining", f"/w/{demo['joint_token']}", False),
        ("a group link's welcome page", f"/s/{demo['group_token']}", False),
        ("a respondent's first page", f"/r/{demo['resume']}/p/0", False),
    ]


def audit(path: str, cookie: str | None, name: str) -> dict:
    report = OUT / f"{name}.json"
    command = [str(LIGHTHOUSE), BASE + path, "--quiet", "--output=json",
               f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
               "--only-categories=performance,accessibility,best-practices"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, env=env, check=True)
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise SystemExit(f"bench-phone: Lighthouse failed on {path}: {result['runtimeError']}")
    final = result.get("finalDisplayedUrl") or result.get("finalUrl", "")
    if "/login" in final and "/login" not in path:
        raise SystemExit(f"bench-phone: {path} sent Lighthouse to the sign-in page")
    categories, audits = result["categories"], result["audits"]
    return {"performance": categories["performance"]["score"],
            "accessibility": categories["accessibility"]["score"],
            "best-practices": categories["best-practices"]["score"],
            "tbt": audits["total-blocking-time"]["numericValue"],
            "lcp": audits["largest-contentful-paint"]["numericValue"],
            "fcp": audits["first-contentful-paint"]["numericValue"],
            "bytes": audits["total-byte-weight"]["numericValue"]}


def table(rows: list[tuple[str, str, dict]], started: str) -> str:
    load = os.getloadavg()
    lines = [f"Lighthouse 12.2.3, mobile preset (simulated throttling), Chromium "
             f"{chromium_version()}, gunicorn 2 sync workers; run {started} UTC, load "
             f"average {load[0]:.1f} when it ended (2 cores: above 2 the CPU was shared, "
             "and Lighthouse's simulated phone is slower by as much).", "",
             "| page | performance | total blocking time | largest contentful paint | "
             "first contentful paint | transferred | accessibility | best practices |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for what, path, s in rows:
        shown = re.sub(r"/(w|s|r)/[^/]+", r"/\1/…", path)   # tokens are not for the docs
        lines.append(f"| {what} (`{shown}`) | "
                     f"{s['performance']:.2f} | {s['tbt']:,.0f} ms | {s['lcp'] / 1000:.1f} s | "
                     f"{s['fcp'] / 1000:.1f} s | {s['bytes'] / 1024:,.0f} KB | "
                     f"{s['accessibility']:.2f} | {s['best-practices']:.2f} |")
    return "\n".join(lines)


def chromium_version() -> str:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    out = subprocess.run([chrome, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\d+(?:\.\d+)+", out)
    return found[0] if found else "?"


def scores(rows: list[tuple[str, str, dict]]) -> dict:
    """What bench/record.py needs: each page's performance, and whether every report
    page and the years page reached the aim."""
    aimed = [s["performance"] for what, _path, s in rows
             if what.startswith(("round report", "years page"))]
    return {"pages": {what: s["performance"] for what, _path, s in rows},
            "aim": AIM, "lowest": min(aimed), "met": min(aimed) >= AIM}


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit("bench-phone: no Lighthouse; run `make bench` or `make bench-phone`")
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    demo = build_demo()
    server = serve()
    try:
        cookie = session_cookie()
        runs = int(os.environ.get("RUNS", "1"))
        rows = []
        for n, (what, path, signed_in) in enumerate(pages(demo)):
            tries = [audit(path, cookie if signed_in else None, f"page-{n}-{i}")
                     for i in range(runs)]
            median = statistics.median_low(t["performance"] for t in tries)
            rows.append((what, path, next(t for t in tries if t["performance"] == median)))
            print(f"{what}: {rows[-1][2]['performance']:.2f}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    text = table(rows, started)
    (OUT / "results.md").write_text(text + "\n")
    (OUT / "results.json").write_text(json.dumps(scores(rows), indent=1) + "\n")
    print(text)


if __name__ == "__main__":
    main()

"""Resident memory (RSS) of gunicorn workers after serving the demo's heavy pages.

A worker keeps things between requests (stored reports, kept pages and fragments,
the routed question sets, plotly's figure code), all bounded; this measures what a
worker holds once it has served every heavy page of the demo a few times: the round
reports and their sheets, the exports (CSV, Excel, JSON), the years pages, the joint
scoring pages and summaries, the dossier and its Word file.

It builds a fresh demo database in a temporary folder (`scan init-db`, `scan demo`),
starts gunicorn on it with sync workers as production does, signs in as the demo's
coordinator, finds the pages by following the links from the start page (and every
round's report from the database), requests each heavy page `--passes` times, and
reads VmRSS and VmHWM (the peak) from /proc/<pid>/status of every worker after boot,
after the walk and after each pass.

    .venv/bin/python bench/memory.py                 # 2 workers, 3 passes
    .venv/bin/python bench/memory.py --workers 1 --passes 5
    .venv/bin/python bench/memory.py --database bench/out/bench.db --most-pages 600

The aim (docs/performance.md, "Worker memory") is at most 120 MB per worker.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AIM_MB = 120
SIGN_IN = ("coordinator@demo.samenscan.nl", "demo-samenscan")
BENCH_USER = ("bench@samenscan.nl", "bench-samenscan")
# The pages that read or render the most: what the measurement repeats.
HEAVY = {
    "report": re.compile(r"/rounds/\d+/report/"),
    "sheet": re.compile(r"/rounds/\d+/sheet/"),
    "export": re.compile(r"/export"),
    "years": re.compile(r"/years/"),
    "joint": re.compile(r"/joint(/wall)?$"),
    "summary": re.compile(r"/summary"),
    "dossier": re.compile(r"/dossier"),
}
# Links never followed: they sign out, or change what is stored (a GET never should).
SKIP = re.compile(r"/logout|/lang/|/vendor/|/static/|\.(svg|png)$")
LINK = re.compile(r'href="(/[^"#]*)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--most-pages", type=int, default=1500,
                        help="at most this many pages in the walk")
    parser.add_argument("--database", type=Path,
                        help="a copy of this database instead of the demo (e.g. the bench's "
                             "bench/out/bench.db, signing in as its bench user)")
    parser.add_argument("--user", default=None,
                        help="email:password to sign in with (default: the demo's "
                             "coordinator, or the bench user with --database)")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database(folder: Path, source: Path | None) -> dict[str, str]:
    """A fresh demo in `folder`, or a copy of `source` there; returns the settings that
    point the app at it."""
    env = {**os.environ, "SCAN_INSTANCE_PATH": str(folder / "instance"),
           "SCAN_DATABASE": str(folder / "measured.db")}
    if source is not None:
        with sqlite3.connect(source) as original, \
                sqlite3.connect(folder / "measured.db") as copy:
            original.backup(copy)
    for command in (["init-db"], ["demo"])[:1 if source else 2]:
        subprocess.run([str(BIN / "scan"), *command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return env


class Browser:
    """One signed-in reader: a cookie jar and the pages it opens."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.answers: Counter = Counter()

    def get(self, path: str) -> tuple[int, str, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=120) as answer:
                found = answer.status, answer.headers.get_content_type(), answer.read()
        except urllib.error.HTTPError as error:
            found = error.code, "", b""
        self.answers[found[0]] += 1
        return found

    def sign_in(self, email: str, password: str) -> None:
        page = self.get("/login")[2].decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page)[1]
        data = urllib.parse.urlencode({"email": email, "password": password,
                                       "csrf_token": token}).encode()
        with self.opener.open(self.base + "/login", data=data, timeout=60) as answer:
            if "/login" in answer.url:
                raise SystemExit("the demo's coordinator could not sign in")


def walk(browser: Browser, most: int) -> list[str]:
    """Every page reachable from the start page by links (GET only), up to `most`."""
    seen, queue, pages = {"/"}, ["/"], []
    while queue and len(pages) < most:
        path = queue.pop(0)
        status, kind, body = browser.get(path)
        if status != 200:
            continue
        pages.append(path)
        if kind != "text/html":
            continue
        for link in LINK.findall(body.decode(errors="replace")):
            link = html.unescape(link)
            if link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)
    return pages


def round_reports(path: str) -> list[str]:
    """Every round's report of every set it asked: on a large database most are
    further from the start page than the walk goes."""
    with sqlite3.connect(path) as db:
        return [f"/p/{pid}/rounds/{rid}/report/{set_id}" for pid, rid, set_id in db.execute(
            "select r.partnership_id, r.id, s.set_id from round r "
            "join round_set s on s.round_id = r.id order by r.id, s.position")]


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(c) for c in children)


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB."""
    found = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                 .splitlines() if line.startswith(("VmRSS", "VmHWM")))
    return tuple(int(found[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))


def started(env: dict[str, str], workers_wanted: int, folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers_wanted), "-b", f"127.0.0.1:{port}",
         "--no-control-socket", "--error-logfile", str(folder / "gunicorn.log"),
         "scan:create_app()"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/login", timeout=2).close()
            if len(workers(server.pid)) == workers_wanted:
                return server, base
        except OSError:
            pass
        time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn did not start (see {folder / 'gunicorn.log'})")


def row(stage: str, pids: list[int]) -> tuple[str, list[tuple[float, float]]]:
    return stage, [memory(pid) for pid in pids]


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="samenscan-memory-") as name:
        folder = Path(name)
        env = database(folder, args.database)
        server, base = started(env, args.workers, folder)
        try:
            pids = workers(server.pid)
            rows = [row("after start", pids)]
            browser = Browser(base)
            user = (tuple(args.user.split(":", 1)) if args.user
                    else BENCH_USER if args.database else SIGN_IN)
            browser.sign_in(*user)
            pages = walk(browser, args.most_pages)
            rows.append(row(f"after the walk ({len(pages)} pages)", pids))
            heavy = [p for p in pages if any(r.search(p) for r in HEAVY.values())]
            heavy += [p for p in round_reports(env["SCAN_DATABASE"]) if p not in heavy]
            kinds = Counter(next(k for k, r in HEAVY.items() if r.search(p)) for p in heavy)
            for number in range(1, args.passes + 1):
                for path in heavy:
                    browser.get(path)
                rows.append(row(f"after heavy pass {number}", pids))
            assert workers(server.pid) == pids, "a worker was replaced during the run"
        finally:
            server.terminate()
            server.wait()
    print(f"{len(heavy)} heavy pages, each requested {args.passes} times: "
          + ", ".join(f"{n} {kind}" for kind, n in kinds.most_common()))
    print("answers: " + ", ".join(f"{n} × {status}" for status, n in
                                  sorted(browser.answers.items())))
    print(report(rows, len(pids)))


def report(rows: list, count: int) -> str:
    heads = " | ".join(f"worker {n} RSS (peak)" for n in range(1, count + 1))
    lines = [f"| stage | {heads} |", "|---" * (count + 1) + "|"]
    for stage, sizes in rows:
        cells = " | ".join(f"{rss:.0f} MB ({peak:.0f})" for rss, peak in sizes)
        lines.append(f"| {stage} | {cells} |")
    most = max(rss for _stage, sizes in rows for rss, _peak in sizes)
    verdict = "met" if most <= AIM_MB else "NOT met"
    lines.append(f"\nLargest worker: {most:.0f} MB; aim at most {AIM_MB} MB per worker: {verdict}.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

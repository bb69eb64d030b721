"""Profile one of the benchmark's request patterns in one process (cProfile).

Where `make bench` says how fast a route is beside the yardstick, this says where a
request's time goes: it opens the bench database (bench/out/bench.db, made by
`make bench`) with the app in this process, signs in as the bench user through the
real login form, makes the requests of one pattern through Flask's test client
(no gunicorn, no network) and prints the functions with the most cumulative time.

Patterns, as bench/run.sh measures them:
  again    the round report of round 17, read again and again
  change   a random round's report each time, its body kept (first view after a change)
  release  a random round's report each time, its body rendered (first view after a release)
  years    the years page of round 17's partnership
  poll       a phone's poll in joint scoring (no sign-in)
  projector  the projector's poll in joint scoring (signed in, with the live counts)

    .venv/bin/python bench/where_time_goes.py again --requests 500 --top 40
    .venv/bin/python bench/where_time_goes.py release --sort tottime
    .venv/bin/python bench/where_time_goes.py poll --redis --no-profile

Throttling is counted in memory unless --redis (a redis-server of its own on a free
port, started and stopped here, as bench/run.sh and production with several workers
count) or SCAN_RATELIMIT_STORAGE_URI says otherwise. The poll patterns need the bench's
joint session (bench/joint_session.py, which bench/run.sh adds).

The database is opened read-write as the bench server does (a report read may
keep its rendered body); run it on a copy to leave the bench's database alone.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from scan import create_app

ROOT = Path(__file__).resolve().parent.parent
ROUND, ROUNDS, YEARS = 17, 1000, 10
PATTERNS = ("again", "change", "release", "years", "poll", "projector")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", choices=PATTERNS)
    parser.add_argument("--database", default=str(ROOT / "bench/out/bench.db"))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-profile", action="store_true",
                        help="only the time per request, without the profiler's overhead")
    parser.add_argument("--redis", action="store_true",
                        help="count throttling in a redis-server started for this run")
    return parser.parse_args()


def report_path(rid: int) -> str:
    return f"/p/{(rid - 1) // YEARS + 1}/rounds/{rid}/report/samen-opleiden"


def signed_in(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page)[1]
    answer = client.post("/login", data={"email": "bench@samenscan.nl",
                                         "password": "bench-samenscan", "csrf_token": token})
    if answer.status_code != 302:
        raise SystemExit(f"the bench user could not sign in ({answer.status_code})")
    client.get("/")


def projector_path(database: str) -> str:
    import sqlite3

    with sqlite3.connect(database) as db:
        row = db.execute("select partnership_id, id from workshop where token = 'bench-joint'"
                         ).fetchone()
    if row is None:
        raise SystemExit("no bench joint session: run bench/joint_session.py (make bench does)")
    return f"/p/{row[0]}/workshops/{row[1]}/joint/state.json"


@contextmanager
def redis_server():
    """A redis-server of its own on a free port, as bench/run.sh starts one."""
    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("--redis needs Debian's redis-server")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1",
                                    "--save", "", "--appendonly", "no", "--dir", folder],
                                   stdout=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(10)


def paths(pattern: str, count: int, rng: random.Random, database: str = "") -> list[str]:
    if pattern == "again":
        return [report_path(ROUND)] * count
    if pattern in ("change", "release"):
        return [report_path(rng.randint(1, ROUNDS)) for _ in range(count)]
    if pattern == "years":
        return [f"/p/{(ROUND - 1) // YEARS + 1}/years/samen-opleiden"] * count
    if pattern == "projector":
        return [projector_path(database)] * count
    return ["/w/bench-joint/state.json"] * count


def main() -> None:
    args = parse_args()
    if not args.redis:
        run(args, os.environ.get("SCAN_RATELIMIT_STORAGE_URI"))
        return
    with redis_server() as url:
        run(args, url)


def run(args: argparse.Namespace, storage: str | None) -> None:
    os.environ.setdefault("SCAN_INSTANCE_PATH", str(ROOT / "bench/out/instance"))
    app = create_app({"DATABASE": args.database, "KEEP_RENDERED": args.pattern != "release",
                      "POLL_LIMIT": "1000000 per minute",
                      **({"RATELIMIT_STORAGE_URI": storage} if storage else {})})
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "samenscan-bench"
    if args.pattern != "poll":
        signed_in(client)
    rng = random.Random(args.seed)
    warm = paths(args.pattern, min(args.requests, 50), rng, args.database)   # imports, caches
    if args.pattern == "change":   # every round's body kept, as bench/run.sh does first
        warm = [report_path(rid) for rid in range(1, ROUNDS + 1)]
    for path in warm:
        assert client.get(path).status_code == 200, path
    todo = paths(args.pattern, args.requests, rng, args.database)
    profile = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    if not args.no_profile:
        profile.enable()
    for path in todo:
        client.get(path)
    profile.disable()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    # This process's CPU time beside the wall time: on a shared machine the wall time
    # also counts waiting for a core (and, with --redis, the round trips to Redis).
    print(f"{args.pattern}{' (throttling in Redis)' if storage else ''}: {args.requests} "
          f"requests, {took / args.requests * 1000:.2f} ms each, "
          f"{cpu / args.requests * 1000:.2f} ms of CPU"
          + ("" if args.no_profile else " (profiled: the profiler about doubles it)"))
    if args.no_profile:
        return
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()

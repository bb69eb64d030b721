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
  poll     a phone's poll in joint scoring (no sign-in)

    .venv/bin/python bench/where_time_goes.py again --requests 500 --top 40
    .venv/bin/python bench/where_time_goes.py release --sort tottime

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
import time
from pathlib import Path

from scan import create_app

ROOT = Path(__file__).resolve().parent.parent
ROUND, ROUNDS, YEARS = 17, 1000, 10
PATTERNS = ("again", "change", "release", "years", "poll")


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


def paths(pattern: str, count: int, rng: random.Random) -> list[str]:
    if pattern == "again":
        return [report_path(ROUND)] * count
    if pattern in ("change", "release"):
        return [report_path(rng.randint(1, ROUNDS)) for _ in range(count)]
    if pattern == "years":
        return [f"/p/{(ROUND - 1) // YEARS + 1}/years/samen-opleiden"] * count
    return ["/w/bench-joint/state.json"] * count


def main() -> None:
    args = parse_args()
    os.environ.setdefault("SCAN_INSTANCE_PATH", str(ROOT / "bench/out/instance"))
    app = create_app({"DATABASE": args.database, "KEEP_RENDERED": args.pattern != "release",
                      "POLL_LIMIT": "1000000 per minute",
                      **({"RATELIMIT_STORAGE_URI": os.environ["SCAN_RATELIMIT_STORAGE_URI"]}
                         if os.environ.get("SCAN_RATELIMIT_STORAGE_URI") else {})})
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "samenscan-bench"
    if args.pattern != "poll":
        signed_in(client)
    rng = random.Random(args.seed)
    warm = paths(args.pattern, min(args.requests, 50), rng)   # imports, caches
    if args.pattern == "change":   # every round's body kept, as bench/run.sh does first
        warm = [report_path(rid) for rid in range(1, ROUNDS + 1)]
    for path in warm:
        assert client.get(path).status_code == 200, path
    todo = paths(args.pattern, args.requests, rng)
    profile = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    if not args.no_profile:
        profile.enable()
    for path in todo:
        client.get(path)
    profile.disable()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    # CPU time beside the wall clock: on a machine others load too, the wall clock
    # counts their turns as well, the CPU time (mostly) only this process's work.
    print(f"{args.pattern}: {args.requests} requests, {took / args.requests * 1000:.2f} ms each"
          f" ({cpu / args.requests * 1000:.2f} ms of CPU)"
          + ("" if args.no_profile else " (profiled: the profiler about doubles it)"))
    if args.no_profile:
        return
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()

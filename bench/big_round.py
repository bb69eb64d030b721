"""Server time of the round page and the new-round form for one very large partnership.

1,000 partners (schools with their eight roles) and one open round with a group link
for each partner × role (8,000 links), a tenth of them with a few respondents. Prints
the median of several requests per page, measured inside the app (test client), so it
is server time without the network, as wall-clock and as CPU time:

    .venv/bin/python bench/big_round.py [--partners 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from scan import accounts, create_app, rounds
from scan.database import connect, immediate

PASSWORD = "big round bench password"


def build(database: str, app, partners: int) -> tuple[int, int]:
    db = connect(database)
    catalogue = app.extensions["samenscan.catalogue"]
    pid = accounts.create_partnership(db, "Groot partnerschap")
    user = accounts.create_user(db, "coordinator@groot.nl", "Coördinator", PASSWORD)
    accounts.set_member(db, pid, user, "coordinator")
    with immediate(db):
        db.conn.executemany(
            "insert into partner (partnership_id, name, type, sector) values (?, ?, ?, ?)",
            [(pid, f"School {n:04d}", "school", "vo") for n in range(partners)])
    ids = [r[0] for r in db.execute("select id from partner where partnership_id = ?", [pid])]
    roles = ("stuurgroeplid", "schoolleider", "schoolopleider", "werkplekbegeleider",
             "leraar-in-opleiding", "starter", "hr", "overig")
    rid = rounds.create_round(db, pid, "2025-2026", "Zelfscan", [catalogue.sets[s] for s in
                              list(catalogue.sets)[:2]], ids, roles, expected=4)
    links = [r[0] for r in db.execute("select id from group_link where round_id = ?", [rid])]
    chosen = random.Random(1).sample(links, len(links) // 10)
    with immediate(db):
        db.conn.executemany(
            """insert into respondent (round_id, group_link_id, token_hash, next_page, submitted_at)
               values (?, ?, ?, 0, case when ? then datetime('now') end)""",
            [(rid, lid, f"t{lid}-{n}", n % 2) for lid in chosen for n in range(4)])
    db.conn.close()
    return pid, rid


def timed(client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median wall-clock and CPU seconds of one request. On a shared machine the
    wall clock also counts waiting for a core; the CPU time is the work itself."""
    times, cpu, size, status = [], [], 0, 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        size, status = len(response.data), response.status_code
    return statistics.median(times), statistics.median(cpu), size, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    config = {"DATABASE": str(folder / "big.db"), "INSTANCE_PATH": str(folder / "instance"),
              "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    app = create_app(config)
    pid, rid = build(config["DATABASE"], app, args.partners)
    client = app.test_client()
    client.post("/login", data={"email": "coordinator@groot.nl", "password": PASSWORD})
    for name, url in (("round page", f"/p/{pid}/rounds/{rid}"),
                      ("round page, last page", f"/p/{pid}/rounds/{rid}?page=last"),
                      ("new-round form", f"/p/{pid}/rounds/new")):
        seconds, cpu, size, status = timed(client, url, args.repeat)
        print(f"{name}: {seconds * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, "
              f"{size / 1e6:.2f} MB, HTTP {status}")


if __name__ == "__main__":
    main()

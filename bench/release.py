"""How long a release takes (docs/performance.md, "Releasing").

Builds the demo in a temporary database, then releases each of its rounds afresh
(its releases and stored reports removed, every sent-in questionnaire waiting)
and reports the median CPU seconds per release: the audit (scan.disclosure) and
storing the reports, as closing a round does. Run it on two checkouts and
compare the ratio; absolute times depend on the machine.

    .venv/bin/python bench/release.py [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from scan import create_app, demo, rounds

try:
    from scan.results import publish
except ImportError:   # a checkout from before the one door (issue 21), to compare with
    from scan.releases import release as publish
from scan.database import connect

K = 3


def build(folder: Path):
    config = {"DATABASE": str(folder / "demo.db"), "INSTANCE_PATH": str(folder / "instance"),
              "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    app = create_app(config)
    catalogue = app.extensions["samenscan.catalogue"]
    db = connect(config["DATABASE"])
    demo.build(db, catalogue)
    db.conn.close()
    return config["DATABASE"], catalogue


def fresh(source: str, folder: Path, round_id: int):
    """A copy of the database where this round has no release yet."""
    copy = folder / f"round-{round_id}.db"
    shutil.copy(source, copy)
    db = connect(str(copy))
    with db.conn:
        db.execute("delete from released_report where round_id = ?", [round_id])
        db.execute("delete from release where round_id = ?", [round_id])
        db.execute("update respondent set release_no = null where round_id = ?", [round_id])
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--decisions", type=Path,
                        help="write every release's decisions here (JSON), to check that a "
                             "faster audit decides exactly as before")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    source, catalogue = build(folder)
    db = connect(source)
    ids = [r[0] for r in db.execute("select distinct round_id from release order by round_id")]
    total, decided = 0.0, {}
    profile = cProfile.Profile() if args.profile else None
    for rid in ids:
        cpu = []
        for _ in range(args.repeat):
            copy = fresh(source, folder, rid)
            sets = rounds.round_sets(copy, catalogue, rid)
            start = time.process_time()
            if profile:
                profile.enable()
            number = publish(copy, rid, sets, K)
            if profile:
                profile.disable()
            cpu.append(time.process_time() - start)
            decided[rid] = [json.loads(r[0]) for r in copy.execute(
                "select decisions from release where round_id = ? order by number", [rid])]
            copy.conn.close()
        median = statistics.median(cpu)
        total += median
        print(f"round {rid}: release {number}, {median:.3f} s CPU")
    print(f"all {len(ids)} rounds: {total:.3f} s CPU")
    if args.decisions:
        args.decisions.write_text(json.dumps(decided, indent=1, sort_keys=True))
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()

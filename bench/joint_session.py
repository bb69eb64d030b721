"""Add a joint scoring session in full swing to the bench database.

One session of kind 'joint' for the given round's partnership, with the
"samen-opleiden" set's themes, 60 participants (a room full of phones) and a
placement by each of them on the first theme, which is still in the placing step.
Its participants' link token is fixed ('bench-joint'), so bench/run.sh knows the
phones' URL. Idempotent: when a session with that token exists, nothing changes.

Prints two paths, one a line: the phones' poll and the projector's poll.

    .venv/bin/python bench/joint_session.py bench/out/bench.db 17
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date
from pathlib import Path

import scan
from scan import database, joint, workshops
from scan.demo import ROLES_BY_TYPE
from scan.question_files import load_catalogue

TOKEN = "bench-joint"
SET_ID = "samen-opleiden"
PARTICIPANTS = 60
# Schools bring most people to the room, as in a real partnership.
TYPES = ["school"] * 4 + ["instituut"] + ["bestuur"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the bench database (bench/generate.py)")
    parser.add_argument("round", type=int, help="the round the session is about")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def create(db, round_id: int, seed: int) -> None:
    row = db.execute("select partnership_id from round where id = ?", [round_id]).fetchone()
    if row is None:
        sys.exit(f"no round {round_id} in the database")
    qset = load_catalogue(Path(os.environ.get("SCAN_QUESTIONS")
                               or scan._data_folder("questions"))).sets[SET_ID]
    rng = random.Random(seed)
    # One transaction (the domain functions nest in it): half a session is never left.
    with database.immediate(db):
        wid = workshops.create(db, row[0], "Bench: samen scoren", date(2026, 6, 25), round_id,
                               [], set_id=SET_ID,
                               dimension_ids=tuple(d.id for d in qset.dimensions))
        db.execute("update workshop set token = ? where id = ?", [TOKEN, wid])
        first = qset.dimensions[0].id
        for n in range(PARTICIPANTS):
            kind = TYPES[n % len(TYPES)]
            who = joint.participant(db, wid, joint.join(db, wid, kind,
                                                        rng.choice(ROLES_BY_TYPE[kind])))
            joint.place(db, wid, who, first, rng.choice(qset.scale.values), qset.scale.values)


def main() -> None:
    args = parse_args()
    db = database.connect(args.path)
    database.migrate(db)
    if not db.execute("select 1 from workshop where token = ?", [TOKEN]).fetchone():
        create(db, args.round, args.seed)
    pid, wid = db.execute("select partnership_id, id from workshop where token = ?",
                          [TOKEN]).fetchone()
    db.conn.execute("pragma wal_checkpoint(truncate)")
    db.conn.close()
    print(f"/w/{TOKEN}/state.json")
    print(f"/p/{pid}/workshops/{wid}/joint/state.json")


if __name__ == "__main__":
    main()

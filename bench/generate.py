"""Build a large, realistic Samenscan database for the benchmark.

Default: 100 partnerships × 10 school years (2016-2017 … 2025-2026) = 1,000 rounds,
each asking the real "samen-opleiden" set (36 items) of 30 submitted respondents
plus a few who stopped half-way. Partners, group links per partner × role, answers
on the 1–4 scale with ~7 % "don't know", and some comments, in our real schema.

Rows go in with executemany in one transaction: the domain functions (one
transaction per page) would take an hour for a million answers. Round ids run
1..N in order (partnership p has rounds (p-1)*years+1 … p*years), so the
benchmark can address any round of the ceiling and ours by the same id.

    .venv/bin/python bench/generate.py bench/out/bench.db
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

from sqlite_utils import Database

import scan
from scan import accounts, database, releases, responses
from scan.demo import COMMENTS, ROLES_BY_TYPE, THRESHOLD
from scan.question_files import load_catalogue
from scan.questions import QuestionSet

BENCH_EMAIL = "bench@samenscan.nl"
BENCH_PASSWORD = "bench-samenscan"
SET_ID = "samen-opleiden"
TOWNS = ["Almere", "Amersfoort", "Apeldoorn", "Arnhem", "Breda", "Delft", "Deventer",
         "Dordrecht", "Ede", "Eindhoven", "Emmen", "Enschede", "Gouda", "Groningen",
         "Haarlem", "Helmond", "Hengelo", "Leeuwarden", "Leiden", "Maastricht", "Nijmegen",
         "Roermond", "Tilburg", "Utrecht", "Venlo", "Zeist", "Zwolle", "Zaandam"]
SCHOOL_NAMES = ["Lyceum {}", "College {}", "Scholengemeenschap {}", "Basisschool De Linde {}",
                "Kindcentrum {}-Noord", "Vakcollege {}", "OBS {}-Zuid", "Montessorischool {}"]
# Institutes see realisation as further along than schools do, as in the demo.
SHIFT_BY_TYPE = {"instituut": 0.4, "bestuur": 0.2, "school": -0.2}


INSERTS = {
    "partnership": "insert into partnership (id, name) values (?, ?)",
    "partner": "insert into partner (id, partnership_id, name, type, sector) "
               "values (?, ?, ?, ?, ?)",
    "round": """insert into round (id, partnership_id, school_year, title, status, created_at,
                closed_at) values (?, ?, ?, ?, ?, ?, ?)""",
    "round_set": """insert into round_set (round_id, set_id, set_version, item_ids, position)
                    values (?, ?, ?, ?, ?)""",
    "group_link": "insert into group_link (id, round_id, partner_id, role, token) "
                  "values (?, ?, ?, ?, ?)",
    "respondent": """insert into respondent (id, round_id, group_link_id, token_hash, next_page,
                     started_at, submitted_at) values (?, ?, ?, ?, ?, ?, ?)""",
    "answer": """insert into answer (respondent_id, round_id, set_id, dimension_id, item_id,
                 value, dont_know) values (?, ?, ?, ?, ?, ?, ?)""",
    "comment": """insert into comment (respondent_id, round_id, set_id, dimension_id, body)
                  values (?, ?, ?, ?, ?)""",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="bench/out/bench.db")
    parser.add_argument("--partnerships", type=int, default=100)
    parser.add_argument("--years", type=int, default=10, help="rounds per partnership")
    parser.add_argument("--respondents", type=int, default=30, help="submitted, per round")
    parser.add_argument("--unfinished", type=int, default=3, help="stopped half-way, per round")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="replace an existing database")
    return parser.parse_args()


def school_years(count: int, last_start: int = 2025) -> list[str]:
    return [f"{y}-{y + 1}" for y in range(last_start - count + 1, last_start + 1)]


class Builder:
    """Collects rows per table, numbering ids itself so rows can reference each other."""

    def __init__(self, args: argparse.Namespace, qset: QuestionSet):
        self.args, self.qset, self.years = args, qset, school_years(args.years)
        self.rng = random.Random(args.seed)
        self.item_ids = json.dumps([i.id for i in qset.items])
        self.pages = len(responses.pages([qset]))
        self.rows: dict[str, list[tuple]] = {t: [] for t in (
            "partnership", "partner", "round", "round_set", "group_link", "respondent",
            "answer", "comment")}
        self.next_id = {"partner": 0, "round": 0, "group_link": 0, "respondent": 0}
        self.counts = dict.fromkeys(self.rows, 0)

    def flush(self, db: Database) -> None:
        """Insert the rows collected so far (inside the caller's transaction)."""
        for table, rows in self.rows.items():
            db.conn.executemany(INSERTS[table], rows)
            self.counts[table] += len(rows)
            rows.clear()

    def new_id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]

    def partnership(self, pid: int) -> None:
        rng = self.rng
        town = rng.choice(TOWNS)
        sector = rng.choice(["po", "vo", "vo", "mbo"])
        self.rows["partnership"].append((pid, f"Opleidingsschool {town} {pid}"))
        partners = [(f"Hogeschool {town}, lerarenopleiding", "instituut"),
                    (f"Stichting Onderwijs {town}", "bestuur")]
        names = rng.sample(SCHOOL_NAMES, rng.randint(2, 5))
        partners += [(name.format(rng.choice(TOWNS)), "school") for name in names]
        partner_ids = []
        for name, kind in partners:
            partner_id = self.new_id("partner")
            self.rows["partner"].append((partner_id, pid, name, kind, sector))
            partner_ids.append((partner_id, kind))
        leaning = {d.id: rng.uniform(1.6, 3.4) for d in self.qset.dimensions}
        for index, year in enumerate(self.years):
            self.round(pid, year, partner_ids, leaning, 0.05 * index,
                       last=index == len(self.years) - 1)

    def round(self, pid: int, year: str, partner_ids: list, leaning: dict, gain: float,
              last: bool) -> None:
        rid = self.new_id("round")
        spring = f"{year[5:]}-03-15 10:00:00"
        self.rows["round"].append((rid, pid, year, f"Zelfscan {year}",
                                   "open" if last else "closed", f"{year[:4]}-10-01 09:00:00",
                                   None if last else f"{year[5:]}-06-30 17:00:00"))
        self.rows["round_set"].append((rid, SET_ID, self.qset.version, self.item_ids, 0))
        links = []
        for partner_id, kind in partner_ids:
            for role in ROLES_BY_TYPE[kind]:
                link_id = self.new_id("group_link")
                self.rows["group_link"].append((link_id, rid, partner_id, role, f"b{link_id:07d}"))
                links.append((link_id, kind))
        for n in range(self.args.respondents + self.args.unfinished):
            done = n < self.args.respondents
            stop = self.pages if done else self.rng.randrange(1, self.pages)
            self.respondent(rid, self.rng.choice(links), leaning, gain, stop, spring, done)

    def respondent(self, rid: int, link: tuple, leaning: dict, gain: float, stop: int,
                   when: str, done: bool) -> None:
        rng, xid = self.rng, self.new_id("respondent")
        token_hash = hashlib.sha256(f"bench-{xid}".encode()).hexdigest()
        self.rows["respondent"].append((xid, rid, link[0], token_hash, stop, when,
                                        when if done else None))
        shift = SHIFT_BY_TYPE[link[1]]
        scale = self.qset.scale
        for dim in self.qset.dimensions[:stop]:
            base = leaning[dim.id] + gain + (shift if dim.tags.get("kind") == "realisatie" else 0)
            for item in dim.items:
                if rng.random() < 0.07:
                    value = None
                else:
                    value = min(max(round(rng.gauss(base, 0.7)), scale.minimum), scale.maximum)
                self.rows["answer"].append((xid, rid, SET_ID, dim.id, item.id, value,
                                            int(value is None)))
            if rng.random() < 0.12:
                self.rows["comment"].append((xid, rid, SET_ID, dim.id, rng.choice(COMMENTS)))


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    path = Path(args.path)
    if path.exists() and not args.force:
        sys.exit(f"{path} exists; pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    catalogue = load_catalogue(Path(os.environ.get("SCAN_QUESTIONS")
                                    or scan._data_folder("questions")))
    db = database.connect(path)
    database.migrate(db)
    user_id = accounts.create_user(db, BENCH_EMAIL, "Bench", BENCH_PASSWORD)

    builder = Builder(args, catalogue.sets[SET_ID])
    with database.immediate(db):
        for pid in range(1, args.partnerships + 1):
            builder.partnership(pid)
            builder.flush(db)
        # The bench user may read every round's report (coordinator everywhere).
        db.conn.executemany(
            "insert into membership (user_id, partnership_id, role) values (?, ?, 'coordinator')",
            [(user_id, pid) for pid in range(1, args.partnerships + 1)])
    # Closed rounds show their results from a release, as closing them in the app
    # would have made one; measuring the release itself is not what this bench is for.
    released = releases.release_closed_rounds(db, catalogue, THRESHOLD)
    print(f"released {len(released):,} closed rounds")
    db.conn.execute("pragma wal_checkpoint(truncate)")
    db.conn.close()

    for table, count in [*builder.counts.items(), ("membership", args.partnerships)]:
        print(f"{table:>12} {count:>10,}")
    print(f"login {BENCH_EMAIL} / {BENCH_PASSWORD} (coordinator of every partnership)")
    print(f"{path} built in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

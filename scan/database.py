"""Opening the SQLite database, the way every process of the app must.

WAL lets readers carry on while one writer writes; the busy timeout makes a
writer wait its turn instead of failing with "database is locked" when a
whole workshop submits at once.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from sqlite_utils.utils import dedupe_keys

from scan.schema import migrations

BUSY_TIMEOUT_MS = 30_000


class Database(sqlite_utils.Database):
    """sqlite-utils' Database, reading without a SAVEPOINT around each SELECT.

    sqlite-utils wraps every `query` in SAVEPOINT ... RELEASE, so that a statement
    which returns no rows can be rolled back before it refuses it: three statements
    (and a transaction of their own) for every read, a third of a small request's
    database time. A plain SELECT cannot write, so it runs as it is; anything else
    goes through sqlite-utils' guarded `query` as before. The rows are fetched at
    once: the connection is kept between requests (scan.db), and a statement left
    half-read (say, by an error before its rows were used) would hold an old
    snapshot of the database for the requests after it.
    """

    def query(self, sql: str, params=None):
        if sql.lstrip()[:6].lower() != "select":
            return super().query(sql, params)
        cursor = self.conn.execute(sql, () if params is None else params)
        keys = dedupe_keys(d[0] for d in cursor.description)   # as sqlite-utils names them
        return (dict(zip(keys, row, strict=True)) for row in cursor.fetchall())


def connect(path: str | Path) -> Database:
    """Open the database with the pragmas the app relies on.

    isolation_level=None leaves transactions to us: reads run without one,
    writes open one explicitly (see `immediate`).
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                           isolation_level=None, check_same_thread=False)
    conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma synchronous = normal")
    conn.execute("pragma foreign_keys = on")
    return Database(conn)


def migrate(db: Database) -> None:
    """Apply every pending migration; safe to run on every start."""
    with immediate(db):
        migrations.apply(db)


@contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """One write transaction that takes the write lock up front.

    BEGIN IMMEDIATE instead of a deferred BEGIN: a transaction that reads
    and then writes would otherwise fail with "database is locked" when
    another writer got there in between, because SQLite cannot wait for a
    lock upgrade inside a read transaction.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("begin immediate")
    try:
        yield db
    except BaseException:
        db.conn.execute("rollback")
        raise
    db.conn.execute("commit")


def ids_among(db: Database, ids: list[int], query: str) -> set[int]:
    """Which of these ids a query returns; `{ids}` in the query stands for the list."""
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    return {r[0] for r in db.execute(query.format(ids=marks), ids)}


def generation(db: Database) -> str:
    """This database's generation: a random id that `scan restore` replaces. Worker
    caches key on it (scan.caches), so a restored database is never answered from
    what was read out of the one it replaced (row ids restart from the backup's)."""
    row = db.execute("select id from generation").fetchone()
    return row[0] if row else ""


def new_generation(path: str | Path) -> None:
    """Give the database at path a generation of its own (after a restore), bringing
    its schema up to date first: a backup may come from an older version."""
    db = connect(path)
    try:
        migrate(db)
        with immediate(db):
            db.execute("update generation set id = lower(hex(randomblob(16)))")
    finally:
        db.conn.close()


def backup(source: str | Path, destination: str | Path) -> int:
    """Copy a live database with SQLite's online backup API, in one step.

    One step reads the whole file inside one read transaction: in WAL mode that
    snapshot never blocks writers, and writers never restart it. (Copying a few
    hundred pages per step restarted the copy at every commit of another
    connection, so under load it finished only when the load stopped.)
    Returns the number of pages copied.
    """
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(str(destination))
    try:
        src.backup(dst, pages=-1)
        return dst.execute("pragma page_count").fetchone()[0]
    finally:
        dst.close()
        src.close()


def in_use_lock(path: str | Path) -> Path:
    return Path(f"{path}.in-use")


def hold_in_use(path: str | Path) -> int:
    """A shared lock every running app holds on <db>.in-use while it lives, so
    `scan restore` can tell that the database is being served. Returns the file
    descriptor; closing it lets go."""
    fd = os.open(in_use_lock(path), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


@contextmanager
def exclusive_use(path: str | Path) -> Iterator[bool]:
    """Try to hold the in-use lock alone (no app serving this database).

    Yields whether it is held alone; while it is, an app that starts waits at
    its shared lock until the block ends (so a restore is never half-read).
    """
    fd = os.open(in_use_lock(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alone = True
        except BlockingIOError:
            alone = False
        yield alone
    finally:
        os.close(fd)


def integrity_problem(path: str | Path) -> str | None:
    """None when the file is a sound SQLite database of ours, else what is wrong."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("pragma integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("select name from sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    if result != "ok":
        return result
    return None if "respondent" in tables else "it has no Samenscan tables"

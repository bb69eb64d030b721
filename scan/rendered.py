"""Rendered parts of report pages, kept in SQLite (table rendered_fragment).

Rendering a report's tables and figures costs many times more than reading its
numbers, and the result stays the same until something it shows changes: a
release, a partner's name, an agreed joint score, the app itself. The caller
names all of that in a key; a fragment is kept per page and variant (language,
role) together with the key's digest, so a page keeps one row per variant and a
changed key replaces it. Every worker reads the same rows, so none shows an old
fragment after a change another worker saw.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Hashable

from sqlite_utils import Database

log = logging.getLogger(__name__)

# A reader does not queue behind a long write for the sake of a cache: after this
# long the fragment is served without being kept.
KEEP_WAIT_MS = 200


def digest(key: Hashable) -> str:
    """The key as stored. Keys are tuples of strings, numbers and frozen dataclasses,
    whose repr is stable from one process to the next."""
    return hashlib.sha256(repr(key).encode()).hexdigest()


def fetch(db: Database, partnership_id: int, page: str, variant: str,
          key_digest: str) -> str | None:
    row = db.execute("""select html from rendered_fragment where partnership_id = ?
                        and page = ? and variant = ? and digest = ?""",
                     [partnership_id, page, variant, key_digest]).fetchone()
    return row[0] if row else None


def keep(db: Database, partnership_id: int, page: str, variant: str, key_digest: str,
         html: str) -> bool:
    """Keep a fragment in place of the page's earlier one; False when the database was
    too busy (or read-only): the fragment is rendered again next time, nothing else."""
    conn = db.conn
    (waited,) = conn.execute("pragma busy_timeout").fetchone()
    conn.execute(f"pragma busy_timeout = {KEEP_WAIT_MS}")
    try:
        conn.execute("""insert into rendered_fragment (partnership_id, page, variant, digest, html)
                        values (?, ?, ?, ?, ?)
                        on conflict (partnership_id, page, variant) do update set
                        digest = excluded.digest, html = excluded.html,
                        made_at = datetime('now')""",
                     [partnership_id, page, variant, key_digest, html])
        return True
    except sqlite3.OperationalError as error:
        log.warning("a rendered fragment was not kept: %s", error)
        return False
    finally:
        conn.execute(f"pragma busy_timeout = {int(waited)}")

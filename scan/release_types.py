"""A release as stored: the data type every reader of results shares.

Kept apart from scan.releases (which decides a release) so that scoring and the
stored reports can read releases without importing the module that makes them:
scan.releases -> scan.stored -> scan.scoring -> scan.release_types, one way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Release:
    round_id: int
    number: int
    created_at: str
    respondents: int
    partners: dict      # partner id (str) -> {"name": ..., "type": ...}
    decisions: dict     # set id -> decision; "classes" -> {"type|role": [label type, role]}

    def for_set(self, set_id: str) -> dict | None:
        return self.decisions.get("sets", {}).get(set_id)

    def label(self, partner_type: str, role: str) -> tuple[str, str]:
        found = self.decisions.get("classes", {}).get(f"{partner_type}|{role}")
        return tuple(found) if found else ("*", "*")


def _release(row: dict) -> Release:
    return Release(row["round_id"], row["number"], row["created_at"], row["respondents"],
                   json.loads(row["partners"]), json.loads(row["decisions"]))


def releases(db: Database, round_id: int) -> list[Release]:
    return [_release(r) for r in db.query(
        "select * from release where round_id = ? order by number", [round_id])]


def latest(db: Database, round_id: int) -> Release | None:
    row = next(db.query("select * from release where round_id = ? order by number desc limit 1",
                        [round_id]), None)
    return _release(row) if row else None

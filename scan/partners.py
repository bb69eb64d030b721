"""Partners of a partnership: schools, school boards (besturen) and institutes."""

from __future__ import annotations

from sqlite_utils import Database

from scan.database import immediate

PARTNER_TYPES = ("school", "bestuur", "instituut")
SECTORS = ("po", "vo", "mbo")


class PartnerInUse(Exception):
    """A partner with group links in a round cannot be deleted: answers hang on it."""


class DuplicatePartner(Exception):
    """Two partners of one partnership cannot share a name."""


def partners(db: Database, partnership_id: int) -> list[dict]:
    return list(db.query("select * from partner where partnership_id = ? order by type, name",
                         [partnership_id]))


def partner(db: Database, partnership_id: int, partner_id: int) -> dict | None:
    """A partner, but only when it belongs to this partnership."""
    return next(db.query("select * from partner where id = ? and partnership_id = ?",
                         [partner_id, partnership_id]), None)


def _name_taken(db: Database, partnership_id: int, name: str, partner_id: int = 0) -> bool:
    return bool(db.execute("""select 1 from partner where partnership_id = ?
                              and lower(name) = lower(?) and id != ?""",
                           [partnership_id, name.strip(), partner_id]).fetchone())


def add_partner(db: Database, partnership_id: int, name: str, type: str, sector: str) -> int:
    with immediate(db):
        if _name_taken(db, partnership_id, name):
            raise DuplicatePartner()
        return db.execute(
            "insert into partner (partnership_id, name, type, sector) values (?, ?, ?, ?)",
            [partnership_id, name.strip(), type, sector]).lastrowid


def update_partner(db: Database, partnership_id: int, partner_id: int,
                   name: str, type: str, sector: str) -> None:
    with immediate(db):
        if _name_taken(db, partnership_id, name, partner_id):
            raise DuplicatePartner()
        db.execute("""update partner set name = ?, type = ?, sector = ?
                      where id = ? and partnership_id = ?""",
                   [name.strip(), type, sector, partner_id, partnership_id])


def delete_partner(db: Database, partnership_id: int, partner_id: int) -> None:
    with immediate(db):
        if db.execute("select 1 from group_link where partner_id = ?", [partner_id]).fetchone():
            raise PartnerInUse()
        db.execute("delete from partner where id = ? and partnership_id = ?",
                   [partner_id, partnership_id])

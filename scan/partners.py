"""Partners of a partnership: schools, school boards (besturen) and institutes."""

from __future__ import annotations

from sqlite_utils import Database

from scan.database import immediate

PARTNER_TYPES = ("school", "bestuur", "instituut")


class PartnerInUse(Exception):
    """A partner with group links in a round cannot be deleted: answers hang on it.

    Archive it instead (archive_partner): it keeps its links, answers and place
    in reports, but is no longer offered for new rounds.
    """


class DuplicatePartner(Exception):
    """Two partners of one partnership cannot share a name."""


def partners(db: Database, partnership_id: int, include_archived: bool = True) -> list[dict]:
    """Every partner, archived ones too: reports and existing rounds still name them."""
    archived = "" if include_archived else "and archived = 0"
    return list(db.query(f"""select * from partner where partnership_id = ? {archived}
                             order by type, name""", [partnership_id]))


def active_partners(db: Database, partnership_id: int) -> list[dict]:
    """The partners to offer when opening a round or adding links: not the archived ones."""
    return partners(db, partnership_id, include_archived=False)


def archived_partners(db: Database, partnership_id: int) -> list[dict]:
    return [p for p in partners(db, partnership_id) if p["archived"]]


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


def archive_partner(db: Database, partnership_id: int, partner_id: int) -> None:
    """Hide a partner from new rounds; its group links and answers stay as they are.

    Allowed for any partner, also one without links: archiving loses nothing, so
    there is no reason to refuse it (the pages only offer it once deleting is refused).
    """
    _set_archived(db, partnership_id, partner_id, True)


def restore_partner(db: Database, partnership_id: int, partner_id: int) -> None:
    _set_archived(db, partnership_id, partner_id, False)


def _set_archived(db: Database, partnership_id: int, partner_id: int, archived: bool) -> None:
    with immediate(db):
        db.execute("update partner set archived = ? where id = ? and partnership_id = ?",
                   [int(archived), partner_id, partnership_id])

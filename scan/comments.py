"""Comments (opmerkingen) before readers see them: a coordinator may hold one back.

The statistics cannot protect what a comment says: "as the only board member, I…"
names its writer whatever the cells do. So a coordinator reads the comments of
people who sent in their answers and holds back any that name or identify
someone; a held-back comment never appears in a report or export (scan.scoring).
Holding back is recorded in the audit log (who, when, which round; never the
text). The list shows no writer, group or time and is sorted by text, like
the report, so it says no more about who wrote what than the report would.
"""

from __future__ import annotations

from sqlite_utils import Database

from scan.database import immediate


def for_review(db: Database, round_id: int) -> list[dict]:
    """Comments of submitted questionnaires, by theme and text; held-back ones marked."""
    return list(db.query("""
        select c.rowid as id, c.set_id, c.dimension_id, c.body, c.held_back,
               x.release_no is not null as released
        from comment c join respondent x on x.id = c.respondent_id
        where c.round_id = ? and x.submitted_at is not null
        order by c.set_id, c.dimension_id, c.body""", [round_id]))


def hold_back(db: Database, round_id: int, comment_id: int, held: bool = True) -> bool:
    """Hold a comment back (or show it again). Stored reports of the round are dropped,
    so every view computes them again without it. False: no such comment in this round."""
    with immediate(db):
        changed = db.execute("update comment set held_back = ? where rowid = ? "
                             "and round_id = ?", [int(held), comment_id, round_id]).rowcount
        if changed:
            db.execute("delete from released_report where round_id = ?", [round_id])
    return bool(changed)

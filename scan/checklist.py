"""The start checklist of a new partnership: the five steps from an empty partnership
to a first report, each done when the database shows it (nothing to tick by hand)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from scan import results

STEPS = ("partners", "members", "round", "links", "report")


@dataclass(frozen=True)
class Step:
    key: str
    done: bool


def steps(db: Database, partnership_id: int) -> list[Step]:
    """Partners added → members invited → a first round → its links out (someone
    started) → a first report (results released)."""
    row = db.execute("""
        select
          exists(select 1 from partner where partnership_id = :p),
          (select count(*) from membership where partnership_id = :p) > 1
            or exists(select 1 from invitation i where i.partnership_id = :p
                      -- not the first coordinator's own invitation, from the administrator
                      and i.email not in (select u.email from membership m
                                          join user u on u.id = m.user_id
                                          where m.partnership_id = :p)),
          exists(select 1 from round where partnership_id = :p),
          exists(select 1 from respondent x join round r on r.id = x.round_id
                 where r.partnership_id = :p)""", {"p": partnership_id}).fetchone()
    done = [*row, results.any_release(db, partnership_id)]
    return [Step(key, bool(d)) for key, d in zip(STEPS, done, strict=True)]


def all_done(found: list[Step]) -> bool:
    return all(step.done for step in found)

"""Which respondent roles each kind of partner has, and so which group links exist.

A school board has no student teachers and an institute no mentors; a round
makes a link only for a partner × role that exists. Each partnership may adjust
the defaults below (a school board with its own HR adviser, an institute whose
steering-group member answers); no rows for a partner type means its defaults.
"""

from __future__ import annotations

from sqlite_utils import Database

from scan.database import immediate
from scan.partners import PARTNER_TYPES
from scan.questions import RESPONDENT_ROLES

DEFAULT_ROLES = {
    "school": ("stuurgroeplid", "schoolleider", "schoolopleider", "werkplekbegeleider",
               "leraar-in-opleiding", "starter", "hr", "overig"),
    "bestuur": ("stuurgroeplid", "bestuurder", "hr", "overig"),
    "instituut": ("stuurgroeplid", "bestuurder", "instituutsopleider", "overig"),
}


def roles_by_type(db: Database, partnership_id: int) -> dict[str, tuple[str, ...]]:
    """Per partner type the roles it has in this partnership, in the usual order."""
    chosen: dict[str, set] = {}
    for row in db.query("select partner_type, role from role_setting where partnership_id = ?",
                        [partnership_id]):
        chosen.setdefault(row["partner_type"], set()).add(row["role"])
    return {kind: tuple(r for r in RESPONDENT_ROLES if r in chosen[kind]) if kind in chosen
            else DEFAULT_ROLES[kind] for kind in PARTNER_TYPES}


def set_roles(db: Database, partnership_id: int, roles: dict[str, list[str]]) -> None:
    """Replace the partnership's roles per partner type; every type keeps at least one."""
    if any(kind not in PARTNER_TYPES for kind in roles) or any(
            not chosen or set(chosen) - set(RESPONDENT_ROLES) for chosen in roles.values()):
        raise ValueError("every partner type needs at least one known role")
    with immediate(db):
        db.execute("delete from role_setting where partnership_id = ?", [partnership_id])
        db.conn.executemany(
            "insert into role_setting (partnership_id, partner_type, role) values (?, ?, ?)",
            [(partnership_id, kind, role) for kind, chosen in roles.items() for role in chosen])


def combinations(partners: list[dict], by_type: dict[str, tuple[str, ...]]) -> list[tuple]:
    """Every (partner id, role) that exists: the links a round can have."""
    return [(p["id"], role) for p in partners for role in by_type[p["type"]]]

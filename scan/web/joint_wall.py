"""Joint scoring on the wall: the presentation view the room sees, in a window of its own.

The facilitator keeps the console (controls, actions, admin) on their laptop and
puts this window on the projector. It shows only what the room should see: the
theme, the scale with its level descriptions, the timer, the join code, the
spread after the reveal beside the survey's result, and the sticky notes once
shown. It follows the console through the same polling (state.json and a redraw
when the facilitator's version moves), so it needs no controls of its own.
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_login import login_required

from scan import joint
from scan.db import get_db
from scan.qr import short_url
from scan.web.access import member_of
from scan.web.joint_session import (
    dimension_of,
    joint_or_404,
    joint_set,
    ranked_titles,
    survey_result,
)
from scan.web.labels import PARTNER_TYPES
from scan.web.sessions import RUNNERS

bp = Blueprint("joint_wall", __name__, url_prefix="/p/<int:pid>/workshops")


def histogram(spread: joint.Spread, points) -> list[dict]:
    """One bar per scale point, its height a share of the highest bar (so the
    tallest bar nearly fills the chart, leaving room for its number above it)."""
    highest = max(spread.counts.values(), default=0) or 1
    return [{"point": p, "n": spread.counts.get(p.value, 0),
             "height": round(85 * spread.counts.get(p.value, 0) / highest, 1)}
            for p in points]


def _wall(partnership: dict, workshop: dict) -> dict:
    db = get_db()
    qset = joint_set(workshop)
    rows = joint.dimensions(db, workshop["id"])
    here = joint.current(db, workshop, rows)
    spread = joint.spread(db, workshop["id"], here["dimension_id"]) if here else None
    join_url = url_for("participate.follow", token=workshop["token"], _external=True)
    return {
        "partnership": partnership, "workshop": workshop, "set": qset,
        "lang": str(get_locale()), "here": here,
        "dimension": dimension_of(qset, here["dimension_id"]) if here else None,
        "state": joint.state(db, workshop, rows), "counts": joint.counts(db, workshop, rows),
        "spread": spread,
        "bars": histogram(spread, qset.scale.points) if spread and spread.shown else [],
        "survey": survey_result(workshop, qset, here["dimension_id"]) if here else None,
        "notes": joint.notes(db, workshop["id"], here["dimension_id"]) if here else [],
        "ranked": ranked_titles(qset, str(get_locale()), rows),
        "partner_types": PARTNER_TYPES, "join_url": join_url, "short_url": short_url(join_url),
    }


@bp.get("/<int:wid>/joint/wall")
@login_required
def wall(pid: int, wid: int):
    partnership = member_of(pid, *RUNNERS)
    workshop = joint_or_404(pid, wid)
    return render_template("workshops/joint_wall.html", **_wall(partnership, workshop))

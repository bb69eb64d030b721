"""A one-page summary sheet per set: the report's headlines for a steering group's agenda."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from scan import accounts, anonymised, workshops
from scan.db import get_db
from scan.web.access import member_of
from scan.web.released import (
    highlights_of,
    joint_scores,
    partner_names,
    previous_release,
    report_for,
    round_and_set,
)
from scan.web.report_figures import group_label

bp = Blueprint("sheets", __name__)
ACTIONS = 8       # open actions a sheet lists (the soonest due); the plan has them all


@bp.app_context_processor
def _print_date() -> dict:
    """The day a page is printed (or rendered to print): on printed covers and sheets."""
    return {"print_date": lambda: date.today().isoformat()}


@bp.get("/p/<int:pid>/rounds/<int:rid>/sheet/<set_id>")
@login_required
def summary_sheet(pid: int, rid: int, set_id: str):
    """Only what the released report shows: what stands out, means per theme (all
    respondents and the partner types shown; what stands out names the gaps between
    groups larger than chance), the joint scores and the open actions on its themes."""
    partnership = member_of(pid)
    the_round, qset = round_and_set(pid, rid, set_id)
    report = report_for(rid, qset)
    themes = {d.id for d in qset.dimensions}
    actions = [a for a in workshops.actions(get_db(), pid)
               if a["dimension_id"] in themes and a["status"] != "klaar"]
    shown = report.shown
    accounts.record(get_db(), "print sheet", current_user.id, pid,
                    f"round {rid}: summary sheet {set_id}")
    previous = previous_release(pid, rid, qset, partner_names(rid)) if shown else None
    return render_template(
        "reports/sheet.html", partnership=partnership, round=the_round, set=qset,
        report=report, lang=str(get_locale()), group_label=group_label,
        partner_types=[g for g in report.groups if g.kind == "partner_type"] if shown else [],
        survey_means=anonymised.survey_means(report),
        joint={j.dimension_id: j for j in joint_scores(pid, rid, qset)},
        actions=actions[:ACTIONS], more_actions=max(0, len(actions) - ACTIONS),
        highlights=highlights_of(pid, the_round, report, previous) if shown else None)

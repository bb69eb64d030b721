"""The action plan (actieplan): every agreement of every session, to follow up."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from scan import workshops
from scan.db import get_db
from scan.web import question_catalogue
from scan.web.access import fail, member_of
from scan.web.forms import ActionEditForm
from scan.web.workshops import RUNNERS, dimension_choices

bp = Blueprint("actions", __name__, url_prefix="/p/<int:pid>/actions")


@bp.get("/")
@login_required
def plan(pid: int):
    partnership = member_of(pid)
    status = request.args.get("status") or None
    if status and status not in workshops.ACTION_STATUSES:
        fail(400, _("Unknown status."))
    owner = (request.args.get("owner") or "")[:200] or None
    dimension = request.args.get("dimension") or None
    found = workshops.actions(get_db(), pid, status, owner, dimension)
    return render_template("actions/plan.html", partnership=partnership, actions=found,
                           filters={"status": status, "owner": owner, "dimension": dimension},
                           owners=workshops.owners(get_db(), pid),
                           dimensions=dimension_choices(_("Every theme")),
                           themes=question_catalogue().dimension_index())


@bp.route("/<int:aid>", methods=["GET", "POST"])
@login_required
def edit(pid: int, aid: int):
    partnership = member_of(pid, *RUNNERS)
    action = workshops.action_of(get_db(), pid, aid)
    if action is None:
        fail(404, _("This action does not exist in this partnership."))
    form = ActionEditForm(data={**action, "dimension": action["dimension_id"] or "",
                                "due_on": _date(action["due_on"])})
    form.dimension.choices = dimension_choices(_("No particular theme"))
    if form.validate_on_submit():
        workshops.update_action(get_db(), pid, aid, text=form.text.data, owner=form.owner.data,
                                due_on=form.due_on.data, status=form.status.data,
                                dimension_id=form.dimension.data)
        flash(_("Action saved."), "success")
        return redirect(url_for(".plan", pid=pid))
    status = 400 if form.is_submitted() else 200
    return render_template("actions/edit.html", partnership=partnership, action=action,
                           form=form), status


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None

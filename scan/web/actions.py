"""The action plan (actieplan): every agreement of every session, to follow up."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Length

from scan import workshops
from scan.db import get_db
from scan.web import labels
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue
from scan.web.forms import ActionEditForm, choices
from scan.web.i18n import gettext as _
from scan.web.i18n import lazy_gettext as _l
from scan.web.sessions import RUNNERS, dimension_choices, partnership_themes

bp = Blueprint("actions", __name__, url_prefix="/p/<int:pid>/actions")


def _not_after_today(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(_l("Progress cannot be dated in the future."))


class ProgressForm(FlaskForm):
    """One line of progress on an action; its status becomes the action's status."""

    at = DateField(_l("Date"), default=date.today, validators=[
        DataRequired(message=_l("Give the date as day, month and year.")), _not_after_today])
    status = SelectField(_l("Status"), choices=choices(labels.ACTION_STATUS.items()))
    note = StringField(_l("What happened (one line)"), validators=[
        Length(max=workshops.LOG_NOTE_MAX,
               message=_l("Keep it to %(n)d characters or fewer.", n=workshops.LOG_NOTE_MAX))])
    submit = SubmitField(_l("Add progress"))


@bp.get("/")
@login_required
def plan(pid: int):
    partnership = member_of(pid)
    status = request.args.get("status") or None
    if status and status not in workshops.ACTION_STATUSES:
        fail(400, _("Unknown status."))
    owner = (request.args.get("owner") or "")[:200] or None
    dimension = request.args.get("dimension") or None
    overdue = request.args.get("overdue") == "1"
    found = workshops.actions(get_db(), pid, status, owner, dimension, overdue=overdue)
    return render_template("actions/plan.html", partnership=partnership, actions=found,
                           filters={"status": status, "owner": owner, "dimension": dimension,
                                    "overdue": overdue},
                           owners=workshops.owners(get_db(), pid),
                           dimensions=dimension_choices(
                               _("Every theme"), partnership_themes(pid, *{
                                   a["dimension_id"] for a in workshops.actions(get_db(), pid)})),
                           themes=question_catalogue().dimension_index())


def _action_or_404(pid: int, aid: int) -> dict:
    action = workshops.action_of(get_db(), pid, aid)
    if action is None:
        fail(404, _("This action does not exist in this partnership."))
    return action


def _render_edit(partnership: dict, action: dict, form=None, progress=None, status=200):
    if form is None:
        form = ActionEditForm(formdata=None, data={
            **action, "dimension": action["dimension_id"] or "", "due_on": _date(
                action["due_on"])})
        form.dimension.choices = dimension_choices(
            _("No particular theme"), partnership_themes(partnership["id"], action["dimension_id"]))
    if progress is None:
        progress = ProgressForm(formdata=None, prefix="progress", status=action["status"])
    return render_template("actions/edit.html", partnership=partnership, action=action,
                           form=form, progress=progress,
                           overdue=workshops.is_overdue(action, date.today()),
                           log=workshops.progress(get_db(), partnership["id"], action["id"])
                           ), status


@bp.route("/<int:aid>", methods=["GET", "POST"])
@login_required
def edit(pid: int, aid: int):
    partnership = member_of(pid, *RUNNERS)
    action = _action_or_404(pid, aid)
    form = ActionEditForm(data={**action, "dimension": action["dimension_id"] or "",
                                "due_on": _date(action["due_on"])})
    form.dimension.choices = dimension_choices(
        _("No particular theme"), partnership_themes(pid, action["dimension_id"]))
    if form.validate_on_submit():
        workshops.update_action(get_db(), pid, aid, text=form.text.data, owner=form.owner.data,
                                due_on=form.due_on.data, status=form.status.data,
                                dimension_id=form.dimension.data)
        flash(_("Action saved."), "success")
        return redirect(url_for(".plan", pid=pid))
    return _render_edit(partnership, action, form=form,
                        status=400 if form.is_submitted() else 200)


@bp.post("/<int:aid>/progress")
@login_required
def add_progress(pid: int, aid: int):
    partnership = member_of(pid, *RUNNERS)
    action = _action_or_404(pid, aid)
    form = ProgressForm(prefix="progress")
    if not form.validate_on_submit():
        return _render_edit(partnership, action, progress=form, status=400)
    try:
        workshops.add_progress(get_db(), pid, aid, form.at.data, form.status.data,
                               form.note.data or "")
    except workshops.Duplicate:
        flash(_("This progress was recorded already."), "info")
    else:
        flash(_("Progress added."), "success")
    return redirect(url_for(".edit", pid=pid, aid=aid))


@bp.post("/<int:aid>/status/<status>")
@login_required
def quick_status(pid: int, aid: int, status: str):
    """One click in a session's review of open actions: logs the new status for today."""
    member_of(pid, *RUNNERS)
    _action_or_404(pid, aid)
    if status not in workshops.ACTION_STATUSES:
        fail(404, _("Unknown status."))
    confirmed()
    try:
        workshops.add_progress(get_db(), pid, aid, date.today(), status, "")
    except workshops.Duplicate:
        pass  # a second click: the status is set already
    flash(_("Status changed to %(status)s.", status=labels.ACTION_STATUS[status]), "success")
    return redirect(_back_to(pid))


def _back_to(pid: int) -> str:
    """The session the review was on (a number sent along as `from`), else the plan."""
    text = request.form.get("from", "")
    found = text.isascii() and text.isdigit() and len(text) < 10 and \
        workshops.workshop_of(get_db(), pid, int(text))
    if not found:
        return url_for(".plan", pid=pid)
    target = "joint.screen" if found["kind"] == "joint" else "workshops.console"
    return url_for(target, pid=pid, wid=found["id"]) + "#review"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None

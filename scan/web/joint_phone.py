"""Joint scoring on a participant's phone: join without an account, place, add notes, vote.

A participant is known by a random token in a cookie that only this session's
address receives, so a phone that locks, loses the network or reloads comes
back as the same participant, in the current step, with its own placement.
Every answer is a plain form post: it works without script, and a double tap
replaces the placement instead of adding a second one (scan.joint.place).
A refused post shows the phone page again with the reason and a 4xx status.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from scan import joint, workshops
from scan.db import get_db
from scan.web.access import confirmed, fail
from scan.web.forms import PlacementForm, StickyNoteForm
from scan.web.i18n import gettext as _
from scan.web.joint_session import (
    COOKIE,
    joint_set,
    not_now,
    participant,
    render_phone,
    scale_choices,
    seat_form,
    session_closed,
    session_full,
    whole_number,
)
from scan.web.security import limiter
from scan.web.sessions import open_session

bp = Blueprint("joint_phone", __name__, url_prefix="/w")
bp.register_error_handler(joint.NotNow, not_now)
bp.register_error_handler(workshops.SessionClosed, session_closed)
bp.register_error_handler(joint.SessionFull, session_full)


def _cookie_path(workshop: dict) -> str:
    return url_for("participate.follow", token=workshop["token"])


def _joint_session(token: str) -> dict:
    workshop = open_session(token)
    if workshop["kind"] != "joint":
        fail(404, _("This workshop link is not known. Check that you copied the whole "
                    "address."))
    return workshop


def _join_limit() -> str:
    return current_app.config.get("JOIN_LIMIT", "300 per minute")


@bp.post("/<token>/join")
@limiter.limit(_join_limit)
def join(token: str):
    workshop = _joint_session(token)
    if participant(workshop):
        return redirect(_cookie_path(workshop))  # joined already (a second tap)
    form = seat_form(workshop)
    if not form.validate_on_submit():
        return render_template("workshops/joint_join.html", workshop=workshop, form=form), 400
    partner_type, role = form.seat.data.split(":", 1)
    seat = joint.join(get_db(), workshop["id"], partner_type, role)
    response = redirect(_cookie_path(workshop))
    response.set_cookie(COOKIE, seat, max_age=60 * 60 * 24, path=_cookie_path(workshop),
                        httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def _joined(token: str) -> tuple[dict, dict | None]:
    workshop = _joint_session(token)
    return workshop, participant(workshop)


def _moved_on(workshop: dict, dimension_id: str) -> bool:
    here = joint.current(get_db(), workshop)
    return here is None or here["dimension_id"] != dimension_id


@bp.post("/<token>/place")
def place(token: str):
    workshop, who = _joined(token)
    if who is None:
        return render_phone(workshop, 403, _("Join the session first."))
    qset = joint_set(workshop)
    form = PlacementForm()
    form.value.choices = scale_choices(qset, str(get_locale()))
    if _moved_on(workshop, form.dimension.data):
        return render_phone(workshop, 409, _("The facilitator has moved on to another theme, "
                                             "so this placement was not stored."))
    if not form.validate_on_submit():
        return render_phone(workshop, 400, " ".join(map(str, form.value.errors))
                            or _("Choose a point on the scale."), placement=form)
    try:
        joint.place(get_db(), workshop["id"], who, form.dimension.data, form.value.data,
                    qset.scale.values)
    except joint.NotNow:
        return render_phone(workshop, 409, _("The spread has been shown, so placements are "
                                             "fixed now. Yours was not changed."))
    flash(_("Placed. You can change it until the spread is shown."), "success")
    return redirect(_cookie_path(workshop))


def _seat_key() -> str:
    """Notes are throttled per phone, not per address: a whole room may share one."""
    return request.cookies.get(COOKIE) or request.remote_addr or ""


@bp.post("/<token>/note")
@limiter.limit("12 per minute", key_func=_seat_key)
def note(token: str):
    workshop, who = _joined(token)
    if who is None:
        return render_phone(workshop, 403, _("Join the session first."))
    form = StickyNoteForm()
    if _moved_on(workshop, form.dimension.data):
        return render_phone(workshop, 409, _("The facilitator has moved on to another theme. "
                                             "Your note is still in the box: send it again "
                                             "if it fits this theme."), note=form)
    if not form.validate_on_submit():
        return render_phone(workshop, 400, " ".join(map(str, form.body.errors)), note=form)
    try:
        joint.add_note(get_db(), workshop["id"], form.dimension.data, form.body.data)
    except workshops.Duplicate:
        pass  # the same note twice (a double tap): it is there once
    flash(_("Your note is on the board. The facilitator shows the notes when it fits."),
          "success")
    return redirect(_cookie_path(workshop))


def _dots_sent(rows: list[dict]) -> dict[str, int] | None:
    """The dots per theme from the form; None when a number is not a whole number 0–10."""
    dots = {}
    for row in rows:
        number = whole_number(request.form.get(f"dots-{row['dimension_id']}") or "0",
                              joint.MAX_DOTS)
        if number is None:
            return None
        dots[row["dimension_id"]] = number
    return dots


@bp.post("/<token>/dots")
def dots(token: str):
    workshop, who = _joined(token)
    if who is None:
        return render_phone(workshop, 403, _("Join the session first."))
    confirmed()
    dots = _dots_sent(joint.dimensions(get_db(), workshop["id"]))
    if dots is None:
        return render_phone(workshop, 400, _("Give each theme a whole number of dots."))
    try:
        joint.cast_dots(get_db(), workshop["id"], who, dots)
    except joint.NotNow:
        return render_phone(workshop, 409, _("The dot vote has ended."))
    except ValueError:
        return render_phone(workshop, 400, _("You have %(n)d dots; you gave %(given)d. Nothing "
                                             "was stored.", n=workshop["dots"],
                                             given=sum(dots.values())))
    flash(_("Your dots are in."), "success")
    return redirect(_cookie_path(workshop))

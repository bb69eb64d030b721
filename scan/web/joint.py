"""Joint scoring (samen scoren) for the facilitator: start a session, run it on the projector.

The facilitator's page is the projector: it shows the theme on screen, the
step, how many have placed, the spread beside the survey's released result,
and the controls, all as ordinary forms so a keyboard (or a clicker) runs it.
Its script polls state.json and redraws when the facilitator's version moves.
"""

from __future__ import annotations

import random

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import login_required

from scan import drawing, joint, rounds, workshops
from scan.db import get_db
from scan.questions import QuestionSet
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue
from scan.web.forms import (
    ActionForm,
    DotVoteForm,
    JoiningForm,
    JointAgreementForm,
    JointSessionForm,
    TimerForm,
    choices,
)
from scan.web.i18n import gettext as _
from scan.web.joint_session import (
    decks_for,
    dimension_of,
    joint_or_404,
    joint_set,
    not_now,
    ranked_titles,
    scale_choices,
    session_closed,
    survey_result,
    whole_number,
)
from scan.web.labels import PARTNER_TYPES, RESPONDENT_ROLES
from scan.web.sessions import RUNNERS, review

bp = Blueprint("joint", __name__, url_prefix="/p/<int:pid>/workshops")


bp.register_error_handler(joint.NotNow, not_now)
bp.register_error_handler(workshops.SessionClosed, session_closed)


# ---- starting a session ----------------------------------------------------------------

def _sources(pid: int) -> list[tuple[str, str]]:
    """Every round × set of the partnership, newest round first."""
    lang, found = str(get_locale()), []
    for the_round in rounds.rounds(get_db(), pid):
        for qset in rounds.round_sets(get_db(), question_catalogue(), the_round["id"]):
            found.append((f"{the_round['id']}:{qset.id}",
                          f"{the_round['school_year']} – {the_round['title']}: "
                          f"{qset.title(lang)}"))
    return found


def _session_form(pid: int) -> JointSessionForm:
    form = JointSessionForm()
    form.source.choices = choices(_sources(pid))
    lang = str(get_locale())
    # Only the themes of the sets the partnership's rounds ask; the page shows just
    # those of the set chosen under "source" (static/pickers.js), _chosen checks it.
    asked = {c.value.split(":", 1)[1] for c in form.source.choices}
    form.dimensions.choices = choices(
        (d.id, f"{qset.title(lang)} – {d.title(lang)}")
        for qset in question_catalogue().sets.values() if qset.id in asked
        for d in qset.dimensions)
    return form


def theme_sets() -> dict[str, str]:
    """Each theme's set, for the page to show only the chosen set's themes."""
    return {d: qset.id for d, (qset, _dim) in question_catalogue().dimension_index().items()}


def _chosen(form: JointSessionForm) -> tuple[int, QuestionSet, tuple[str, ...]] | None:
    """The round, set and dimensions chosen, or None with the error on the form."""
    round_id, set_id = form.source.data.split(":", 1)
    qset = question_catalogue().sets[set_id]
    asked = next(s for s in rounds.round_sets(get_db(), question_catalogue(), int(round_id))
                 if s.id == set_id)
    own = [d.id for d in asked.dimensions]
    ticked = form.dimensions.data or []
    if set(ticked) - set(own):
        form.dimensions.errors = [_("Tick only themes of the question set %(set)s.",
                                    set=qset.title(str(get_locale())))]
        return None
    return int(round_id), qset, tuple(d for d in own if d in ticked) or tuple(own)


@bp.route("/joint/new", methods=["GET", "POST"])
@login_required
def new(pid: int):
    partnership = member_of(pid, *RUNNERS)
    form = _session_form(pid)
    status = 200
    if form.validate_on_submit() and (chosen := _chosen(form)):
        round_id, qset, dimension_ids = chosen
        try:
            wid = workshops.create(get_db(), pid, form.title.data, form.held_on.data, round_id,
                                   decks_for(qset), set_id=qset.id, dimension_ids=dimension_ids)
        except workshops.Duplicate:
            form.title.errors.append(_("There is already a session with this title on this "
                                       "date."))
            status = 409
        else:
            return redirect(url_for(".screen", pid=pid, wid=wid))
    elif form.is_submitted():
        status = 400
    return render_template("workshops/joint_new.html", partnership=partnership, form=form,
                           no_rounds=not form.source.choices, theme_sets=theme_sets()), status


# ---- the projector ---------------------------------------------------------------------


def _card_for(workshop: dict, dimension_id: str):
    """The card drawn last for this theme, if any."""
    for row in reversed(workshops.presented(get_db(), workshop["id"])):
        card = question_catalogue().card(row["card_id"])
        if card and dimension_id in card.dimensions:
            return card
    return None


def _stage(partnership: dict, workshop: dict, agreement=None) -> dict:
    db, lang = get_db(), str(get_locale())
    qset = joint_set(workshop)
    rows = joint.dimensions(db, workshop["id"])
    here = joint.current(db, workshop, rows)
    dimension = dimension_of(qset, here["dimension_id"]) if here else None
    if agreement is None and here:
        agreement = JointAgreementForm(formdata=None, dimension=here["dimension_id"],
                                       score=here["score"], evidence=here["evidence"])
    if agreement is not None:
        agreement.score.choices = scale_choices(qset, lang)
    return {
        "partnership": partnership, "workshop": workshop, "set": qset, "lang": lang,
        "rows": rows, "here": here, "dimension": dimension,
        "counts": joint.counts(db, workshop, rows), "state": joint.state(db, workshop, rows),
        "spread": joint.spread(db, workshop["id"], here["dimension_id"]) if here else None,
        "survey": survey_result(workshop, qset, here["dimension_id"]) if here else None,
        "notes": joint.notes(db, workshop["id"], here["dimension_id"]) if here else [],
        "tally": joint.tally(db, workshop["id"]), "card": _card_for(
            workshop, here["dimension_id"]) if here else None,
        "actions": [a for a in workshops.actions(db, partnership["id"], workshop_id=workshop["id"])
                    if here and a["dimension_id"] == here["dimension_id"]],
        "agreement": agreement, "action_form": ActionForm(), "timer_form": TimerForm(),
        "vote_form": DotVoteForm(), "partner_types": PARTNER_TYPES, "roles": RESPONDENT_ROLES,
        "seats": joint.seats(db, workshop["id"]), "room": joint.room(db, workshop, rows),
        "joining_form": JoiningForm(formdata=None, expected=workshop["expected_seats"],
                                    locked=bool(workshop["joining_locked"])),
        "can_vote": joint.can_vote(rows), "ranked": ranked_titles(qset, lang, rows),
        **review(partnership["id"], workshop, workshop["position"] == 0),
        "join_url": url_for("participate.follow", token=workshop["token"], _external=True),
    }


@bp.get("/<int:wid>/joint")
@login_required
def screen(pid: int, wid: int):
    partnership = member_of(pid, *RUNNERS)
    workshop = joint_or_404(pid, wid)
    return render_template("workshops/joint.html", **_stage(partnership, workshop))


@bp.get("/<int:wid>/joint/state.json")
@login_required
def state_json(pid: int, wid: int):
    member_of(pid, *RUNNERS)
    workshop = joint_or_404(pid, wid)
    # The row on screen and the number of rows, not every row: a few small reads.
    body = {**joint.state(get_db(), workshop), **joint.counts(get_db(), workshop)}
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _writable(pid: int, wid: int) -> tuple[dict, dict]:
    partnership = member_of(pid, *RUNNERS)
    workshop = joint_or_404(pid, wid)
    if workshop["status"] != "open":
        fail(409, _("This session is closed. Reopen it to make changes."))
    return partnership, workshop


def _refused(errors: list) -> str:
    """A control's own message, or (no field error) the expired form's."""
    return " ".join(map(str, errors)) or _("This form has expired. Reload the page and try "
                                           "again.")


def _back(pid: int, wid: int):
    return redirect(url_for(".screen", pid=pid, wid=wid))


@bp.post("/<int:wid>/joint/go")
@login_required
def go(pid: int, wid: int):
    _writable(pid, wid)
    confirmed()
    last = len(joint.dimensions(get_db(), wid)) - 1
    position = whole_number(request.form.get("to"), last)
    if position is None:
        fail(400, _("This theme is not part of the session."))
    joint.go_to(get_db(), wid, position)
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/step/<step>")
@login_required
def step(pid: int, wid: int, step: str):
    _writable(pid, wid)
    if step not in ("spread", "agree"):
        fail(404, _("Unknown step."))
    confirmed()
    joint.set_step(get_db(), wid, step)
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/timer")
@login_required
def timer(pid: int, wid: int):
    _writable(pid, wid)
    form = TimerForm()
    if not form.validate_on_submit():
        fail(400, _refused(form.minutes.errors))
    joint.set_timer(get_db(), wid, form.minutes.data)
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/joining")
@login_required
def joining(pid: int, wid: int):
    """Expected number of people and the lock on joining: seats beyond are refused."""
    _writable(pid, wid)
    form = JoiningForm()
    if not form.validate_on_submit():
        fail(400, _refused(form.expected.errors))
    joint.set_joining(get_db(), wid, form.expected.data, form.locked.data)
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/notes")
@login_required
def show_notes(pid: int, wid: int):
    _writable(pid, wid)
    confirmed()
    joint.show_notes(get_db(), wid)
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/vote")
@login_required
def start_vote(pid: int, wid: int):
    _writable(pid, wid)
    form = DotVoteForm()
    if not form.validate_on_submit():
        fail(400, _refused(form.dots.errors))
    if not joint.can_vote(joint.dimensions(get_db(), wid)):
        fail(409, _("A dot vote needs at least two themes still to score; nothing was "
                    "started."))
    joint.start_vote(get_db(), wid, form.dots.data)
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/vote/end")
@login_required
def end_vote(pid: int, wid: int):
    _writable(pid, wid)
    confirmed()
    if joint.end_vote(get_db(), wid) is None:
        flash(_("Fewer than 3 people voted, so the order of the themes stays as it was."),
              "info")
    else:
        flash(_("The themes still to score are now in the order of the dots."), "success")
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/agree")
@login_required
def agree(pid: int, wid: int):
    partnership, workshop = _writable(pid, wid)
    qset = joint_set(workshop)
    form = JointAgreementForm()
    form.score.choices = scale_choices(qset, str(get_locale()))
    here = joint.current(get_db(), workshop)
    if here is None or form.dimension.data != here["dimension_id"]:
        fail(409, _("The session has moved to another theme. Reload the page; nothing was "
                    "stored."))
    if not form.validate_on_submit():
        return render_template("workshops/joint.html",
                               **_stage(partnership, workshop, agreement=form)), 400
    next_step = (form.next_step.data, form.owner.data, form.due_on.data) \
        if form.next_step.data and form.next_step.data.strip() else None
    try:
        joint.agree(get_db(), wid, here["dimension_id"], form.score.data, form.evidence.data,
                    qset.scale.values, next_step)
    except joint.NotNow:
        fail(409, _("Show the spread before agreeing a joint score."))
    flash(_("Joint score recorded."), "success")
    return _back(pid, wid)


@bp.post("/<int:wid>/joint/card")
@login_required
def draw_card(pid: int, wid: int):
    """A card about the theme on screen: at random, or the one the scan points at."""
    _, workshop = _writable(pid, wid)
    confirmed()
    here = joint.current(get_db(), workshop)
    if here is None:
        fail(409, _("This session has no themes."))
    drawn = {c["card_id"] for c in workshops.drawn(get_db(), wid)}
    pile = drawing.pool([c for c in question_catalogue().cards() if c.deck in
                         workshops.deck_ids(get_db(), wid)], drawn,
                        drawing.Filters(dimension=here["dimension_id"]))
    card = drawing.draw_random(pile, random.Random())
    if card is None:
        fail(409, _("Every card about this theme has been drawn in this session."))
    try:
        workshops.add_card(get_db(), wid, card.id)
    except workshops.AlreadyDrawn:
        pass  # drawn a moment ago by a second click: it is on screen already
    return _back(pid, wid)

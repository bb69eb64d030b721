"""What the pages of a joint scoring session share (samen scoren): the facilitator's
projector (scan.web.joint), the wall (scan.web.joint_wall) and the phones
(scan.web.joint_phone, reached through scan.web.participate's short link).

The session and its set, its themes, the survey's released result beside a theme,
the answers to a step taken out of turn, and the phone page itself live here, so
that none of those blueprints imports another."""

from __future__ import annotations

import re

from flask import render_template, request
from flask_babel import get_locale

from scan import joint, roles
from scan.db import get_db
from scan.questions import Dimension, QuestionSet, Text
from scan.web.access import fail
from scan.web.context import question_catalogue, render_error
from scan.web.forms import PlacementForm, SeatForm, StickyNoteForm, choices
from scan.web.i18n import gettext as _
from scan.web.labels import PARTNER_TYPES, RESPONDENT_ROLES
from scan.web.released import report_for
from scan.web.sessions import workshop_or_404


def not_now(_error):
    """The session moved on between loading the page and sending it."""
    return render_error(409, _("The session has moved on since this page was loaded. Reload "
                               "the page; nothing was stored."))


def session_closed(_error):
    return render_error(410, _("This workshop session has ended. Thank you for taking part."))


def session_full(_error):
    return render_error(409, _("This session takes no more participants. Ask the "
                               "facilitator if you are in the room and have not joined yet."))


def joint_set(workshop: dict) -> QuestionSet:
    """The set a joint session scores; a session whose set left the catalogue is gone."""
    qset = question_catalogue().sets.get(workshop["set_id"] or "")
    if qset is None:
        fail(404, _("The question set of this session no longer exists."))
    return qset


def joint_or_404(pid: int, wid: int) -> dict:
    workshop = workshop_or_404(pid, wid)
    if workshop["kind"] != "joint":
        fail(404, _("This is not a joint scoring session."))
    return workshop


def dimension_of(qset: QuestionSet, dimension_id: str):
    """The theme from the set; one the question files dropped since still shows, by its id."""
    return qset.dimension(dimension_id) or Dimension(
        dimension_id, Text(dimension_id, dimension_id), Text("", ""), ())


def scale_choices(qset: QuestionSet, lang: str) -> list:
    return [(p.value, f"{p.value} – {p.label(lang)}") for p in qset.scale.points]


def decks_for(qset: QuestionSet) -> list[str]:
    """The decks with cards about the set's themes, so a card can be drawn for each."""
    own = {d.id for d in qset.dimensions}
    return [deck.id for deck in question_catalogue().decks.values()
            if any(own & set(card.dimensions) for card in deck.cards)]


def survey_result(workshop: dict, qset: QuestionSet, dimension_id: str) -> dict:
    """The survey's released result for the dimension: mean, spread and people, or why not."""
    report = report_for(workshop["round_id"], qset) if workshop["round_id"] else None
    if report is None or not report.shown:
        return {"shown": False}
    mean = report.overall.means.get(dimension_id)
    spread = next((d.spread for d in report.differences if d.dimension_id == dimension_id),
                  None)
    return {"shown": mean is not None, "mean": mean, "spread": spread,
            "respondents": report.respondents}


def ranked_titles(qset: QuestionSet, lang: str, rows: list[dict]) -> list[tuple]:
    """The last dot vote as (place, theme title, dots), most dots first."""
    return [(place, dimension_of(qset, row["dimension_id"]).title(lang), row["dots"])
            for place, row in joint.ranking(rows)]


def whole_number(text: str | None, highest: int) -> int | None:
    """A whole number 0..highest typed in ASCII digits, else None. (str.isdigit
    admits "²", which int() refuses, and a 5000-digit number would be a 500.)"""
    text = (text or "").strip()
    if not re.fullmatch(r"[0-9]{1,6}", text) or int(text) > highest:
        return None
    return int(text)


COOKIE = "samenscan_seat"


def participant(workshop: dict) -> dict | None:
    return joint.participant(get_db(), workshop["id"], request.cookies.get(COOKIE))


def seat_form(workshop: dict) -> SeatForm:
    form = SeatForm()
    options = [("", _("Choose…"))]
    for kind, kind_roles in roles.roles_by_type(get_db(), workshop["partnership_id"]).items():
        options += [(f"{kind}:{role}", f"{PARTNER_TYPES[kind]} – {RESPONDENT_ROLES[role]}")
                    for role in kind_roles]
    form.seat.choices = choices(options)
    return form


def placement_form(qset, here: dict, value: int | None) -> PlacementForm:
    form = PlacementForm(formdata=None, dimension=here["dimension_id"], value=value)
    form.value.choices = scale_choices(qset, str(get_locale()))
    return form


def render_phone(workshop: dict, status: int = 200, error: str | None = None,
                 placement: PlacementForm | None = None, note: StickyNoteForm | None = None):
    """The phone page: joining first, then the step on screen."""
    db = get_db()
    who = participant(workshop)
    if who is None:
        return render_template("workshops/joint_join.html", workshop=workshop,
                               form=seat_form(workshop), error=error), status
    qset = joint_set(workshop)
    here = joint.current(db, workshop)
    own = joint.own_placement(db, workshop["id"], who["id"], here["dimension_id"]) \
        if here else None
    if here and placement is None:
        placement = placement_form(qset, here, own)
    return render_template(
        "workshops/joint_phone.html", workshop=workshop, set=qset, here=here, own=own,
        dimension=dimension_of(qset, here["dimension_id"]) if here else None,
        lang=str(get_locale()), state=joint.state(db, workshop), error=error,
        placement=placement, dots=joint.own_dots(db, workshop["id"], who["id"]),
        rows=joint.dimensions(db, workshop["id"]),
        note=note or StickyNoteForm(formdata=None,
                                    dimension=here["dimension_id"] if here else "")), status

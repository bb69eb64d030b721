"""Participants follow a workshop on their phone: the current card, no account needed."""

from __future__ import annotations

import re
import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale

from scan import card_notes, card_vote, joint, workshops
from scan.db import get_db
from scan.web.access import fail
from scan.web.context import question_catalogue
from scan.web.flood_guard import FloodGuard
from scan.web.forms import CardNoteForm
from scan.web.i18n import gettext as _
from scan.web.joint_session import render_phone
from scan.web.security import limiter, poll_limit
from scan.web.sessions import open_session, stage_texts, state

bp = Blueprint("participate", __name__, url_prefix="/w")


@bp.get("/<token>")
def follow(token: str):
    workshop = open_session(token)
    if workshop["kind"] == "joint":
        return render_phone(workshop)
    response = make_response(_follow(workshop))
    if not request.cookies.get(PHONE):
        response.set_cookie(PHONE, secrets.token_urlsafe(12), max_age=60 * 60 * 24,
                            path=url_for(".follow", token=token), httponly=True,
                            samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def _follow(workshop: dict, status: int = 200, form: CardNoteForm | None = None,
            error: str | None = None):
    now = state(workshop)
    if form is None:
        form = CardNoteForm(formdata=None, row=now["card"]["row"] if now["card"] else "")
    return render_template("workshops/follow.html", workshop=workshop, state=now,
                           stage_texts=stage_texts(), note=form, error=error,
                           vote_cards=_vote_cards(workshop) if workshop["dots"] else [],
                           own_dots=card_vote.own(get_db(), workshop["id"],
                                                  request.cookies.get(VOTER))), status


VOTER = "samenscan_card_vote"   # a phone's voting token, on the session's own path


def _vote_cards(workshop: dict) -> list[dict]:
    lang, found = str(get_locale()), []
    for row in workshops.presented(get_db(), workshop["id"]):
        card = question_catalogue().card(row["card_id"])
        found.append({"row": row["id"], "question": card.question(lang) if card
                      else row["card_id"]})
    return found


# A flood guard, not a brute-force guard: counted in the worker and shared in batches,
# so a poll seldom waits for Redis (scan.web.flood_guard).
polls = FloodGuard("poll", poll_limit)


@bp.get("/<token>/state.json")
@polls
def follow_state(token: str):
    workshop = open_session(token)
    body = joint.state(get_db(), workshop) if workshop["kind"] == "joint" else state(workshop)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


PHONE = "samenscan_phone"   # a random name for the phone, for throttling only


def _phone_key() -> str:
    """Notes are throttled per phone (a random cookie set by the page), not per
    address: a whole room may share one."""
    return request.cookies.get(PHONE) or request.remote_addr or ""


@bp.post("/<token>/card-note")
@limiter.limit("12 per minute", key_func=_phone_key)
def card_note(token: str):
    """A phone's anonymous note on the card on screen (card workshops)."""
    workshop = open_session(token)
    if workshop["kind"] != "cards":
        fail(404, _("Notes on cards belong to card workshops; use the note box on the page."))
    form = CardNoteForm()
    if not form.validate_on_submit():
        return _follow(workshop, 400, form, " ".join(map(str, form.body.errors)) or
                       _("This form has expired. Reload the page and try again."))
    row = form.row.data or ""
    row_id = int(row) if re.fullmatch(r"[0-9]{1,9}", row) else -1   # tampered: not on screen
    try:
        card_notes.add(get_db(), workshop["id"], row_id, form.body.data)
    except card_notes.NotOnScreen:
        return _follow(workshop, 409, form, _("The facilitator has moved on to another card. "
                                              "Your note is still in the box: send it again "
                                              "if it fits this card."))
    except workshops.Duplicate:
        pass  # the same note twice (a double tap): it is there once
    flash(_("Your note is in. The facilitator shows the notes when it fits."), "success")
    return redirect(url_for(".follow", token=token))


@bp.post("/<token>/card-dots")
def card_dots(token: str):
    """A phone's dots over the cards; sending again replaces them."""
    workshop = open_session(token)
    if workshop["kind"] != "cards":
        fail(404, _("This dot vote belongs to card workshops."))
    dots = {}
    for row in workshops.presented(get_db(), workshop["id"]):
        text = (request.form.get(f"dots-{row['id']}") or "0").strip()
        if not re.fullmatch(r"[0-9]{1,2}", text):
            return _follow(workshop, 400, error=_("Give each card a whole number of dots."))
        dots[row["id"]] = int(text)
    try:
        voter = card_vote.cast(get_db(), workshop["id"], request.cookies.get(VOTER), dots)
    except joint.NotNow:
        return _follow(workshop, 409, error=_("The dot vote has ended."))
    except ValueError:
        return _follow(workshop, 400, error=_("You have %(n)d dots; you gave %(given)d. Nothing "
                                              "was stored.", n=workshop["dots"],
                                              given=sum(dots.values())))
    flash(_("Your dots are in."), "success")
    response = redirect(url_for(".follow", token=token))
    response.set_cookie(VOTER, voter, max_age=60 * 60 * 24, path=url_for(".follow", token=token),
                        httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response

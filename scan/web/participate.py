"""Participants follow a workshop on their phone: the current card, no account needed."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_babel import gettext as _

from scan import workshops
from scan.db import get_db
from scan.web.access import fail
from scan.web.workshops import stage_texts, state

bp = Blueprint("participate", __name__, url_prefix="/w")


def _open_session(token: str) -> dict:
    workshop = workshops.workshop_by_token(get_db(), token)
    if workshop is None:
        fail(404, _("This workshop link is not known. Check that you copied the whole address."))
    if workshop["status"] != "open":
        fail(410, _("This workshop session has ended. Thank you for taking part."))
    return workshop


@bp.get("/<token>")
def follow(token: str):
    workshop = _open_session(token)
    return render_template("workshops/follow.html", workshop=workshop, state=state(workshop),
                           stage_texts=stage_texts())


@bp.get("/<token>/state.json")
def follow_state(token: str):
    response = jsonify(state(_open_session(token)))
    response.headers["Cache-Control"] = "no-store"
    return response

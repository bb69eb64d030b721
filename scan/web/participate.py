"""Participants follow a workshop on their phone: the current card, no account needed."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from scan import joint
from scan.db import get_db
from scan.web.joint_phone import render_phone
from scan.web.security import limiter, poll_limit
from scan.web.workshops import open_session, stage_texts, state

bp = Blueprint("participate", __name__, url_prefix="/w")


@bp.get("/<token>")
def follow(token: str):
    workshop = open_session(token)
    if workshop["kind"] == "joint":
        return render_phone(workshop)
    return render_template("workshops/follow.html", workshop=workshop, state=state(workshop),
                           stage_texts=stage_texts())


@bp.get("/<token>/state.json")
@limiter.limit(poll_limit)
def follow_state(token: str):
    workshop = open_session(token)
    body = joint.state(get_db(), workshop) if workshop["kind"] == "joint" else state(workshop)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response

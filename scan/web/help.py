"""Help: a short page per job (coordinator, facilitator, steering group, respondent)
and a glossary of the field's terms; open to everyone, signed in or not."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from scan.web.access import fail
from scan.web.i18n import gettext as _

bp = Blueprint("help", __name__, url_prefix="/help")
JOBS = ("coordinator", "facilitator", "steering-group", "respondent")


@bp.get("/")
def index():
    return render_template("help/index.html", jobs=JOBS)


@bp.get("/<job>")
def job(job: str):
    if job not in JOBS:
        fail(404, _("There is no help page by this name. The help index lists them all."))
    return render_template(f"help/{job}.html", jobs=JOBS,
                           k=int(current_app.config["ANONYMITY_THRESHOLD"]))

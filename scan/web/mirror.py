"""The respondent's own mirror: after a release, their resume link shows their own
answers beside the partnership's released results for the same themes (scan.mirror).

No account and no partnership in the address: the resume token is the only key,
and only its hash is stored. A token that is not known, altered or of a questionnaire
that was never sent in gives the same 404, so the page says nothing about whose
it might be. The released side is read through the one door (scan.results, by way of
the report views' report_for), never from answers.
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from scan import mirror, responses
from scan.db import get_db
from scan.web.access import fail
from scan.web.i18n import gettext as _
from scan.web.labels import RESPONDENT_ROLES
from scan.web.reports import latest_release, report_for
from scan.web.respond import asked_sets
from scan.web.rounds import threshold
from scan.web.security import limiter

bp = Blueprint("mirror", __name__)


def _sent_in(token: str) -> dict:
    found = responses.respondent(get_db(), token)
    if found is None or not found["submitted_at"]:
        # One message for every way in that is not someone's sent-in questionnaire:
        # unknown, altered, or not sent in (those continue at /r/<token>).
        fail(404, _("This link does not show answers beside the results. That page opens "
                    "with the personal link of a questionnaire that was sent in; check that "
                    "you copied the whole address."))
    return found


def _mirrored(respondent: dict) -> list[mirror.MirroredSet]:
    db = get_db()
    found = []
    for routed in asked_sets(respondent):
        report = report_for(respondent["round_id"], routed)
        own = mirror.own_answers(db, respondent["id"], routed)
        found.append(mirror.mirrored_set(routed, own, report, respondent["role"]))
    return found


@bp.get("/r/<token>/mirror")
# Per address: a class behind one school address reading their mirrors fits; trying
# tokens one after another does not (they are 128 random bits in any case).
@limiter.limit("120 per minute")
def mirror_page(token: str):
    respondent = _sent_in(token)
    released = latest_release(respondent["round_id"]) is not None
    return render_template(
        "respond/mirror.html", respondent=respondent, released=released,
        sets=_mirrored(respondent) if released else [], k=threshold(),
        role=RESPONDENT_ROLES.get(respondent["role"], respondent["role"]),
        mirror_url=url_for(".mirror_page", token=token, _external=True))

"""A coordinator reads a round's comments and holds back any that name someone.

The list carries no writer, group or time (scan.comments); holding back or
showing again is audited and takes effect on every report and export at once.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from scan import accounts, comments, results, rounds
from scan.db import get_db
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue
from scan.web.forms import ActionForm
from scan.web.i18n import gettext as _

bp = Blueprint("comments", __name__, url_prefix="/p/<int:pid>/rounds/<int:rid>/comments")


def _round(pid: int, rid: int) -> tuple[dict, dict]:
    partnership = member_of(pid, "coordinator")
    found = rounds.round_of(get_db(), pid, rid)
    if found is None:
        fail(404, _("This scan round does not exist in this partnership."))
    return partnership, found


@bp.get("")
@login_required
def review(pid: int, rid: int):
    partnership, the_round = _round(pid, rid)
    sets = rounds.round_sets(get_db(), question_catalogue(), rid)
    titles = {(s.id, d.id): d.title for s in sets for d in s.dimensions}
    return render_template("comments/review.html", partnership=partnership, round=the_round,
                           comments=results.comments_for_review(get_db(), rid), titles=titles,
                           action_form=ActionForm())


@bp.post("/<int:cid>/<any(on, off):state>")
@login_required
def hold(pid: int, rid: int, cid: int, state: str):
    """Hold a comment back (off) or show it again (on)."""
    what = "hold" if state == "off" else "show"
    _round(pid, rid)
    confirmed()
    if not comments.hold_back(get_db(), rid, cid, what == "hold"):
        abort(404)
    accounts.record(get_db(), "comment held back" if what == "hold" else "comment shown again",
                    current_user.id, pid, f"round {rid}, comment {cid}")
    flash(_("Comment held back: no report or export shows it.") if what == "hold"
          else _("The comment is shown again where its groups are shown."), "success")
    return redirect(url_for(".review", pid=pid, rid=rid))

"""Which respondent roles each type of partner has in this partnership (scan.roles)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from scan import accounts, roles
from scan.db import get_db
from scan.questions import RESPONDENT_ROLES
from scan.web.access import confirmed, fail, member_of
from scan.web.forms import ActionForm
from scan.web.i18n import gettext as _

bp = Blueprint("roles", __name__)


@bp.route("/p/<int:pid>/roles", methods=["GET", "POST"])
@login_required
def settings(pid: int):
    partnership = member_of(pid, "coordinator")
    db = get_db()
    if request.method == "POST":
        confirmed()
        chosen = {kind: list(dict.fromkeys(request.form.getlist(kind)))   # a role once
                  for kind in roles.PARTNER_TYPES}
        try:
            roles.set_roles(db, pid, chosen)
        except ValueError:
            fail(400, _("Give every type of partner at least one of the roles listed. Nothing "
                        "was changed."))
        accounts.record(db, "roles per partner type", current_user.id, pid,
                        "; ".join(f"{k}: {', '.join(v)}" for k, v in chosen.items()))
        flash(_("Saved. New rounds and added links follow these roles; existing links stay."),
              "success")
        return redirect(url_for(".settings", pid=pid))
    return render_template("partnerships/roles.html", partnership=partnership,
                           by_type=roles.roles_by_type(db, pid), defaults=roles.DEFAULT_ROLES,
                           all_roles=RESPONDENT_ROLES, form=ActionForm())

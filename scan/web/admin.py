"""The instance administrator: partnerships, their first coordinator, password resets."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from scan import accounts
from scan.db import get_db
from scan.web.access import confirmed, fail
from scan.web.forms import ActionForm, PartnershipForm
from scan.web.i18n import gettext as _

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    if not current_user.is_admin:
        fail(403, _("Only an administrator of this service can open this page."))


def ensure_user(db, name: str, email: str) -> tuple[int, str | None]:
    """An existing account by email, or a new one with a temporary password."""
    user = accounts.user_by_email(db, email)
    if user:
        return user["id"], None
    password = accounts.temporary_password()
    return accounts.create_user(db, email, name, password, temporary=True), password


@bp.route("/", methods=["GET", "POST"])
def index():
    db = get_db()
    form = PartnershipForm()
    created = None
    if form.validate_on_submit():
        partnership_id = accounts.create_partnership(db, form.name.data)
        user_id, password = ensure_user(db, form.coordinator_name.data,
                                        form.coordinator_email.data)
        accounts.set_member(db, partnership_id, user_id, "coordinator")
        accounts.record(db, "partnership created", current_user.id, partnership_id,
                        f"first coordinator {form.coordinator_email.data}")
        created = {"name": form.name.data, "email": form.coordinator_email.data,
                   "password": password}
        form = PartnershipForm(formdata=None)
    status = 400 if form.errors else 200
    return render_template("admin/index.html", form=form, created=created,
                           partnerships=accounts.all_partnerships(db),
                           users=accounts.all_users(db), reset=ActionForm()), status


@bp.post("/users/<int:user_id>/reset-password")
def reset_password(user_id: int):
    db = get_db()
    confirmed()
    user = accounts.user_by_id(db, user_id)
    if user is None:
        fail(404, _("This account does not exist."))
    password = accounts.temporary_password()
    # The temporary password must be changed at the next sign-in; every
    # session of the account (a stolen cookie too) ends now.
    accounts.set_password(db, user_id, password, temporary=True)
    accounts.record(db, "password reset", current_user.id, detail=f"for {user['email']}")
    return render_template("admin/reset.html", user=user, password=password)


@bp.get("/audit")
def audit():
    return render_template("admin/audit.html", entries=accounts.audit_log(get_db()),
                           partnership=None)


@bp.get("/partnerships/<int:partnership_id>")
def partnership(partnership_id: int):
    """One partnership as the administrator sees it: its members and their roles, to
    know whom to reset or whom to ask. No results: those are for members only."""
    db = get_db()
    found = next((p for p in accounts.all_partnerships(db) if p["id"] == partnership_id),
                 None)
    if found is None:
        fail(404, _("This partnership does not exist."))
    return render_template("admin/partnership.html", partnership=found,
                           members=accounts.members(db, partnership_id),
                           is_member=accounts.role_in(db, current_user.id,
                                                      partnership_id) is not None)

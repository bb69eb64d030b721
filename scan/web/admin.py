"""The instance administrator: partnerships, their first coordinator, password resets."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_login import current_user, login_required

from scan import accounts, invitations, mail
from scan.db import get_db
from scan.web import audit_log, mailing
from scan.web.access import confirmed, fail
from scan.web.forms import ActionForm, PartnershipForm
from scan.web.i18n import gettext as _
from scan.web.i18n import lazy_gettext as _l

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    if not current_user.is_admin:
        fail(403, _("Only an administrator of this service can open this page."))


@bp.route("/", methods=["GET", "POST"])
def index():
    db = get_db()
    form = PartnershipForm()
    created = None
    if form.validate_on_submit():
        partnership_id = accounts.create_partnership(db, form.name.data)
        partnership = accounts.partnership(db, partnership_id)
        invited = _first_coordinator(partnership, form.coordinator_name.data,
                                     form.coordinator_email.data, form.lang.data)
        accounts.record(db, "partnership created", current_user.id, partnership_id,
                        f"first coordinator {form.coordinator_email.data}"
                        f" ({'invited' if invited else 'existing account'})")
        created = {"name": form.name.data, "email": form.coordinator_email.data,
                   "invited": invited}
        form = PartnershipForm(formdata=None)
    status = 400 if form.errors else 200
    return render_template("admin/index.html", form=form, created=created,
                           partnerships=accounts.all_partnerships(db),
                           users=accounts.all_users(db), reset=ActionForm(),
                           outbox=mailing.uses_outbox_folder()), status


def _first_coordinator(partnership: dict, name: str, email: str, lang: str) -> bool:
    """An existing account becomes coordinator at once and hears so by mail; a new
    address gets an invitation by mail, with which they make their own account (no
    temporary password passes through anyone's hands). True if invited."""
    db = get_db()
    user = accounts.user_by_email(db, email)
    if user:
        accounts.set_member(db, partnership["id"], user["id"], "coordinator")
        mailing.send("coordinator_added", lang, user["email"],
                     _l("You are coordinator of %(partnership)s in Samenscan",
                        partnership=partnership["name"]),
                     reply_to=current_user.email, purpose="coordinator added",
                     partnership_id=partnership["id"], name=user["name"],
                     partnership=partnership["name"],
                     url=url_for("partnerships.dashboard", pid=partnership["id"], _external=True))
        return False
    token = invitations.invite(db, partnership["id"], email, name, "coordinator",
                               current_user.id)
    mailing.member_invitation(partnership, email, name, "coordinator", lang,
                              url_for("accounts.invitation", token=token, _external=True),
                              invitations.id_of(db, token))
    return True


@bp.get("/outbox")
def outbox():
    """Without a mail server, every message lands in the outbox folder: read them here."""
    folder = mailing.outbox_folder(current_app)
    mailing.forget_ended_links()   # an expired link is never shown
    return render_template("admin/outbox.html", messages=mail.folder_messages(folder),
                           outbox=mailing.uses_outbox_folder(),
                           waiting=mail.status_counts(get_db()))


@bp.get("/outbox/<name>")
def outbox_message(name: str):
    found = mail.folder_message(mailing.outbox_folder(current_app), name)
    if found is None:
        fail(404, _("This message is not in the outbox."))
    return render_template("admin/outbox_message.html", message=found)


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
    return audit_log.render_log(None)


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

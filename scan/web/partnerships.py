"""A partnership's home: its partners, members and rounds."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from scan import accounts, checklist, invitations, mail, partners, rounds
from scan.db import get_db
from scan.web import audit_log, mailing
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue
from scan.web.forms import ActionForm, MemberForm, PartnerForm, RoleForm
from scan.web.i18n import gettext as _

bp = Blueprint("partnerships", __name__)


@bp.get("/")
@login_required
def home():
    return render_template("partnerships/home.html",
                           memberships=accounts.memberships(get_db(), current_user.id))


@bp.get("/p/<int:pid>/")
@login_required
def dashboard(pid: int):
    partnership = member_of(pid)
    db = get_db()
    steps = checklist.steps(db, pid)
    return render_template("partnerships/dashboard.html", partnership=partnership,
                           steps=None if checklist.all_done(steps) else steps,
                           partners=partners.partners(db, pid), rounds=rounds.rounds(db, pid),
                           members=accounts.members(db, pid),
                           year_sets=rounds.sets_used(db, question_catalogue(), pid))


@bp.route("/p/<int:pid>/partners", methods=["GET", "POST"])
@login_required
def partner_list(pid: int):
    partnership = member_of(pid, "coordinator")
    db = get_db()
    form = PartnerForm()
    status = 200
    if form.validate_on_submit():
        try:
            partners.add_partner(db, pid, form.name.data, form.type.data, form.sector.data)
        except partners.DuplicatePartner:
            form.name.errors.append(_("This partnership already has a partner with this name."))
            status = 409
        else:
            flash(_("Partner %(name)s added.", name=form.name.data), "success")
            return redirect(url_for(".partner_list", pid=pid))
    elif form.is_submitted():
        status = 400
    return render_template("partnerships/partners.html", partnership=partnership, form=form,
                           partners=partners.active_partners(db, pid),
                           archived=partners.archived_partners(db, pid),
                           delete=ActionForm()), status


def _partner_or_404(pid: int, partner_id: int) -> dict:
    partner = partners.partner(get_db(), pid, partner_id)
    if partner is None:
        fail(404, _("This partner does not exist in this partnership."))
    return partner


@bp.route("/p/<int:pid>/partners/<int:partner_id>", methods=["GET", "POST"])
@login_required
def partner_edit(pid: int, partner_id: int):
    partnership = member_of(pid, "coordinator")
    partner = _partner_or_404(pid, partner_id)
    form = PartnerForm(data=partner)
    status = 200
    if form.validate_on_submit():
        try:
            partners.update_partner(get_db(), pid, partner_id, form.name.data, form.type.data,
                                    form.sector.data)
        except partners.DuplicatePartner:
            form.name.errors.append(_("This partnership already has a partner with this name."))
            status = 409
        else:
            flash(_("Partner saved."), "success")
            return redirect(url_for(".partner_list", pid=pid))
    elif form.is_submitted():
        status = 400
    return render_template("partnerships/partner_edit.html", partnership=partnership,
                           partner=partner, form=form), status


@bp.post("/p/<int:pid>/partners/<int:partner_id>/delete")
@login_required
def partner_delete(pid: int, partner_id: int):
    partnership = member_of(pid, "coordinator")
    partner = _partner_or_404(pid, partner_id)
    confirmed()
    try:
        partners.delete_partner(get_db(), pid, partner_id)
    except partners.PartnerInUse:
        # Not a dead end: say why, and offer what does work (archiving).
        return render_template("partnerships/partner_in_use.html", partnership=partnership,
                               partner=partner, archive=ActionForm()), 409
    flash(_("Partner %(name)s deleted.", name=partner["name"]), "success")
    return redirect(url_for(".partner_list", pid=pid))


@bp.post("/p/<int:pid>/partners/<int:partner_id>/archive")
@login_required
def partner_archive(pid: int, partner_id: int):
    member_of(pid, "coordinator")
    partner = _partner_or_404(pid, partner_id)
    confirmed()
    partners.archive_partner(get_db(), pid, partner_id)
    flash(_("Partner %(name)s archived. Its answers and reports are kept; it is no longer "
            "offered for new rounds.", name=partner["name"]), "success")
    return redirect(url_for(".partner_list", pid=pid))


@bp.post("/p/<int:pid>/partners/<int:partner_id>/restore")
@login_required
def partner_restore(pid: int, partner_id: int):
    member_of(pid, "coordinator")
    partner = _partner_or_404(pid, partner_id)
    confirmed()
    partners.restore_partner(get_db(), pid, partner_id)
    flash(_("Partner %(name)s restored: it is offered for new rounds again.",
            name=partner["name"]), "success")
    return redirect(url_for(".partner_list", pid=pid))


@bp.route("/p/<int:pid>/members", methods=["GET", "POST"])
@login_required
def member_list(pid: int):
    partnership = member_of(pid, "coordinator")
    db = get_db()
    form = MemberForm()
    invited = None
    if form.validate_on_submit():
        # The same answer whether or not the address has an account: a link, by mail
        # (and shown once, to hand over in person should the mail not arrive).
        token = invitations.invite(db, pid, form.email.data, form.name.data, form.role.data,
                                   current_user.id)
        link = url_for("accounts.invitation", token=token, _external=True)
        mailing.member_invitation(partnership, form.email.data, form.name.data, form.role.data,
                                  form.lang.data, link, invitations.id_of(db, token))
        accounts.record(db, "member invited", current_user.id, pid,
                        f"{form.email.data} as {form.role.data}")
        invited = {"email": form.email.data, "link": link}
        form = MemberForm(formdata=None)
    return _members_page(partnership, form, invited=invited), 400 if form.errors else 200


def _members_page(partnership: dict, form: MemberForm | None = None, **extra) -> str:
    db, pid = get_db(), partnership["id"]
    return render_template("partnerships/members.html", partnership=partnership,
                           form=form or MemberForm(formdata=None),
                           members=accounts.members(db, pid),
                           pending=invitations.open_invitations(db, pid),
                           failed=mail.failed(db, pid, of_rounds=False), role_form=RoleForm(),
                           remove=ActionForm(), **extra)


def _last_coordinator(partnership: dict, user_id: int):
    """The members page again, saying why and what to do instead of a bare error."""
    problem = _("%(name)s is the only coordinator of this partnership, and a partnership "
                "always needs one. First make someone else coordinator (choose "
                "\"Coordinator\" beside their name and press \"Change role\"); then you can "
                "change or remove %(name)s.",
                name=accounts.user_by_id(get_db(), user_id)["name"])
    return _members_page(partnership, problem=problem), 409


@bp.post("/p/<int:pid>/members/invitations/<int:iid>/send")
@login_required
def member_resend(pid: int, iid: int):
    """Send a pending invitation again, with a new link (the old one stops working)."""
    partnership = member_of(pid, "coordinator")
    confirmed()
    renewed = invitations.renew(get_db(), pid, iid, current_user.id)
    if renewed is None:
        fail(404, _("This invitation is not open any more: it was accepted or has expired."))
    token, found = renewed
    mailing.member_invitation(partnership, found["email"], found["name"], found["role"],
                              request.form.get("lang") if request.form.get("lang")
                              in ("nl", "en") else "nl",
                              url_for("accounts.invitation", token=token, _external=True),
                              found["id"])
    mailing.forget_ended_links()   # the mail with the old link
    accounts.record(get_db(), "member invitation sent again", current_user.id, pid,
                    found["email"])
    flash(_("The invitation to %(email)s was sent again, with a new link valid for %(days)d "
            "days.", email=found["email"], days=invitations.VALID_DAYS), "success")
    return redirect(url_for(".member_list", pid=pid))


@bp.post("/p/<int:pid>/mail/retry")
@login_required
def mail_retry(pid: int):
    """Offer this partnership's mails that could not be sent once more."""
    member_of(pid, "coordinator")
    confirmed()
    db = get_db()
    count = mail.retry(db, [m["id"] for m in mail.failed(db, pid)])
    mailing.wake()
    accounts.record(db, "mail retried", current_user.id, pid, f"{count} messages")
    flash(_("The messages that were not sent are being sent again. Reload the page in a "
            "moment to see whether they went."), "success")
    return redirect(safe_back(pid))


def safe_back(pid: int) -> str:
    """Back to the page the retry came from, if it is one of this partnership's."""
    target = request.form.get("back", "")
    prefix = url_for(".dashboard", pid=pid)
    return target if target.startswith(prefix) and "//" not in target else prefix


@bp.post("/p/<int:pid>/invitations/<int:invitation_id>/revoke")
@login_required
def invitation_revoke(pid: int, invitation_id: int):
    """A link handed to the wrong person, or no longer wanted, stops working for good."""
    member_of(pid, "coordinator")
    confirmed()
    ended = invitations.revoke(get_db(), pid, invitation_id)
    if ended is None:
        fail(404, _("This invitation is not open (any more)."))
    accounts.record(get_db(), "invitation revoked", current_user.id, pid,
                    f"{ended['email']} as {ended['role']}")
    mailing.forget_ended_links()
    flash(_("The invitation for %(email)s no longer works.", email=ended["email"]), "success")
    return redirect(url_for(".member_list", pid=pid))


def _member_or_404(pid: int, user_id: int) -> None:
    if accounts.role_in(get_db(), user_id, pid) is None:
        fail(404, _("This person is not a member of this partnership."))


@bp.post("/p/<int:pid>/members/<int:user_id>/role")
@login_required
def member_role(pid: int, user_id: int):
    partnership = member_of(pid, "coordinator")
    _member_or_404(pid, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        fail(400, _("Choose one of the listed roles."))
    try:
        accounts.set_member(get_db(), pid, user_id, form.role.data)
    except accounts.LastCoordinator:
        return _last_coordinator(partnership, user_id)
    accounts.record(get_db(), "member role changed", current_user.id, pid,
                    f"user {user_id} to {form.role.data}")
    flash(_("Role changed."), "success")
    return redirect(url_for(".member_list", pid=pid))


@bp.post("/p/<int:pid>/members/<int:user_id>/remove")
@login_required
def member_remove(pid: int, user_id: int):
    partnership = member_of(pid, "coordinator")
    _member_or_404(pid, user_id)
    confirmed()
    try:
        accounts.remove_member(get_db(), pid, user_id)
    except accounts.LastCoordinator:
        return _last_coordinator(partnership, user_id)
    accounts.record(get_db(), "member removed", current_user.id, pid, f"user {user_id}")
    flash(_("Member removed."), "success")
    return redirect(url_for(".member_list", pid=pid))


@bp.get("/p/<int:pid>/audit")
@login_required
def audit(pid: int):
    """What coordinators, facilitators and viewers did in this partnership, newest first."""
    partnership = member_of(pid, "coordinator")
    return audit_log.render_log(partnership)

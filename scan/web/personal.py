"""Personal invitations: a coordinator mails each person of a group their own link,
and reminds those who have not sent in; the person answers through that link.

The coordinator sees counts per group link (invited, sent in, reminders possible),
never who has or has not answered (scan.personal says why the database cannot
tell either).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from scan import accounts, mail, personal, responses, rounds
from scan.db import get_db
from scan.web import mailing
from scan.web.access import fail, member_of
from scan.web.context import threshold
from scan.web.forms import ActionForm, PersonalInvitationForm
from scan.web.i18n import gettext as _
from scan.web.i18n import lazy_gettext as _l
from scan.web.i18n import ngettext
from scan.web.labels import RESPONDENT_ROLES
from scan.web.questionnaire import COOKIE_DAYS, closed_page, cookie_name, landing_page
from scan.web.security import limiter

bp = Blueprint("personal", __name__)
MAX_UPLOAD_BYTES = 256 * 1024


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


# ---- The respondent's side ------------------------------------------------------

def _start_limit() -> str:
    return current_app.config.get("START_LIMIT", "60 per minute")


@bp.route("/i/<token>", methods=["GET", "POST"])
@limiter.limit(_start_limit, methods=["POST"])
def landing(token: str):
    """A personal link: the round's welcome and "start", or straight back to one's
    questionnaire when it was started before (on any device)."""
    db = get_db()
    found = personal.invitation(db, _secret(), token)
    if found is None:
        fail(404, _("This personal link is not known. Check that you copied the whole "
                    "address from the mail."))
    resume = personal.resume_token(_secret(), token)
    started = responses.respondent(db, resume)
    if started and started["submitted_at"]:
        mailing.forget_files(personal.sent_in(db, resume))   # makes sure the address is gone
        return redirect(url_for("respond.thanks", token=resume))
    if found["status"] != "open":
        closed_page(found)
    if started:
        return redirect(url_for("respond.resume", token=resume))
    form = ActionForm()
    if form.validate_on_submit():
        try:
            resume = personal.start(db, _secret(), token)
        except responses.RoundClosed:
            closed_page(found)
        response = redirect(url_for("respond.welcome", token=resume))
        response.set_cookie(cookie_name(found["round_id"]), resume, httponly=True,
                            samesite="Lax", max_age=COOKIE_DAYS * 86400,
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
        return response
    if form.is_submitted():
        fail(400, _("This form has expired or was not sent from our site. Reload the page "
                    "and try again."))
    return landing_page({**found, "id": found["group_link_id"], "active": 1}, form)


# ---- The coordinator's side -------------------------------------------------------

def _link_of_round(pid: int, rid: int, lid: int) -> tuple[dict, dict, dict]:
    partnership = member_of(pid, "coordinator")
    the_round = rounds.round_of(get_db(), pid, rid)
    link = rounds.link(get_db(), rid, lid) if the_round else None
    if link is None:
        fail(404, _("This group link does not exist in this round."))
    return partnership, the_round, link


@bp.route("/p/<int:pid>/rounds/<int:rid>/links/<int:lid>/people", methods=["GET", "POST"])
@login_required
def people(pid: int, rid: int, lid: int):
    """Invite people of one group link personally, by mail; see the counts."""
    partnership, the_round, link = _link_of_round(pid, rid, lid)
    form = PersonalInvitationForm()
    status, problems = 200, []
    if form.validate_on_submit():
        if the_round["status"] != "open":
            fail(409, _("This round is closed. Reopen it first to invite people."))
        status, problems = _invite(partnership, the_round, link, form)
        if status == 302:
            return redirect(url_for(".people", pid=pid, rid=rid, lid=lid))
    elif form.is_submitted():
        status = 400
    return _people_page(partnership, the_round, link, form, problems), status


def _people_page(partnership, the_round, link, form, problems):
    db = get_db()
    return render_template(
        "rounds/people.html", partnership=partnership, round=the_round, link=link, form=form,
        problems=problems, counts=personal.counts(db, the_round["id"]).get(link["id"], {}),
        mails=mail.counts(db, the_round["id"]).get(link["id"], {}),
        failed=mail.failed(db, partnership["id"], the_round["id"]), retry_form=ActionForm(),
        action_form=ActionForm(), k=threshold(), most=personal.MAX_REMINDERS,
        role_name=RESPONDENT_ROLES.get(link["role"], link["role"]))


def _listed_text(form: PersonalInvitationForm) -> str | None:
    """The pasted text and the uploaded file together; None if the file is unusable."""
    text = form.addresses.data or ""
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            fail(413, _("This file is too large: at most 256 KB, about 2000 addresses. "
                        "Split the list and send the parts one after another."))
        try:
            uploaded = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        # Line numbers in messages are the file's own when only a file was given.
        text = f"{text}\n{uploaded}" if text.strip() else uploaded
    return text


def _invite(partnership, the_round, link, form) -> tuple[int, list[str]]:
    text = _listed_text(form)
    if text is None:
        return 400, [_("This file is not a CSV text file (UTF-8). Save it from your "
                       "spreadsheet as \"CSV UTF-8\" and try again.")]
    people, problems = personal.read_list(text, form.lang.data)
    if problems:
        return 400, [_problem_text(p) for p in problems[:50]]
    if not people:
        return 400, [_("The list holds no addresses. Give one address per line.")]
    if len(people) > personal.MAX_ADDRESSES:
        return 413, [_("At most %(n)d addresses at a time. Split the list.",
                       n=personal.MAX_ADDRESSES)]
    try:
        made = personal.invite(get_db(), _secret(), the_round["id"], link["id"], people)
    except personal.AlreadyInvited as taken:
        return 409, [_("%(email)s has been invited to this round already. Nothing was sent; "
                       "take it out of the list and send again.", email=e)
                     for e in taken.args[0][:50]]
    for invitation_id, person, token in made:
        _mail_person("personal_invitation", partnership, the_round, link, invitation_id,
                     person, token, _l("%(partnership)s asks you to fill in the self-scan",
                                       partnership=partnership["name"]))
    accounts.record(get_db(), "personal invitations", current_user.id, partnership["id"],
                    f"round {the_round['id']}, link {link['id']}: {len(made)} addresses")
    flash(ngettext("%(num)d personal invitation is being sent.",
                   "%(num)d personal invitations are being sent.", len(made)), "success")
    return 302, []


def _problem_text(problem: personal.Problem) -> str:
    return {
        "invalid": _("Line %(line)d: \"%(text)s\" is not a valid e-mail address.",
                     line=problem.line, text=problem.text),
        "duplicate": _("Line %(line)d: %(text)s is in the list twice.",
                       line=problem.line, text=problem.text),
        "language": _("Line %(line)d: the language after %(text)s must be nl or en.",
                      line=problem.line, text=problem.text),
    }[problem.reason]


def _mail_person(kind, partnership, the_round, link, invitation_id, person, token, subject):
    message = mailing.personal_message(kind, partnership, the_round, link, person, token,
                                       subject, {"email": current_user.email,
                                                 "name": current_user.name})
    mail.queue(get_db(), message, kind.replace("_", " "), partnership["id"], the_round["id"],
               invitation_id)
    mailing.wake()


@bp.post("/p/<int:pid>/rounds/<int:rid>/links/<int:lid>/remind")
@login_required
def remind(pid: int, rid: int, lid: int):
    """A reminder to everyone of this group link who has not sent in (and has had fewer
    than the most reminders); nobody else gets one."""
    partnership, the_round, link = _link_of_round(pid, rid, lid)
    if not ActionForm().validate_on_submit():
        fail(400, _("This form has expired. Reload the page and try again."))
    if the_round["status"] != "open":
        fail(409, _("This round is closed: reminders are no longer sent."))
    # One job, whatever the group's size: the background sender finds who has not sent
    # in and builds their mails (scan.web.mailing.build_reminders), so this request
    # takes as long for one person outstanding as for fifty.
    personal.ask_to_remind(get_db(), pid, rid, lid, current_user.id, request.url_root)
    mailing.wake()
    # No number in the log or the message: it would be the number who have not sent
    # in, which the page shows as "fewer than k" when it is small.
    accounts.record(get_db(), "reminders", current_user.id, pid, f"round {rid}, link {lid}")
    flash(_("Reminders go to everyone of this group who has not sent in and has had fewer "
            "than %(n)d reminders.", n=personal.MAX_REMINDERS), "success")
    return redirect(url_for(".people", pid=pid, rid=rid, lid=lid))

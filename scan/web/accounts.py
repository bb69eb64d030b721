"""Signing in and out, one's own password, and the language switch."""

from __future__ import annotations

import sqlite3
import time
from typing import NoReturn

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required, login_user, logout_user

from scan import accounts, audit, invitations, passwords, resets
from scan.db import get_db
from scan.web import mailing
from scan.web.access import fail
from scan.web.context import LANG_COOKIE, LANGUAGES, login_manager, signed_in
from scan.web.forms import (
    ActionForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    JoinForm,
    LoginForm,
    ResetPasswordForm,
)
from scan.web.i18n import gettext as _
from scan.web.i18n import lazy_gettext as _l
from scan.web.security import limiter, login_key
from scan.web.signing_in import User, safe_next, start_session

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = None


INACTIVITY_TIMEOUT = 8 * 60 * 60
# Polls from an open projector or console are no sign of a person at the keyboard.
NOT_ACTIVITY = ("state_json", "follow_state")


def _ask_for_code(user: dict, next_url: str | None):
    """The password was right, and the account has a second factor: not signed in
    yet; the code page (scan.web.second_factor) finishes within five minutes."""
    session.clear()
    session["pending"] = {"id": user["id"], "version": user["session_version"],
                          "at": int(time.time()), "next": next_url or ""}
    return redirect(url_for("second_factor.code"))


def _session_ended(now: int) -> bool:
    idle = int(current_app.config.get("INACTIVITY_TIMEOUT", INACTIVITY_TIMEOUT))
    whole = current_app.permanent_session_lifetime.total_seconds()
    since, seen = session.get("since"), session.get("seen")
    if not isinstance(since, int) or not isinstance(seen, int):   # from before these rules
        session["since"] = session["seen"] = now
        return False
    return now - seen > idle or now - since > whole


@bp.before_app_request
def end_idle_sessions():
    """A session ends after SCAN_INACTIVITY_TIMEOUT without use (a school computer left
    signed in), and in any case after PERMANENT_SESSION_LIFETIME."""
    if request.endpoint == "static" or not signed_in():
        return None
    now = int(time.time())
    if _session_ended(now):
        logout_user()
        session.clear()
        flash(_("You were signed out because you had not used Samenscan for a while. "
                "Sign in again."), "info")
        return redirect(url_for("accounts.login"))
    if now - session["seen"] >= 60 and not (request.endpoint or "").endswith(NOT_ACTIVITY):
        session["seen"] = now   # at most once a minute: no new cookie on every request
    return None


@bp.before_app_request
def change_temporary_password_first():
    """A temporary password (new account, admin reset) is changed before anything else."""
    if (signed_in() and current_user.must_change_password
            and request.endpoint not in ("accounts.change_password", "accounts.logout",
                                         "accounts.switch_language", "static")):
        return redirect(url_for("accounts.change_password"))
    return None


def password_message(code: str) -> str:
    return {
        "short": _("Use at least %(n)d characters; a few words in a row work well.",
                   n=passwords.MIN_LENGTH),
        "long": _("Use at most %(n)d characters.", n=passwords.MAX_LENGTH),
        "email": _("Do not use your e-mail address in your password."),
        "common": _("This password is among the first ones attackers try. Choose another."),
        "same": _("Choose a password different from your current one."),
    }[code]


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
# Failures only count: per address and account 5 a minute and 20 an hour
# (growing waits for a guesser), per address 30 a minute over all accounts. No
# limit per account alone: a stranger could then lock a coordinator out.
@limiter.limit("5 per minute;20 per hour", key_func=login_key, methods=["POST"],
               deduct_when=_failed)
@limiter.limit("30 per minute", methods=["POST"], deduct_when=_failed)
# Counted up front, so attempts sent all at once cannot slip past the limits above
# (those count a failure only once it has happened).
@limiter.limit("20 per minute", key_func=login_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("partnerships.home"))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        user = accounts.authenticate(db, form.email.data, form.password.data)
        if user and user["totp_secret"]:
            return _ask_for_code(user, request.args.get("next"))
        if user:
            start_session(user)
            accounts.record(db, "sign-in", user["id"])
            return redirect(safe_next(request.args.get("next"), url_for("partnerships.home")))
        known = accounts.user_by_email(db, form.email.data)
        # Anyone can fail a sign-in: counted per hour and account on one line.
        audit.record_summarised(db, "sign-in failed", known["id"] if known else None,
                                source=request.remote_addr or "")
        form.password.errors.append(_("That email address and password do not match."))
        return render_template("accounts/login.html", form=form), 401
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    # Signing out ends every session of this account, also copied cookies.
    accounts.end_sessions(get_db(), current_user.id)
    accounts.record(get_db(), "sign-out", current_user.id)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


def _refused(response) -> bool:
    return response.status_code == 400


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
# A stolen session must not be a way to guess the current password.
@limiter.limit("5 per minute;20 per hour", methods=["POST"], deduct_when=_refused)
@limiter.limit("20 per minute", methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_db()
        user = accounts.user_by_id(db, current_user.id)
        if not accounts.password_matches(user, form.current.data):
            accounts.record(db, "password change refused", current_user.id,
                            detail="wrong current password")
            form.current.errors.append(_("Your current password is not right."))
            return render_template("accounts/password.html", form=form), 400
        problem = passwords.problem(form.new.data, user["email"], user["password_hash"])
        if problem:
            form.new.errors.append(password_message(problem))
            return render_template("accounts/password.html", form=form), 400
        accounts.set_password(db, current_user.id, form.new.data)
        accounts.record(db, "password changed", current_user.id)
        # Every other session ended with the new password; this one goes on.
        login_user(User(accounts.user_by_id(db, current_user.id)), remember=False)
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("partnerships.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


def _email_key() -> str:
    return f"forgot|{(request.form.get('email') or '').strip().lower()[:200]}"


@bp.route("/password/forgot", methods=["GET", "POST"])
# Every request counts, found or not (the answer is the same): per address 5 a
# minute and 20 an hour; per account asked for 3 an hour, so nobody floods a
# person's mailbox with links.
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=_email_key, methods=["POST"])
def forgot_password():
    """"Wachtwoord vergeten?": a one-time link by mail, the same answer for every address."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        db = get_db()
        user = accounts.user_by_email(db, form.email.data)
        if user:
            token = resets.create(db, user["id"])
            mailing.send("password_reset", _mail_language(), user["email"],
                         _l("Choose a new password for Samenscan"), purpose="password reset",
                         link_id=resets.id_of(db, token), name=user["name"],
                         minutes=resets.VALID_MINUTES,
                         url=url_for(".reset_password", token=token, _external=True))
            mailing.forget_ended_links()   # the older links just stopped working
        accounts.record(db, "password reset asked", user["id"] if user else None,
                        detail=f"for {form.email.data.strip().lower()[:200]} "
                               f"from {request.remote_addr}")
        _take_at_least(started, current_app.config.get("FORGOT_ANSWER_SECONDS",
                                                       FORGOT_ANSWER_SECONDS))
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/forgot.html", form=form), status


# Making a link and a mail takes tens of milliseconds that an unknown address does
# not: every answer waits until this much time has passed, so the time it takes
# does not tell whether an address has an account. Well above the work it hides,
# also on a busy server; the throttle keeps the waiting threads few.
FORGOT_ANSWER_SECONDS = 0.4


def _take_at_least(started: float, seconds: float) -> None:
    left = seconds - (time.monotonic() - started)
    if left > 0:
        time.sleep(left)


def _mail_language() -> str:
    """The mail in the language the person is using the site in."""
    return str(get_locale())


def _reset_link_gone() -> NoReturn:
    fail(404, _("This link to set a new password is not known, was used already or has "
                "expired. Ask for a new one on the sign-in page."))


def _invitation_gone() -> NoReturn:
    fail(404, _("This invitation is not known, was used already or has expired. Ask "
                "the coordinator for a new one."))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset_password(token: str):
    db = get_db()
    user = resets.pending(db, token)
    if user is None:
        _reset_link_gone()
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problem = passwords.problem(form.new.data, user["email"], user["password_hash"])
        if problem:
            form.new.errors.append(password_message(problem))
            return render_template("accounts/reset.html", form=form), 400
        if resets.use(db, token, form.new.data) is None:   # used in another tab meanwhile
            _reset_link_gone()
        accounts.record(db, "password reset by mail", user["id"])
        mailing.forget_ended_links()
        logout_user()
        session.clear()
        flash(_("Your new password is set. Sign in with it."), "success")
        return redirect(url_for(".login"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/reset.html", form=form), status


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Join a partnership: signed in with the invited address, or with a new account."""
    db = get_db()
    found = invitations.pending(db, token)
    if found is None:
        _invitation_gone()
    if current_user.is_authenticated:
        if current_user.email.lower() != found["email"].lower():
            fail(403, _("This invitation is for another e-mail address. Sign out and open "
                        "the link again."))
        form = ActionForm()
        if form.validate_on_submit():
            return _joined(db, token, current_user.id)
    else:
        form = JoinForm(data={"name": found["name"]} if request.method == "GET" else None)
        if form.validate_on_submit():
            return _new_account(db, token, found, form)
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/invitation.html", invitation=found, form=form), status


def _new_account(db, token: str, found: dict, form: JoinForm):
    if accounts.user_by_email(db, found["email"]):
        form.new.errors.append(_("This address has an account already: sign in to accept."))
        return render_template("accounts/invitation.html", invitation=found, form=form), 409
    problem = passwords.problem(form.new.data, found["email"])
    if problem:
        form.new.errors.append(password_message(problem))
        return render_template("accounts/invitation.html", invitation=found, form=form), 400
    try:
        user_id = accounts.create_user(db, found["email"], form.name.data, form.new.data)
    except sqlite3.IntegrityError:   # the same form sent twice at once
        fail(409, _("This address has an account already: sign in to accept."))
    start_session(accounts.user_by_id(db, user_id))
    return _joined(db, token, user_id)


def _joined(db, token: str, user_id: int):
    joined = invitations.accept(db, token, user_id)
    if joined is None:
        _invitation_gone()
    accounts.record(db, "invitation accepted", user_id, joined["partnership_id"],
                    f"as {joined['role']}")
    mailing.forget_ended_links()
    flash(_("Welcome to %(name)s.", name=joined["partnership"]), "success")
    return redirect(url_for("partnerships.dashboard", pid=joined["partnership_id"]))


@bp.get("/lang/<code>")
def switch_language(code: str):
    """Remember the chosen language in a cookie and go back where the person was."""
    if code not in LANGUAGES:
        fail(404, _("This language is not available."))
    response = redirect(safe_next(request.args.get("next"), url_for("partnerships.home")))
    response.set_cookie(LANG_COOKIE, code, max_age=60 * 60 * 24 * 365, samesite="Lax",
                        httponly=True)
    return response

"""Signing in with a second factor, setting it up, and requiring it (scan.second_factor).

After the right password, an account with a second factor is not signed in yet:
the session only remembers who passed the first step, for five minutes, and the
code page finishes the sign-in. With SCAN_REQUIRE_TOTP=true, administrators and
coordinators without a second factor are led to set one up before anything else.
"""

from __future__ import annotations

import time

import segno
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
from flask_login import current_user, login_required
from markupsafe import Markup

from scan import accounts, audit, second_factor
from scan.db import get_db
from scan.web.access import confirmed, fail
from scan.web.forms import ActionForm, CodeForm
from scan.web.i18n import gettext as _
from scan.web.security import limiter
from scan.web.signing_in import safe_next, start_session

bp = Blueprint("second_factor", __name__)
PENDING_SECONDS = 5 * 60
FREE_ENDPOINTS = ("second_factor.setup", "accounts.logout", "accounts.switch_language",
                  "accounts.change_password", "static")


def _pending_user() -> dict | None:
    pending = session.get("pending")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = accounts.user_by_id(get_db(), pending["id"])
    return user if user and user["session_version"] == pending["version"] else None


def _pending_key() -> str:
    pending = session.get("pending")
    return f"code|{pending.get('id') if isinstance(pending, dict) else request.remote_addr}"


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", key_func=_pending_key, methods=["POST"],
               deduct_when=_failed)
def code():
    user = _pending_user()
    if user is None:
        session.pop("pending", None)
        flash(_("Sign in again: the time for the code has passed."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        db = get_db()
        if second_factor.check(db, user["id"], form.code.data):
            next_url = session["pending"].get("next")
            start_session(user)
            accounts.record(db, "sign-in", user["id"], detail="with second factor")
            return redirect(safe_next(next_url, url_for("partnerships.home")))
        audit.record_summarised(db, "second factor failed", user["id"],
                                source=request.remote_addr or "")
        form.code.errors.append(_("This code is not right, or was used already. Enter the "
                                  "code your app shows now."))
        return render_template("accounts/code.html", form=form), 401
    return render_template("accounts/code.html", form=form), 400 if form.is_submitted() else 200


def _qr(uri: str) -> Markup:
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, border=2))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def setup():
    db = get_db()
    user = accounts.user_by_id(db, current_user.id)
    if user["totp_secret"]:
        return render_template("accounts/two_factor.html", on=True, off=ActionForm(),
                               required=_required_of(user))
    secret = session.get("totp_new") or second_factor.new_secret()
    session["totp_new"] = secret
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        if second_factor.enable(db, user["id"], secret, form.code.data):
            session.pop("totp_new", None)
            accounts.record(db, "second factor on", user["id"])
            flash(_("The second factor is on: from now on you sign in with a code from your "
                    "app as well."), "success")
            return redirect(url_for("partnerships.home"))
        form.code.errors.append(_("This code does not match. Check that your app added "
                                  "Samenscan, and enter the code it shows now."))
        status = 400
    grouped = " ".join(secret[n:n + 4] for n in range(0, len(secret), 4))
    return render_template("accounts/two_factor.html", on=False, form=form, secret=grouped,
                           qr=_qr(second_factor.setup_uri(secret, user["email"])),
                           required=_required_of(user)), status


@bp.post("/account/two-factor/off")
@login_required
def turn_off():
    confirmed()
    db = get_db()
    user = accounts.user_by_id(db, current_user.id)
    if _required_of(user):
        fail(409, _("Your role requires a second factor, so it stays on."))
    second_factor.disable(db, user["id"])
    accounts.record(db, "second factor off", user["id"])
    flash(_("The second factor is off."), "info")
    return redirect(url_for(".setup"))


def _required_of(user: dict) -> bool:
    return bool(current_app.config.get("REQUIRE_TOTP")) and second_factor.needed(get_db(), user)


@bp.before_app_request
def second_factor_first():
    """With SCAN_REQUIRE_TOTP, an administrator or coordinator without a second factor
    sets one up before anything else."""
    if (not current_app.config.get("REQUIRE_TOTP") or not current_user.is_authenticated
            or current_user.has_second_factor or request.endpoint in FREE_ENDPOINTS):
        return None
    if not second_factor.needed(get_db(), accounts.user_by_id(get_db(), current_user.id)):
        return None
    flash(_("Your role requires a second factor. Set it up to continue."), "info")
    return redirect(url_for("second_factor.setup"))

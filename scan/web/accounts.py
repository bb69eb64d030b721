"""Signing in and out, one's own password, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from scan import accounts
from scan.db import get_db
from scan.web import LANG_COOKIE, LANGUAGES, login_manager
from scan.web.access import fail
from scan.web.forms import ChangePasswordForm, LoginForm

bp = Blueprint("accounts", __name__)
login_manager.login_view = "accounts.login"
login_manager.login_message = None


class User(UserMixin):
    def __init__(self, row: dict):
        self.id = row["id"]
        self.name = row["name"]
        self.email = row["email"]
        self.is_admin = bool(row["is_admin"])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    row = accounts.user_by_id(get_db(), int(user_id)) if user_id.isdigit() else None
    return User(row) if row else None


def safe_next(target: str | None, fallback: str) -> str:
    """Only local paths: a crafted link must not send people to another site."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("partnerships.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(get_db(), form.email.data, form.password.data)
        if user:
            login_user(User(user), remember=False)
            return redirect(safe_next(request.args.get("next"), url_for("partnerships.home")))
        form.password.errors.append(_("That email address and password do not match."))
        return render_template("accounts/login.html", form=form), 401
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_db()
        if not accounts.password_matches(accounts.user_by_id(db, current_user.id),
                                         form.current.data):
            form.current.errors.append(_("Your current password is not right."))
            return render_template("accounts/password.html", form=form), 400
        accounts.set_password(db, current_user.id, form.new.data)
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("partnerships.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


@bp.get("/lang/<code>")
def switch_language(code: str):
    """Remember the chosen language in a cookie and go back where the person was."""
    if code not in LANGUAGES:
        fail(404, _("This language is not available."))
    response = redirect(safe_next(request.args.get("next"), url_for("partnerships.home")))
    response.set_cookie(LANG_COOKIE, code, max_age=60 * 60 * 24 * 365, samesite="Lax",
                        httponly=True)
    return response

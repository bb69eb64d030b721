"""Who may see what: every partnership route goes through `member_of`."""

from __future__ import annotations

from typing import NoReturn

from flask import g
from flask_login import current_user
from werkzeug.exceptions import default_exceptions

from scan import accounts
from scan.db import get_db
from scan.web.forms import ActionForm
from scan.web.i18n import gettext as _


def fail(code: int, message: str) -> NoReturn:
    """Stop with an HTTP error that shows a message in the user's language."""
    error = default_exceptions[code](description=message)
    error.samenscan = True
    raise error


def member_of(partnership_id: int, *roles: str) -> dict:
    """The partnership, if the signed-in person belongs to it in one of roles.

    Not a member: 404, so nobody learns which partnerships exist.
    A member without the needed role: 403.
    """
    if not current_user.is_authenticated:  # routes carry @login_required; this is a backstop
        fail(401, _("Please sign in."))
    db = get_db()
    role = accounts.role_in(db, current_user.id, partnership_id)
    if role is None:
        fail(404, _("This partnership does not exist, or you are not a member of it."))
    if roles and role not in roles:
        fail(403, _("Your role in this partnership does not allow this."))
    g.partnership = accounts.partnership(db, partnership_id)
    g.role = role
    return g.partnership


def confirmed() -> None:
    """A one-click action's form (CSRF token only) must be intact."""
    if not ActionForm().validate_on_submit():
        fail(400, _("This form has expired. Reload the page and try again."))

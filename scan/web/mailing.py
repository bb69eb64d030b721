"""Sending mail from a request: texts in the recipient's language, queued, sent after.

Texts live in templates/mail/<kind>.txt and .html and go through the catalogue like
every screen text, rendered in the language of the person they go to (Dutch by
default). The message is queued in the outbox table and the app's background
sender (scan.mail.Sender) delivers it, so the page never waits for a mail server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g, render_template
from flask_babel import force_locale
from flask_login import current_user

from scan import invitations, mail
from scan.database import connect
from scan.db import get_db
from scan.web import labels
from scan.web.i18n import KEPT
from scan.web.i18n import lazy_gettext as _l

DEFAULT_SENDER = "Samenscan <samenscan@localhost>"


def settings(app: Flask) -> mail.Settings:
    config = app.config
    return mail.Settings(
        sender=config.get("MAIL_SENDER") or DEFAULT_SENDER,
        folder=outbox_folder(app),
        server=config.get("MAIL_SERVER") or None,
        port=int(config.get("MAIL_PORT") or (465 if config.get("MAIL_USE_SSL") else 25)),
        username=config.get("MAIL_USERNAME") or None,
        password=config.get("MAIL_PASSWORD") or None,
        use_tls=_flag(config.get("MAIL_USE_TLS")),
        use_ssl=_flag(config.get("MAIL_USE_SSL")),
        timeout=float(config.get("MAIL_TIMEOUT") or mail.TIMEOUT_SECONDS))


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def outbox_folder(app: Flask) -> Path:
    return Path(app.instance_path) / "outbox"


def uses_outbox_folder() -> bool:
    return not current_app.config.get("MAIL_SERVER")


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Translate in `lang` for a while (a mail), then in the request's language again."""
    kept = g.pop(KEPT, None)
    try:
        with force_locale(lang):
            yield
    finally:
        g.pop(KEPT, None)
        if kept is not None:
            setattr(g, KEPT, kept)


def send(kind: str, lang: str, to: str, subject, reply_to: str | None = None,
         purpose: str | None = None, partnership_id: int | None = None,
         round_id: int | None = None, invitation_id: int | None = None, **context) -> int:
    """Queue one message made from templates/mail/<kind>.*; `subject` is a lazy text,
    translated here. The sender is woken to deliver it after the response."""
    with in_language(lang):
        subject = str(subject)
        parts = {"lang": lang, "title": subject, **context}
        message = mail.compose(settings(current_app), to, subject,
                               render_template(f"mail/{kind}.txt", **parts),
                               render_template(f"mail/{kind}.html", **parts),
                               reply_to=reply_to)
    mail_id = mail.queue(get_db(), message, purpose or kind, partnership_id, round_id,
                         invitation_id)
    wake()
    return mail_id


def member_invitation(partnership: dict, email: str, name: str, role: str, lang: str,
                      link: str) -> None:
    """A partnership's invitation link by mail, replies going to whoever invites."""
    with in_language(lang):
        role_name = str(labels.MEMBER_ROLES[role])
    send("member_invitation", lang, email,
         _l("Invitation to join %(partnership)s in Samenscan", partnership=partnership["name"]),
         reply_to=current_user.email, purpose="member invitation",
         partnership_id=partnership["id"], name=name, inviter=current_user.name,
         partnership=partnership["name"], role=role_name, days=invitations.VALID_DAYS,
         url=link)


def wake() -> None:
    current_app.extensions["samenscan.mailer"].wake()


def init_app(app: Flask) -> None:
    sender = mail.Sender(app.config["DATABASE"], settings(app))
    app.extensions["samenscan.mailer"] = sender
    # What a stopped app left in the outbox goes out now.
    db = connect(app.config["DATABASE"])
    try:
        if mail.waiting(db):
            sender.wake()
    finally:
        db.conn.close()

"""Sending mail from a request: texts in the recipient's language, queued, sent after.

Texts live in templates/mail/<kind>.txt and .html and go through the catalogue like
every screen text, rendered in the language of the person they go to (Dutch by
default). The message is queued in the outbox table and the app's background
sender (scan.mail.Sender) delivers it, so the page never waits for a mail server.

Reminders are not even built in the request: "remind" stores one job, and the
sender makes the mails (build_reminders), so the time the coordinator waits does
not grow with the number of people who have not sent in (which it would give away).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from functools import partial
from pathlib import Path

from flask import Flask, current_app, g, render_template, url_for
from flask_babel import force_locale
from flask_login import current_user
from sqlite_utils import Database

from scan import accounts, invitations, mail, personal, resets, rounds
from scan.database import connect
from scan.db import get_db
from scan.web import labels
from scan.web.i18n import KEPT
from scan.web.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)
DEFAULT_SENDER = "Samenscan <samenscan@localhost>"
# Which one-time links still work, per purpose of the mail that carries them: the
# copies in the outbox folder of those that ended are erased.
LINKS = {"password reset": resets.working, "member invitation": invitations.working}


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


def forget_files(names: list[str]) -> None:
    """Erase these messages from the outbox folder (see scan.personal.sent_in)."""
    mail.forget_in_folder(outbox_folder(current_app), names)


def forget_ended_links() -> None:
    """Erase the outbox folder's copies of one-time links that no longer work: call
    after a link was used, replaced or withdrawn (expired ones go at start-up, at
    each pass of the sender and before the administrator's outbox page)."""
    mail.forget_ended_links(get_db(), outbox_folder(current_app), LINKS)


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


def compose(kind: str, lang: str, to: str, subject, reply_to: str | None = None,
            **context) -> EmailMessage:
    """One message made from templates/mail/<kind>.*; `subject` is a lazy text,
    translated here."""
    with in_language(lang):
        subject = str(subject)
        parts = {"lang": lang, "title": subject, **context}
        return mail.compose(settings(current_app), to, subject,
                            render_template(f"mail/{kind}.txt", **parts),
                            render_template(f"mail/{kind}.html", **parts),
                            reply_to=reply_to)


def send(kind: str, lang: str, to: str, subject, reply_to: str | None = None,
         purpose: str | None = None, partnership_id: int | None = None,
         round_id: int | None = None, invitation_id: int | None = None,
         link_id: int | None = None, **context) -> int:
    """Queue one message (see compose); the sender is woken to deliver it after the
    response. link_id: the reset or member invitation whose link it carries."""
    message = compose(kind, lang, to, subject, reply_to, **context)
    mail_id = mail.queue(get_db(), message, purpose or kind, partnership_id, round_id,
                         invitation_id, link_id)
    wake()
    return mail_id


def member_invitation(partnership: dict, email: str, name: str, role: str, lang: str,
                      link: str, invitation_id: int) -> None:
    """A partnership's invitation link by mail, replies going to whoever invites."""
    with in_language(lang):
        role_name = str(labels.MEMBER_ROLES[role])
    send("member_invitation", lang, email,
         _l("Invitation to join %(partnership)s in Samenscan", partnership=partnership["name"]),
         reply_to=current_user.email, purpose="member invitation",
         partnership_id=partnership["id"], link_id=invitation_id, name=name,
         inviter=current_user.name, partnership=partnership["name"], role=role_name,
         days=invitations.VALID_DAYS, url=link)


def personal_message(kind: str, partnership: dict, the_round: dict, link: dict,
                     person: personal.Person, token: str, subject,
                     sender: dict | None) -> EmailMessage:
    """A personal invitation or reminder (templates/mail/personal_*), replies going to
    the coordinator who sends it (sender: their account, None if it is gone)."""
    with in_language(person.lang):
        role = str(labels.RESPONDENT_ROLES.get(link["role"], link["role"])).lower()
    return compose(kind, person.lang, person.email, subject,
                   reply_to=sender["email"] if sender else None,
                   partnership=partnership["name"], round=the_round, role=role,
                   partner=link["partner"], closes_on=the_round["closes_on"],
                   k=int(current_app.config["ANONYMITY_THRESHOLD"]),
                   sender_name=sender["name"] if sender else partnership["name"],
                   url=url_for("personal.landing", token=token, _external=True))


def build_reminders(app: Flask, db: Database) -> int:
    """Make the mails of every waiting reminder job (scan.personal.ask_to_remind);
    returns how many. Runs in the background sender, each job in a request context
    of the address the coordinator used, so links and language work as in a page.
    A job that fails stays for the next pass and does not hold up the others."""
    made = 0
    for job in personal.reminder_jobs(db):
        try:
            with app.test_request_context(base_url=job["base_url"]):
                made += _remind(db, job)
        except Exception:   # noqa: BLE001 - logged; the job is tried again
            log.exception("reminder job %s (round %s) not built", job["id"], job["round_id"])
    return made


def _remind(db: Database, job: dict) -> int:
    """Build the job's mails, then count and queue them in one step (personal.remind):
    until that step ends nothing of the job has happened."""
    due = personal.due_reminders(db, current_app.config["SECRET_KEY"], job)
    mails = []
    if due:
        partnership = accounts.partnership(db, job["partnership_id"])
        the_round = rounds.round_of(db, job["partnership_id"], job["round_id"])
        link = rounds.link(db, job["round_id"], job["group_link_id"])
        sender = accounts.user_by_id(db, job["sender_id"]) if job["sender_id"] else None
        subject = _l("Reminder: the self-scan of %(partnership)s",
                     partnership=partnership["name"])
        mails = [(d, personal_message("personal_reminder", partnership, the_round, link,
                                      d.person, d.token, subject, sender)) for d in due]
    return personal.remind(db, job, mails) or 0


def _prepare(app: Flask, db: Database) -> None:
    """The sender's work before each pass: reminders to build, ended links to erase."""
    build_reminders(app, db)
    mail.forget_ended_links(db, outbox_folder(app), LINKS)


def wake() -> None:
    current_app.extensions["samenscan.mailer"].wake()


def init_app(app: Flask) -> None:
    app.extensions["samenscan.mailer"] = mail.Sender(app.config["DATABASE"], settings(app),
                                                     prepare=partial(_prepare, app))


def start(app: Flask) -> None:
    """What a stopped app left in the outbox goes out now (reminders still to build
    too), and links that expired while it was stopped leave the outbox folder."""
    db = connect(app.config["DATABASE"])
    try:
        mail.forget_ended_links(db, outbox_folder(app), LINKS)
        if mail.waiting(db) or personal.reminder_jobs(db):
            app.extensions["samenscan.mailer"].wake()
    finally:
        db.conn.close()

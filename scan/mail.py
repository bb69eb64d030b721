"""E-mail: composed with Python's `email` package, queued in the outbox, then delivered.

Every message is first a row of the `mail` table (the outbox), written in the
request that asks for it; a background sender delivers it after the response,
so a slow or absent mail server never holds up a page. Delivery goes through
SMTP (`smtplib`, with a timeout) when a mail server is set, or else into a
folder of .eml files in the instance folder, which an administrator reads in
the app. A delivered message's text is emptied (it may carry a one-time link);
a failed one keeps it, with the error, until someone retries.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from sqlite_utils import Database

from scan.database import connect, immediate

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 15
# A message found 'sending' this long after it was claimed was lost with its
# process (a restart mid-send); it is offered again.
STALE_MINUTES = 10
# A personal reminder goes only to those who have not sent in: its mails are never
# counted or listed for a coordinator (scan.personal).
REMINDER = "personal reminder"


@dataclass(frozen=True)
class Settings:
    """Where mail goes: an SMTP server, or (server None) the outbox folder."""

    sender: str
    folder: Path
    server: str | None = None
    port: int = 25
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    use_ssl: bool = False
    timeout: float = TIMEOUT_SECONDS

    @property
    def domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"


def compose(settings: Settings, recipient: str, subject: str, text: str, html: str,
            reply_to: str | None = None) -> EmailMessage:
    """One message with a plain-text and an HTML part and the headers mail programs
    rely on (Date, Message-ID; Reply-To the coordinator where one is behind it)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = " ".join(subject.split())   # a name with a line break stays one line
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.domain)
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def queue(db: Database, message: EmailMessage, purpose: str, partnership_id: int | None = None,
          round_id: int | None = None, invitation_id: int | None = None,
          link_id: int | None = None) -> int:
    """Put a message in the outbox; the sender delivers it after the request. link_id:
    the one-time link (a password reset or member invitation, by purpose) it carries."""
    with immediate(db):
        return db.execute(
            """insert into mail (partnership_id, round_id, invitation_id, purpose, recipient,
                                 subject, message, link_id) values (?, ?, ?, ?, ?, ?, ?, ?)""",
            [partnership_id, round_id, invitation_id, purpose, message["To"],
             message["Subject"], message.as_bytes(policy=policy.SMTP), link_id]).lastrowid


def folder_name(mail_id: int, round_id: int | None) -> str:
    """A message's file in the outbox folder; a round's messages carry its id, so
    closing the round can erase them with the addresses."""
    return f"{mail_id:06d}" + (f"-r{round_id}" if round_id else "")


FOLDER_NAME = re.compile(r"[0-9]{6,}(-r[0-9]+)?")


def deliver(settings: Settings, mail_id: int, recipient: str, raw: bytes,
            round_id: int | None = None) -> None:
    """Hand one message to the mail server, or write it to the outbox folder.
    Raises OSError or smtplib.SMTPException when it could not be delivered."""
    if not settings.server:
        settings.folder.mkdir(parents=True, exist_ok=True)
        temporary = settings.folder / f".{mail_id}.eml"
        temporary.write_bytes(raw)
        temporary.replace(settings.folder / f"{folder_name(mail_id, round_id)}.eml")
        return
    kind = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
    extra = {"context": ssl.create_default_context()} if settings.use_ssl else {}
    with kind(settings.server, settings.port, timeout=settings.timeout, **extra) as smtp:
        if settings.use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.sendmail(parseaddr(settings.sender)[1], [recipient], raw)


def _claim(db: Database, mail_id: int) -> dict | None:
    """Take one queued message for sending; None if another sender has it."""
    with immediate(db):
        taken = db.execute("""update mail set status = 'sending', attempts = attempts + 1,
                              sent_at = datetime('now') where id = ? and (status = 'queued'
                              or (status = 'sending' and sent_at < datetime('now', ?)))""",
                           [mail_id, f"-{STALE_MINUTES} minutes"]).rowcount
        if not taken:
            return None
        return next(db.query("select id, round_id, invitation_id, purpose, recipient, message "
                             "from mail where id = ?", [mail_id]), None)


def waiting(db: Database) -> list[int]:
    return [r[0] for r in db.execute(
        "select id from mail where status = 'queued' or (status = 'sending' and "
        "sent_at < datetime('now', ?)) order by id", [f"-{STALE_MINUTES} minutes"])]


def sendwaiting(db: Database, settings: Settings) -> tuple[int, int]:
    """Deliver every queued message; returns (sent, failed). A failure is logged and
    marked, and the message stays in the outbox for a retry."""
    sent = failed = 0
    for mail_id in waiting(db):
        row = _claim(db, mail_id)
        if row is None or row["message"] is None:
            continue
        try:
            deliver(settings, row["id"], row["recipient"], row["message"], row["round_id"])
        except (OSError, smtplib.SMTPException) as error:
            log.warning("mail %s (%s) not sent: %s", row["id"], row["purpose"],
                        without_address(error, row["recipient"]))
            if row["purpose"] == REMINDER:
                _give_back(db, row)
            else:
                _mark(db, row["id"], "failed", str(error)[:300] or error.__class__.__name__)
            failed += 1
        else:
            _mark(db, row["id"], "sent", "")
            sent += 1
    return sent, failed


def without_address(error: Exception, recipient: str) -> str:
    """What went wrong, for the log, without the address: a log is kept and read more
    widely than the outbox, and the message id leads to the address for those who may
    see it. A refused recipient (SMTPRecipientsRefused) names the address in its text."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {_decoded(reply)}" for code, reply in error.recipients.values())
        text = f"recipient refused: {text}"
    else:
        text = f"{error.__class__.__name__}: {error}"
    address = parseaddr(recipient)[1] or recipient
    if not address:
        return text
    return re.sub(re.escape(address), "<recipient>", text, flags=re.IGNORECASE)


def _decoded(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _give_back(db: Database, row: dict) -> None:
    """A reminder that could not be sent is not kept as 'failed': how many of a group's
    reminders failed would tell the coordinator how many have not sent in (below k,
    and with one person invited, whether they answered). It leaves the outbox, and the
    person gets their reminder back, so the next press of the button sends it."""
    with immediate(db):
        db.execute("delete from mail where id = ?", [row["id"]])
        db.execute("""update round_invitation set reminders = max(reminders - 1, 0)
                      where id = ?""", [row["invitation_id"]])


def _mark(db: Database, mail_id: int, status: str, error: str) -> None:
    with immediate(db):
        # Delivered: the text (with its one-time link) is no longer kept.
        db.execute("""update mail set status = ?, error = ?, sent_at = datetime('now'),
                      message = case when ? = 'sent' then null else message end
                      where id = ?""",
                   [status, error, status, mail_id])
        if status == "sent":
            db.execute("""update round_invitation set sent = 1 where id =
                          (select invitation_id from mail where id = ?)""", [mail_id])


def retry(db: Database, mail_ids: list[int]) -> int:
    """Offer failed messages again; returns how many."""
    if not mail_ids:
        return 0
    marks = ", ".join("?" for _ in mail_ids)
    with immediate(db):
        return db.execute(f"""update mail set status = 'queued', error = ''
                              where status = 'failed' and id in ({marks})""",
                          mail_ids).rowcount


def failed(db: Database, partnership_id: int, round_id: int | None = None,
           of_rounds: bool = True) -> list[dict]:
    """A partnership's messages that could not be delivered (no text, no link): all of
    them, one round's, or (of_rounds False) only those that belong to no round."""
    where, args = ("and round_id = ?", [round_id]) if round_id else ("", [])
    if not of_rounds:
        where = "and round_id is null"
    return list(db.query(f"""select id, purpose, recipient, subject, error, attempts
                             from mail where partnership_id = ? and status = 'failed' {where}
                             order by id""", [partnership_id, *args]))


def counts(db: Database, round_id: int) -> dict[int, dict[str, int]]:
    """Per group link: invitations queued, sent and failed. Reminders are left out:
    they go only to those who have not sent in, so their number is that number."""
    result: dict[int, dict[str, int]] = {}
    for link_id, status, n in db.execute(
            """select i.group_link_id, m.status, count(*) from mail m
               join round_invitation i on i.id = m.invitation_id
               where m.round_id = ? and m.purpose != ?
               group by i.group_link_id, m.status""", [round_id, REMINDER]):
        result.setdefault(link_id, {})[status] = n
    return result


# ---- The outbox folder (no mail server), for the administrator's page ----------

def folder_messages(folder: Path, limit: int = 200) -> list[dict]:
    """The newest messages written to the outbox folder, newest first."""
    files = sorted(folder.glob("*.eml"), reverse=True)[:limit] if folder.is_dir() else []
    return [_summary(path) for path in files]


def _summary(path: Path) -> dict:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    return {"name": path.stem, "to": message["To"], "subject": message["Subject"],
            "date": message["Date"]}


def folder_message(folder: Path, name: str) -> dict | None:
    """One message of the outbox folder with its plain text, or None."""
    if not FOLDER_NAME.fullmatch(name):
        return None
    path = folder / f"{name}.eml"
    if not path.is_file():
        return None
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    return {**_summary(path), "reply_to": message["Reply-To"],
            "text": body.get_content() if body else ""}


def forget_in_folder(folder: Path, names: list[str]) -> None:
    """Erase these messages from the outbox folder (someone sent in: their mails go)."""
    for name in names:
        if FOLDER_NAME.fullmatch(name):
            (folder / f"{name}.eml").unlink(missing_ok=True)


def forget_ended_links(db: Database, folder: Path,
                       working: dict[str, Callable[[Database, list[int]], set[int]]]) -> int:
    """Erase from the outbox folder the messages whose one-time link no longer works;
    returns how many. `working` gives per purpose ('password reset', 'member invitation')
    which of some link ids still work. A message followed by a newer one for the same
    link (sent again with a new link) has ended too. Each message is looked at until
    its link ends, then never again (link_id is cleared)."""
    ended = []
    for purpose, still_working in working.items():
        rows = list(db.query("""select id, round_id, link_id, id < (select max(id) from mail n
                                where n.purpose = m.purpose and n.link_id = m.link_id) as old
                                from mail m where purpose = ? and link_id is not null
                                and status = 'sent'""", [purpose]))
        alive = still_working(db, sorted({r["link_id"] for r in rows}))
        ended += [r for r in rows if r["old"] or r["link_id"] not in alive]
    for row in ended:
        (folder / f"{folder_name(row['id'], row['round_id'])}.eml").unlink(missing_ok=True)
    if ended:
        with immediate(db):
            db.conn.executemany("update mail set link_id = null where id = ?",
                                [(r["id"],) for r in ended])
    return len(ended)


def forget_round_in_folder(folder: Path, round_id: int) -> int:
    """Erase a closed round's messages from the outbox folder (they hold addresses
    and personal links); returns how many."""
    found = list(folder.glob(f"*-r{round_id}.eml")) if folder.is_dir() else []
    for path in found:
        path.unlink(missing_ok=True)
    return len(found)


# ---- The background sender ---------------------------------------------------

class Sender:
    """One thread per app that delivers the outbox after requests ask it to.

    It has its own database connection and lives while there is work: woken by
    `wake`, it sends everything queued, then waits a while for more and ends.
    `prepare`, when given, runs before each pass with the sender's connection: the
    work that makes messages (reminders) or tidies the outbox folder, kept out of
    the requests that ask for it.
    """

    IDLE_SECONDS = 30

    def __init__(self, database: str, settings: Settings,
                 prepare: Callable[[Database], None] | None = None):
        self.database = database
        self.settings = settings
        self.prepare = prepare
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        self._wanted.set()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="samenscan-mail",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        db = connect(self.database)
        try:
            while self._wanted.wait(self.IDLE_SECONDS):
                self._wanted.clear()
                self._pass(db)
        finally:
            db.conn.close()
            with self._lock:
                self._thread = None
        if self._wanted.is_set():   # woken just as it was ending
            self.wake()

    def _pass(self, db: Database) -> None:
        # Apart, so that messages already queued go out even when making others failed.
        if self.prepare:
            try:
                self.prepare(db)
            except Exception:   # noqa: BLE001 - the sender must outlive one bad pass
                log.exception("preparing the outbox")
        try:
            sendwaiting(db, self.settings)
        except Exception:   # noqa: BLE001
            log.exception("sending the outbox")


def status_counts(db: Database) -> dict[str, int]:
    """How many messages the outbox holds per status (queued, sending, sent, failed)."""
    return {status: n for status, n in db.execute(
        "select status, count(*) from mail group by status")}

"""Personal invitations to answer a round (persoonlijke uitnodigingen).

Per group link (partner × role) a coordinator gives a list of addresses; each
person gets their own link that starts one questionnaire and resumes it. The
round counts each as one person: the group's expected number of people
(group_link.invited) is the number invited.

What the database holds per invitation, and why no answer can be joined to it:

- a random nonce; the personal token in the mail is HMAC(secret, nonce), so the
  app can write it again in a reminder without storing it;
- the respondent's resume token is HMAC(secret, personal token): only someone
  holding the mail (or the app's secret) reaches the questionnaire;
- the invitation's own key is a hash of "invitation|" + resume token, and the
  respondent's key the plain hash of the resume token: two hashes of one secret
  value, which cannot be matched without it;
- flags sent / sent in and a reminder count; no times, and no column of the
  respondent or answer tables refers to an invitation.

Sending in erases the address and the nonce from the invitation (nobody is
reminded any more, and not even the app's secret can then connect the row to
the answers), and so does closing the round for everyone else (data
minimisation). docs/privacy.md describes what remains.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from email.message import EmailMessage

from email_validator import EmailNotValidError, validate_email
from sqlite_utils import Database

from scan import mail, responses
from scan.database import immediate
from scan.mail import folder_name

MAX_REMINDERS = 3
MAX_ADDRESSES = 2000        # in one list: a large school's staff fits many times over
LANGUAGES = ("nl", "en")


class AlreadyInvited(Exception):
    """Some addresses have an invitation for this round already (listed in args[0])."""


@dataclass(frozen=True)
class Person:
    email: str
    lang: str


@dataclass(frozen=True)
class Problem:
    """One line of the list that cannot be used: its number, what it held, why."""

    line: int
    text: str
    reason: str    # 'invalid', 'duplicate', 'language'


def _mac(secret: str, purpose: str, value: str) -> str:
    digest = hmac.new(secret.encode(), f"{purpose}|{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def personal_token(secret: str, nonce: str) -> str:
    """The token in the invitation's link."""
    return _mac(secret, "personal", nonce)


def resume_token(secret: str, token: str) -> str:
    """The respondent's resume token behind a personal token."""
    return _mac(secret, "resume", token)


def _key(resume: str) -> str:
    return hashlib.sha256(f"invitation|{resume}".encode()).hexdigest()


def read_list(text: str, default_lang: str = "nl") -> tuple[list[Person], list[Problem]]:
    """Addresses from pasted lines or a CSV file: one person per line, the address in
    the first cell, optionally 'nl' or 'en' in the second; a header line is skipped."""
    people: list[Person] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    dialect = ";" if text.count(";") > text.count(",") else ","
    first = True
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=dialect), start=1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        if first and "@" not in cells[0]:   # a header line
            first = False
            continue
        first = False
        problem, person = _person(cells, default_lang, seen)
        if problem:
            problems.append(Problem(number, cells[0][:200], problem))
        else:
            seen.add(person.email)
            people.append(person)
    return people, problems


def _person(cells: list[str], default_lang: str, seen: set[str]):
    try:
        email = validate_email(cells[0], check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return "invalid", None
    if email in seen:
        return "duplicate", None
    lang = cells[1].lower() if len(cells) > 1 else default_lang
    if lang not in LANGUAGES:
        return "language", None
    return None, Person(email, lang)


def invite(db: Database, secret: str, round_id: int, link_id: int,
           people: list[Person]) -> list[tuple[int, Person, str]]:
    """Invitations for these people on one group link, all or none; returns
    (invitation id, person, personal token) to mail. The link's expected number of
    people becomes its number of personal invitations."""
    made = []
    with immediate(db):
        taken = _already_invited(db, round_id, [p.email for p in people])
        if taken:
            raise AlreadyInvited(taken)
        for person in people:
            nonce = secrets.token_urlsafe(24)
            token = personal_token(secret, nonce)
            invitation_id = db.execute(
                """insert into round_invitation (round_id, group_link_id, token_hash, nonce,
                   email, lang) values (?, ?, ?, ?, ?, ?)""",
                [round_id, link_id, _key(resume_token(secret, token)), nonce, person.email,
                 person.lang]).lastrowid
            made.append((invitation_id, person, token))
        _count_invited(db, link_id)
    return made


def _already_invited(db: Database, round_id: int, emails: list[str]) -> list[str]:
    taken = []
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        taken += [r[0] for r in db.execute(
            f"select email from round_invitation where round_id = ? and email in ({marks})",
            [round_id, *chunk])]
    return sorted(taken)


def _count_invited(db: Database, link_id: int) -> None:
    db.execute("""update group_link set invited =
                  (select count(*) from round_invitation where group_link_id = ?)
                  where id = ?""", [link_id, link_id])


def invitation(db: Database, secret: str, token: str) -> dict | None:
    """The invitation behind a personal token, with its link and round."""
    return next(db.query("""
        select i.id, i.round_id, i.group_link_id, i.submitted, i.lang,
               l.role, l.active, p.name as partner, p.sector, r.status, r.school_year,
               r.title, r.partnership_id, r.closed_at, r.closes_on, s.name as partnership
        from round_invitation i join group_link l on l.id = i.group_link_id
        join round r on r.id = i.round_id join partner p on p.id = l.partner_id
        join partnership s on s.id = r.partnership_id
        where i.token_hash = ?""", [_key(resume_token(secret, token))]), None)


def start(db: Database, secret: str, token: str) -> str:
    """The questionnaire of this invitation: started now, or the one started before.
    Returns the resume token."""
    found = invitation(db, secret, token)
    if found is None:
        raise LookupError(token)
    resume = resume_token(secret, token)
    if responses.respondent(db, resume) is None:
        responses.start(db, found["round_id"], found["group_link_id"], token=resume,
                        via="personal")
    return resume


def sent_in(db: Database, resume: str) -> list[str]:
    """The person behind this resume token sent in: forget their address and nonce,
    and the mails to them (a group-link respondent has no invitation: nothing changes).
    Returns the names those mails have in the outbox folder, for the caller to erase
    there too (they hold the address beside the link, which leads to the answers)."""
    key = _key(resume)
    with immediate(db):
        mails = [folder_name(r[0], r[1]) for r in db.execute(
            """select id, round_id from mail where invitation_id =
               (select id from round_invitation where token_hash = ?)""", [key])]
        db.execute("""delete from mail where invitation_id =
                      (select id from round_invitation where token_hash = ?)""", [key])
        db.execute("""update round_invitation set submitted = 1, email = null, nonce = null
                      where token_hash = ?""", [key])
    return mails


def ask_to_remind(db: Database, partnership_id: int, round_id: int, link_id: int,
                  sender_id: int, base_url: str) -> None:
    """Remind this group link later: one job for the background sender, which finds
    who has not sent in and builds their mails (see remind). Asking stores one
    row whatever the number of people, so how long the coordinator's request takes
    says nothing of how many have not sent in."""
    with immediate(db):
        db.execute("""insert into mail_job (kind, partnership_id, round_id, group_link_id,
                      sender_id, base_url) values ('remind', ?, ?, ?, ?, ?)""",
                   [partnership_id, round_id, link_id, sender_id, base_url])


def reminder_jobs(db: Database) -> list[dict]:
    """The groups waiting to be reminded, oldest first."""
    return list(db.query("select * from mail_job where kind = 'remind' order by id"))


@dataclass(frozen=True)
class Due:
    """One person a reminder job will remind: their invitation as it was read (the
    reminder count and nonce), so that it is counted only if nothing changed since."""

    invitation_id: int
    reminders: int
    nonce: str
    person: Person
    token: str


def due_reminders(db: Database, secret: str, job: dict) -> list[Due]:
    """Whom this reminder job reminds: everyone of its group link who has not sent in
    and may get one more reminder; nobody if its round closed meanwhile. Only reads:
    the reminders are counted when their mails are queued (remind)."""
    rows = db.execute("""select i.id, i.email, i.lang, i.nonce, i.reminders
                         from round_invitation i join round r on r.id = i.round_id
                         where i.round_id = ? and i.group_link_id = ? and r.status = 'open'
                         and i.submitted = 0 and i.email is not null and i.nonce is not null
                         and i.sent = 1 and i.reminders < ? order by i.id""",
                      [job["round_id"], job["group_link_id"], MAX_REMINDERS]).fetchall()
    return [Due(r[0], r[4], r[3], Person(r[1], r[2]), personal_token(secret, r[3]))
            for r in rows]


def remind(db: Database, job: dict, mails: list[tuple[Due, EmailMessage]]) -> int | None:
    """Finish a reminder job in one transaction: the job goes, each reminder is counted
    and its mail queued, all or nothing. A sender that dies before the end leaves the
    job as it was, and the next pass does it again; none that dies can leave a reminder
    counted but never sent, or send one twice. Returns how many were queued, or None
    when another sender finished the job first.

    Someone whose invitation changed since due_reminders read it (sent in, the round
    closed, another job reminded them) is passed over: counted only as it was read."""
    with immediate(db):
        if not db.execute("delete from mail_job where id = ?", [job["id"]]).rowcount:
            return None
        queued = 0
        for due, message in mails:
            if _count_reminder(db, due):
                mail.queue(db, message, mail.REMINDER, job["partnership_id"],
                           job["round_id"], due.invitation_id)
                queued += 1
        return queued


def _count_reminder(db: Database, due: Due) -> bool:
    return bool(db.execute("""update round_invitation set reminders = reminders + 1
                              where id = ? and reminders = ? and nonce = ? and submitted = 0
                              and email is not null and reminders < ?
                              and round_id in (select id from round where status = 'open')""",
                           [due.invitation_id, due.reminders, due.nonce,
                            MAX_REMINDERS]).rowcount)


def counts(db: Database, round_id: int) -> dict[int, dict]:
    """Per group link: invited, sent in, and who could still get a reminder (a count)."""
    rows = db.execute("""select group_link_id, count(*), sum(submitted), sum(sent),
                         sum(submitted = 0 and email is not null and sent = 1
                             and reminders < ?),
                         max(reminders)
                         from round_invitation where round_id = ?
                         group by group_link_id""", [MAX_REMINDERS, round_id])
    return {r[0]: {"invited": r[1], "sent_in": r[2], "mailed": r[3], "remindable": r[4],
                   "reminders": r[5]} for r in rows}


def forget_addresses(db: Database, round_id: int) -> int:
    """The round closed: erase every address and nonce, and its mails. Returns how
    many addresses were erased. The counts stay."""
    with immediate(db):
        db.execute("delete from mail where round_id = ?", [round_id])
        db.execute("delete from mail_job where round_id = ?", [round_id])
        return db.execute("""update round_invitation set email = null, nonce = null
                             where round_id = ? and email is not null""",
                          [round_id]).rowcount

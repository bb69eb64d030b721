"""Reminders survive a sender that dies halfway: a reminder is counted only together
with its queued mail, so a job cut short is done again later, and everyone it reminds
gets exactly one mail."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import Auth
from smtp_server import link_in
from test_personal import TEN, _wait_until_tried, invite, path_of, people_url

from scan import create_app, mail, personal
from scan.database import connect
from scan.web import mailing

# Started as a separate process: the app's sender builds the reminders, and after the
# first is counted and its mail queued it stops, to be killed there.
DIES_HALFWAY = """
import json, sys, time
from pathlib import Path
from scan import create_app, mail
from scan.database import connect
from scan.web import mailing

config, marker = json.loads(sys.argv[1]), Path(sys.argv[2])
mail.Sender.wake = lambda self: None          # this process builds the job itself
app = create_app(config)
real_queue = mail.queue

def queue_then_hang(*args, **kwargs):
    queued = real_queue(*args, **kwargs)
    marker.write_text("one queued")
    time.sleep(120)
    return queued

mail.queue = queue_then_hang
mailing.build_reminders(app, connect(config["DATABASE"]))
"""


@pytest.fixture
def three_invited(mail_config, smtp, world, db, monkeypatch):
    """Three people invited (their invitations delivered) and one press of "remind",
    whose job waits: the app's own sender is kept asleep until the test wakes it."""
    app = create_app(mail_config)
    coordinator = app.test_client()
    Auth(coordinator).login(world.a.emails["coordinator"])
    invite(coordinator, world, "\n".join(TEN[:3]))
    links = {m["To"]: path_of(link_in(m, "/i/")) for m in smtp.mailbox.wait(3)}
    _wait_until_tried(db)
    smtp.mailbox.clear()
    monkeypatch.setattr(app.extensions["samenscan.mailer"], "wake", lambda: None)
    assert coordinator.post(f"{people_url(world)[:-len('/people')]}/remind").status_code == 302
    assert _state(db) == {"counted": 0, "queued": 0, "jobs": 1}
    return SimpleNamespace(app=app, links=links)


def _state(db) -> dict:
    counted, queued, jobs = db.execute(
        """select (select sum(reminders) from round_invitation),
                  (select count(*) from mail where purpose = ?),
                  (select count(*) from mail_job)""", [mail.REMINDER]).fetchone()
    return {"counted": counted, "queued": queued, "jobs": jobs}


def _sent_once_each(invited, smtp, db, monkeypatch):
    """The app's sender, woken, sends each person their reminder, once, with their own
    link; a further pass sends nothing."""
    monkeypatch.undo()
    sender = invited.app.extensions["samenscan.mailer"]
    sender.wake()
    smtp.mailbox.wait(3)
    _wait_until_tried(db)
    sender.wake()   # a pass more: nothing left to send
    time.sleep(0.5)
    _wait_until_tried(db)
    reminders = smtp.mailbox.wait(4, timeout=1)
    assert sorted(m["To"] for m in reminders) == TEN[:3]
    assert all(path_of(link_in(m, "/i/")) == invited.links[m["To"]] for m in reminders)
    assert [r[0] for r in db.execute("select reminders from round_invitation")] == [1, 1, 1]
    assert _state(db) == {"counted": 3, "queued": 3, "jobs": 0}


def test_a_sender_that_fails_after_one_reminder_has_counted_none(
        smtp, db, three_invited, monkeypatch):
    real_queue = mail.queue

    def fails_at_the_second(*args, **kwargs):
        if fails_at_the_second.calls:
            raise RuntimeError("the worker stops here")
        fails_at_the_second.calls += 1
        return real_queue(*args, **kwargs)

    fails_at_the_second.calls = 0
    monkeypatch.setattr(mail, "queue", fails_at_the_second)
    try:
        app = three_invited.app
        mailing.build_reminders(app, connect(app.config["DATABASE"]))
    except RuntimeError:
        pass    # whether the sender survives it or not, nothing of the job may remain
    assert _state(db) == {"counted": 0, "queued": 0, "jobs": 1}
    _sent_once_each(three_invited, smtp, db, monkeypatch)


def test_a_sender_killed_after_one_reminder_has_counted_none(
        mail_config, smtp, db, three_invited, monkeypatch, tmp_path):
    marker = tmp_path / "halfway"
    worker = subprocess.Popen([sys.executable, "-c", DIES_HALFWAY, json.dumps(mail_config),
                               str(marker)], cwd=Path(__file__).parent.parent,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    try:
        deadline = time.monotonic() + 90
        while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the worker never reached its first reminder"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert _state(db) == {"counted": 0, "queued": 0, "jobs": 1}
    _sent_once_each(three_invited, smtp, db, monkeypatch)


def test_a_job_finished_twice_reminds_once(db, three_invited):
    """Two senders (two workers) building the same job: the one that finishes second
    queues nothing."""
    job = personal.reminder_jobs(db)[0]
    due = personal.due_reminders(db, three_invited.app.config["SECRET_KEY"], job)
    mails = _mails(three_invited.app, due)
    assert personal.remind(db, job, mails) == 3
    assert personal.remind(db, job, mails) is None
    assert _state(db) == {"counted": 3, "queued": 3, "jobs": 0}


def test_who_sends_in_while_their_reminder_is_built_is_not_reminded(
        db, three_invited):
    job = personal.reminder_jobs(db)[0]
    due = personal.due_reminders(db, three_invited.app.config["SECRET_KEY"], job)
    db.execute("update round_invitation set submitted = 1, email = null, nonce = null "
               "where id = ?", [due[0].invitation_id])
    mails = _mails(three_invited.app, due)
    assert personal.remind(db, job, mails) == 2
    assert _state(db) == {"counted": 2, "queued": 2, "jobs": 0}


def _mails(app, due: list) -> list:
    return [(d, mail.compose(mailing.settings(app), d.person.email, "Herinnering", "tekst",
                             "<p>tekst</p>")) for d in due]

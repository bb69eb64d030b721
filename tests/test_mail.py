"""Mail through a real SMTP server (aiosmtpd): password reset, member invitations, the
first coordinator, and what goes wrong (a mail server that is down)."""

import re

import pytest
from conftest import PASSWORD, Auth
from smtp_server import SMTPServer, free_port, html_of, link_in, text_of

from scan import accounts, create_app
from scan.database import connect

NEW_PASSWORD = "een nieuw eigen wachtwoord"


@pytest.fixture
def mail_app(mail_config, world):
    return create_app(mail_config)


@pytest.fixture
def mail_client(mail_app):
    return mail_app.test_client()


def test_forgot_password_mails_a_link_that_sets_a_new_password(mail_client, smtp, world, db):
    email = world.a.emails["viewer"]
    assert "Wachtwoord vergeten?" in mail_client.get("/login").get_data(as_text=True)
    answer = mail_client.post("/password/forgot", data={"email": email})
    assert answer.status_code == 200 and "Kijk in je mail" in answer.get_data(as_text=True)
    [message] = smtp.mailbox.wait(1)
    assert message["To"] == email and message["From"] == "Samenscan <scan@samenscan.test>"
    assert message["Date"] and re.fullmatch(r"<[^@>]+@samenscan\.test>", message["Message-ID"])
    assert message["Subject"] == "Kies een nieuw wachtwoord voor Samenscan"
    link = link_in(message, "/password/reset/")
    assert link in html_of(message) and "Hallo Viewer a" in text_of(message)
    path = link.split("localhost", 1)[1]
    assert mail_client.get(path).status_code == 200
    done = mail_client.post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/login")
    person = Auth(mail_client)
    assert person.login(email, PASSWORD).status_code == 401
    assert person.login(email, NEW_PASSWORD).status_code == 302
    assert mail_client.get(path).status_code == 404   # the link works once
    actions = [e["action"] for e in accounts.audit_log(db)]
    assert "password reset asked" in actions and "password reset by mail" in actions


def test_forgot_password_answers_the_same_for_an_unknown_address(mail_client, smtp, world):
    def said(email):
        html = mail_client.post("/password/forgot", data={"email": email}).get_data(as_text=True)
        return html.split('id="forgot-sent">')[1].split("</p>")[0].replace(email, "@")

    assert said("niemand@nergens.nl") == said(world.a.emails["viewer"])
    messages = smtp.mailbox.wait(2, timeout=3)
    assert [m["To"] for m in messages] == [world.a.emails["viewer"]]


def test_forgot_password_takes_as_long_for_an_unknown_address(mail_client, smtp, world, db):
    """The same answer, in about the same time: a reset for an account makes a link and
    a mail, an unknown address does nothing, and that difference must not show."""
    import time

    def took(email, n):
        start = time.perf_counter()   # each from its own address, within the throttle
        answer = mail_client.post("/password/forgot", data={"email": email},
                                  environ_overrides={"REMOTE_ADDR": f"192.0.2.{n}"})
        assert answer.status_code == 200
        return time.perf_counter() - start

    known, unknown = [], []
    for n in range(7):
        accounts.create_user(db, f"bekend{n}@school.nl", "Bekend", PASSWORD)
        known.append(took(f"bekend{n}@school.nl", 2 * n))
        unknown.append(took(f"niemand{n}@nergens.nl", 2 * n + 1))
    # Both answers wait for the same floor (0.4 s), which is far above the work either
    # does; the medians may differ only by scheduling noise on a busy machine.
    assert min(known + unknown) >= 0.4
    assert abs(sorted(known)[3] - sorted(unknown)[3]) < 0.05


def test_forgot_password_is_throttled(mail_config, smtp, world):
    # Without the answer's floor, so the requests fall in one minute's window.
    mail_client = create_app({**mail_config, "FORGOT_ANSWER_SECONDS": 0}).test_client()
    codes = [mail_client.post("/password/forgot", data={"email": f"x{n}@school.nl"}).status_code
             for n in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    one = [mail_client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
           for _ in range(4)]
    assert one[-1].status_code == 429


def test_a_reset_link_expires_and_a_newer_one_ends_the_older(mail_client, smtp, world, db):
    email = world.a.emails["viewer"]
    mail_client.post("/password/forgot", data={"email": email})
    mail_client.post("/password/forgot", data={"email": email})
    first, second = (link_in(m, "/password/reset/").split("localhost", 1)[1]
                     for m in smtp.mailbox.wait(2))
    assert mail_client.get(first).status_code == 404
    assert mail_client.get(second).status_code == 200
    db.execute("update password_reset set created_at = datetime('now', '-61 minutes')")
    assert mail_client.get(second).status_code == 404


def test_a_reset_refuses_a_weak_password_and_keeps_the_link(mail_client, smtp, world):
    mail_client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
    path = link_in(smtp.mailbox.wait(1)[0], "/password/reset/").split("localhost", 1)[1]
    weak = mail_client.post(path, data={"new": "kort", "repeat": "kort"})
    assert weak.status_code == 400
    assert mail_client.get(path).status_code == 200


def test_mail_is_in_english_for_someone_using_the_site_in_english(mail_client, smtp, world):
    mail_client.set_cookie("lang", "en")
    mail_client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
    [message] = smtp.mailbox.wait(1)
    assert message["Subject"] == "Choose a new password for Samenscan"
    assert "Hello Viewer a" in text_of(message) and 'lang="en"' in html_of(message)


def _invite_member(client, pid, email, lang="nl"):
    return client.post(f"/p/{pid}/members", data={"name": "Sam", "email": email,
                                                  "role": "viewer", "lang": lang})


def test_a_member_invitation_arrives_and_its_link_joins(mail_app, mail_client, smtp, world, db):
    Auth(mail_client).login(world.a.emails["coordinator"])
    page = _invite_member(mail_client, world.a.id, "sam@school.nl", "en")
    assert 'id="invitation-sent"' in page.get_data(as_text=True)
    [message] = smtp.mailbox.wait(1)
    assert message["Reply-To"] == world.a.emails["coordinator"]
    assert message["Subject"] == "Invitation to join Partnerschap A in Samenscan"
    path = link_in(message, "/invite/").split("localhost", 1)[1]
    sam = mail_app.test_client()
    joined = sam.post(path, data={"name": "Sam", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert joined.status_code == 302
    assert accounts.role_in(db, accounts.user_by_email(db, "sam@school.nl")["id"],
                            world.a.id) == "viewer"


def test_send_again_mails_a_new_link_and_the_old_one_stops(mail_app, mail_client, smtp, world,
                                                         db):
    Auth(mail_client).login(world.a.emails["coordinator"])
    _invite_member(mail_client, world.a.id, "sam@school.nl")
    invitation = next(db.query("select id from invitation"))["id"]
    again = mail_client.post(f"/p/{world.a.id}/members/invitations/{invitation}/send",
                             data={"lang": "nl"})
    assert again.status_code == 302
    old, new = (link_in(m, "/invite/").split("localhost", 1)[1] for m in smtp.mailbox.wait(2))
    assert old != new
    assert mail_app.test_client().get(old).status_code == 404
    assert mail_app.test_client().get(new).status_code == 200
    # Another partnership's coordinator cannot send it.
    other = mail_app.test_client()
    Auth(other).login(world.b.emails["coordinator"])
    assert other.post(f"/p/{world.a.id}/members/invitations/{invitation}/send").status_code == 404
    assert other.post(f"/p/{world.b.id}/members/invitations/{invitation}/send").status_code == 404
    assert len(smtp.mailbox.wait(3, timeout=1)) == 2


def test_the_first_coordinator_is_invited_by_mail(mail_app, mail_client, smtp, world, db):
    Auth(mail_client).login("admin@samenscan.nl")
    page = mail_client.post("/admin/", data={"name": "Opleidingsschool Noord",
                                             "coordinator_name": "Noor",
                                             "coordinator_email": "noor@noord.nl"})
    assert page.status_code == 200 and 'class="secret"' not in page.get_data(as_text=True)
    assert accounts.user_by_email(db, "noor@noord.nl") is None   # no temporary password
    [message] = smtp.mailbox.wait(1)
    assert message["To"] == "noor@noord.nl" and message["Reply-To"] == "admin@samenscan.nl"
    path = link_in(message, "/invite/").split("localhost", 1)[1]
    noor = mail_app.test_client()
    assert noor.post(path, data={"name": "Noor", "new": NEW_PASSWORD,
                                 "repeat": NEW_PASSWORD}).status_code == 302
    user = accounts.user_by_email(db, "noor@noord.nl")
    assert [(m["name"], m["role"]) for m in accounts.memberships(db, user["id"])] == [
        ("Opleidingsschool Noord", "coordinator")]


def test_an_existing_account_made_first_coordinator_is_told_by_mail(mail_client, smtp, world,
                                                                   db):
    Auth(mail_client).login("admin@samenscan.nl")
    mail_client.post("/admin/", data={"name": "Noord", "coordinator_name": "X",
                                      "coordinator_email": world.b.emails["viewer"]})
    [message] = smtp.mailbox.wait(1)
    assert message["Subject"] == "Je bent coördinator van Noord in Samenscan"
    assert link_in(message, "/p/")
    roles = {m["name"]: m["role"] for m in accounts.memberships(db, world.b.users["viewer"])}
    assert roles["Noord"] == "coordinator"


def test_a_mail_server_that_is_down_shows_not_sent_and_a_retry_delivers(app_config, world, db):
    port = free_port()   # nothing listens here yet
    app = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                      "MAIL_TIMEOUT": 2})
    client = app.test_client()
    Auth(client).login(world.a.emails["coordinator"])
    _invite_member(client, world.a.id, "sam@school.nl")
    status = _wait_status(db, "failed")
    assert status == "failed"
    page = client.get(f"/p/{world.a.id}/members").get_data(as_text=True)
    assert 'id="mail-failed"' in page and "sam@school.nl" in page
    with SMTPServer(port) as server:
        retried = client.post(f"/p/{world.a.id}/mail/retry",
                              data={"back": f"/p/{world.a.id}/members"})
        assert retried.status_code == 302 and retried.location.endswith(f"/p/{world.a.id}/members")
        [message] = server.mailbox.wait(1)
    assert message["To"] == "sam@school.nl" and "/invite/" in text_of(message)
    assert _wait_status(db, "sent") == "sent"
    assert 'id="mail-failed"' not in client.get(f"/p/{world.a.id}/members").get_data(
        as_text=True)
    # What was delivered is no longer kept: its text held a one-time link.
    assert next(db.query("select message from mail"))["message"] is None


def _wait_status(db, wanted, timeout=15):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = next(db.query("select status from mail order by id desc limit 1"), None)
        if row and row["status"] == wanted:
            return wanted
        time.sleep(0.05)
    return row and row["status"]


def test_retrying_is_for_coordinators_of_the_partnership(client, world):
    auth = Auth(client)
    auth.login(world.b.emails["coordinator"])
    assert client.post(f"/p/{world.a.id}/mail/retry").status_code == 404
    auth.logout()
    auth.login(world.a.emails["viewer"])
    assert client.post(f"/p/{world.a.id}/mail/retry").status_code == 403


def test_the_outbox_without_a_mail_server(app, client, world, db):
    """No SCAN_MAIL_SERVER: messages go to instance/outbox; the administrator reads them."""
    from smtp_server import wait_for_outbox

    client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
    [path] = wait_for_outbox(app.instance_path, 1)
    auth = Auth(client)
    auth.login(world.a.emails["coordinator"])
    assert client.get("/admin/outbox").status_code == 403
    auth.logout()
    auth.login("admin@samenscan.nl")
    listing = client.get("/admin/outbox").get_data(as_text=True)
    assert "Kies een nieuw wachtwoord voor Samenscan" in listing
    page = client.get(f"/admin/outbox/{path.stem}").get_data(as_text=True)
    assert world.a.emails["viewer"] in page and "/password/reset/" in page
    assert client.get("/admin/outbox/..%2Fsecret_key").status_code == 404
    assert client.get("/admin/outbox/999999").status_code == 404
    assert next(db.query("select status, message from mail")) == {"status": "sent",
                                                                   "message": None}


def test_mail_settings_from_the_environment(monkeypatch, app_config):
    from scan.web import mailing

    for name, value in {"SERVER": "smtp.school.nl", "PORT": "587", "USERNAME": "scan",
                        "PASSWORD": "geheim", "USE_TLS": "true", "USE_SSL": "false",
                        "SENDER": "Samenscan <scan@school.nl>"}.items():
        monkeypatch.setenv(f"SCAN_MAIL_{name}", value)
    settings = mailing.settings(create_app(app_config))
    assert (settings.server, settings.port, settings.username, settings.password,
            settings.use_tls, settings.use_ssl, settings.sender) == (
        "smtp.school.nl", 587, "scan", "geheim", True, False, "Samenscan <scan@school.nl>")


def test_a_queued_message_left_by_a_stopped_app_goes_out_at_the_next_start(mail_config,
                                                                            smtp, world):
    from email.message import EmailMessage

    from scan import mail

    db = connect(mail_config["DATABASE"])
    message = EmailMessage()
    message["To"], message["Subject"] = "x@school.nl", "Over"
    message.set_content("tekst")
    mail.queue(db, message, "test")
    create_app(mail_config)
    [arrived] = smtp.mailbox.wait(1)
    assert arrived["Subject"] == "Over"


def test_a_demo_account_resets_its_password_through_a_local_smtp_server(mail_config, smtp):
    """The issue's first 'done when', on the demo as `make run` makes it."""
    from scan import demo

    config = {**mail_config}
    config.pop("QUESTIONS")
    app = create_app(config)
    database = connect(config["DATABASE"])
    demo.build(database, app.extensions["samenscan.catalogue"])
    database.conn.close()
    client = app.test_client()
    client.post("/password/forgot", data={"email": "coordinator@demo.samenscan.nl"})
    [message] = smtp.mailbox.wait(1)
    path = link_in(message, "/password/reset/").split("localhost", 1)[1]
    client.post(path, data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert Auth(client).login("coordinator@demo.samenscan.nl", NEW_PASSWORD).status_code == 302


# ---- Copies of one-time links in the outbox folder (no mail server) -------------------

def _outbox_link(path, part: str) -> str:
    from scan.mail import folder_message

    text = folder_message(path.parent, path.stem)["text"]
    return part + text.split(part)[1].split()[0]


def _all_delivered(app, db, timeout=15) -> list:
    """The outbox folder's files once every queued message has been written there."""
    import time

    from smtp_server import outbox_files

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and db.execute(
            "select count(*) from mail where status != 'sent'").fetchone()[0]:
        time.sleep(0.05)
    return outbox_files(app.instance_path)


def test_a_used_reset_link_leaves_the_outbox_folder(app, client, world, db):
    client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
    [first] = _all_delivered(app, db)
    client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
    # Asking again ended the first link: its copy went when the second was asked for.
    assert not first.exists()
    [second] = _all_delivered(app, db)
    done = client.post(_outbox_link(second, "/password/reset/"),
                       data={"new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 302 and not second.exists()


def test_an_expired_reset_link_leaves_the_outbox_folder_at_the_next_start(app, app_config,
                                                                          client, world, db):
    client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
    [path] = _all_delivered(app, db)
    create_app(app_config)
    assert path.exists()   # still working: kept
    db.execute("update password_reset set created_at = datetime('now', '-61 minutes')")
    create_app(app_config)
    assert not path.exists()


def test_an_expired_reset_link_is_not_listed_for_the_administrator(app, client, world, db):
    client.post("/password/forgot", data={"email": world.a.emails["viewer"]})
    [path] = _all_delivered(app, db)
    db.execute("update password_reset set created_at = datetime('now', '-61 minutes')")
    Auth(client).login("admin@samenscan.nl")
    assert path.stem not in client.get("/admin/outbox").get_data(as_text=True)
    assert not path.exists()


def test_member_invitation_links_leave_the_outbox_folder_when_they_end(app, client, world, db):
    from smtp_server import outbox_files

    Auth(client).login(world.a.emails["coordinator"])
    _invite_member(client, world.a.id, "sam@school.nl")
    _invite_member(client, world.a.id, "kim@school.nl")
    sam, kim = _all_delivered(app, db)
    ids = {r["email"]: r["id"] for r in db.query("select id, email from invitation")}
    # Sent again: the mail with the old link goes, the new one stays.
    client.post(f"/p/{world.a.id}/members/invitations/{ids['sam@school.nl']}/send",
                data={"lang": "nl"})
    assert not sam.exists()
    files = _all_delivered(app, db)
    assert len(files) == 2
    [sam_again] = [f for f in files if f != kim]
    # Withdrawn: gone.
    client.post(f"/p/{world.a.id}/invitations/{ids['kim@school.nl']}/revoke")
    assert not kim.exists()
    # Accepted: gone.
    joined = app.test_client().post(_outbox_link(sam_again, "/invite/"), data={
        "name": "Sam", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert joined.status_code == 302 and outbox_files(app.instance_path) == []


# ---- The log ---------------------------------------------------------------------------

class _Refusing:
    """A mail server that knows nobody: it refuses every recipient, naming them."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return f"550 5.1.1 <{address}>: Recipient address rejected: user unknown"


@pytest.mark.parametrize("refusing", [True, False], ids=["refused", "no server"])
def test_a_failed_mail_is_logged_without_the_address(app_config, db, caplog, refusing):
    from email.message import EmailMessage

    from aiosmtpd.controller import Controller

    from scan import mail

    port = free_port()
    server = Controller(_Refusing(), hostname="127.0.0.1", port=port) if refusing else None
    settings = mail.Settings(sender="Samenscan <scan@samenscan.test>", folder=None,
                             server="127.0.0.1", port=port, timeout=2)
    message = EmailMessage()
    message["To"], message["Subject"] = "Sam.de.Vries@School.nl", "Uitnodiging"
    message.set_content("tekst")
    mail_id = mail.queue(db, message, "member invitation")
    if server:
        server.start()
    try:
        with caplog.at_level("WARNING", logger="scan.mail"):
            assert mail.sendwaiting(db, settings) == (0, 1)
    finally:
        if server:
            server.stop()
    [record] = [r for r in caplog.records if r.name == "scan.mail"]
    logged = record.getMessage()
    assert f"mail {mail_id} " in logged and "not sent" in logged
    assert "vries" not in logged.lower() and "school.nl" not in logged.lower()
    if refusing:
        assert "550" in logged and "<recipient>" in logged

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


def test_forgot_password_is_throttled(mail_client, smtp, world):
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

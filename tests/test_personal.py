"""Personal invitations by mail: one link per person, reminders only to those who have
not sent in, counts without addresses, and no way to join answers to an address."""

import io
import re

import pytest
from conftest import Auth, Respondent
from smtp_server import link_in, wait_for_outbox

from scan import create_app, rounds
from scan.mail import folder_message

FIRST = {"mini-k-1": "3", "mini-k-2": "0"}
SECOND = {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "1"}
TEN = [f"persoon{n}@school-a.nl" for n in range(1, 11)]


@pytest.fixture
def mail_app(mail_config, world):
    return create_app(mail_config)


@pytest.fixture
def coordinator(mail_app, world):
    client = mail_app.test_client()
    Auth(client).login(world.a.emails["coordinator"])
    return client


def people_url(world, lid=None):
    return f"/p/{world.a.id}/rounds/{world.a.round}/links/{lid or world.a.link}/people"


def invite(client, world, text="", lang="nl", file=None, lid=None):
    data = {"addresses": text, "lang": lang}
    if file is not None:
        data["file"] = (io.BytesIO(file), "adressen.csv")
    return client.post(people_url(world, lid), data=data, content_type="multipart/form-data")


def path_of(url: str) -> str:
    return url.split("localhost", 1)[1]


def answer_through(app, personal_path: str, submit: bool = True) -> Respondent:
    """A person opens their personal link, starts, answers both pages and sends in."""
    person = Respondent(app, None)
    assert person.client.get(personal_path).status_code == 200
    started = person.client.post(personal_path)
    person.resume = re.search(r"/r/([\w-]+)/welcome", started.location)[1]
    assert person.save(0, "kennismaken", FIRST).status_code == 302
    assert person.save(1, "afstemmen", SECOND).status_code == 302
    if submit:
        assert person.submit().location.endswith("/thanks")
    return person


def test_ten_invited_four_answer_and_a_reminder_reaches_the_other_six(mail_app, coordinator,
                                                                     smtp, world, db):
    sent = invite(coordinator, world, "\n".join(TEN))
    assert sent.status_code == 302
    invitations = smtp.mailbox.wait(10)
    assert sorted(m["To"] for m in invitations) == sorted(TEN)
    first = invitations[0]
    assert first["Reply-To"] == world.a.emails["coordinator"] and first["Message-ID"]
    assert "Partnerschap A vraagt je de zelfscan in te vullen" == first["Subject"]
    links = {m["To"]: path_of(link_in(m, "/i/")) for m in invitations}
    assert len(set(links.values())) == 10
    for address in TEN[:4]:
        answer_through(mail_app, links[address])
    smtp.mailbox.clear()
    assert coordinator.post(f"{people_url(world)[:-len('/people')]}/remind").status_code == 302
    reminders = smtp.mailbox.wait(6)
    assert sorted(m["To"] for m in reminders) == sorted(TEN[4:])
    assert all(path_of(link_in(m, "/i/")) == links[m["To"]] for m in reminders)
    page = coordinator.get(f"/p/{world.a.id}/rounds/{world.a.round}").get_data(as_text=True)
    assert "10 uitgenodigd, 4 ingestuurd" in page
    people = coordinator.get(people_url(world)).get_data(as_text=True)
    assert "10 uitgenodigd, 4 ingestuurd" in people
    assert "Uitnodigingen afgeleverd: 10." in people
    assert not any(address in page or address in people for address in TEN)
    link = rounds.link(db, world.a.round, world.a.link)
    assert link["invited"] == 10 and link["completed"] == 4
    assert [r["via"] for r in db.query("select via from respondent")] == ["personal"] * 4


def test_no_answer_can_be_joined_to_an_invitation_from_the_database(mail_app, coordinator,
                                                                    smtp, world, db):
    invite(coordinator, world, "\n".join(TEN[:5]))
    links = {m["To"]: path_of(link_in(m, "/i/")) for m in smtp.mailbox.wait(5)}
    # Sent in in the reverse order of the list; one more started and stopped.
    for address in reversed(TEN[:3]):
        answer_through(mail_app, links[address])
    answer_through(mail_app, links[TEN[3]], submit=False)
    schema = {t: [c[1] for c in db.execute(f"pragma table_info({t})")]
              for t in ("respondent", "answer", "comment", "round_invitation")}
    # No column of the answering side names an invitation, and no foreign key leads there.
    for table in ("respondent", "answer", "comment"):
        assert not any("invitation" in column for column in schema[table])
        keys = db.execute(f"pragma foreign_key_list({table})").fetchall()
        assert all(key[2] != "round_invitation" for key in keys)
    # An invitation holds no time (which could be matched to started_at or submitted_at).
    assert set(schema["round_invitation"]) == {
        "id", "round_id", "group_link_id", "token_hash", "nonce", "email", "lang", "sent",
        "submitted", "reminders"}
    # No value of an invitation appears anywhere among respondents, answers or comments.
    answering = {str(v) for t in ("respondent", "answer", "comment")
                 for row in db.execute(f"select * from {t}") for v in row}
    for row in db.query("select token_hash, nonce, email from round_invitation"):
        assert not ({str(v) for v in row.values() if v} & answering)
    # Those who sent in left no address and no nonce: not even the app's secret joins them.
    done = list(db.query("select email, nonce from round_invitation where submitted = 1"))
    assert done == [{"email": None, "nonce": None}] * 3
    # What remains is the flag; its rows are in the order of the list, not of sending in.
    order = [r["submitted"] for r in db.query("select submitted from round_invitation "
                                              "order by id")]
    assert order == [1, 1, 1, 0, 0]
    # And no mail to someone who sent in is kept.
    assert db.execute("select count(*) from mail m join round_invitation i "
                      "on i.id = m.invitation_id where i.submitted = 1").fetchone()[0] == 0


def test_a_personal_link_resumes_on_another_device_and_ends_at_thanks(mail_app, coordinator,
                                                                      smtp, world):
    invite(coordinator, world, TEN[0])
    personal = path_of(link_in(smtp.mailbox.wait(1)[0], "/i/"))
    person = answer_through(mail_app, personal, submit=False)
    elsewhere = mail_app.test_client()
    assert elsewhere.get(personal).location.endswith(f"/r/{person.resume}")
    person.submit()
    assert elsewhere.get(personal).location.endswith(f"/r/{person.resume}/thanks")
    assert elsewhere.post(personal).status_code == 302   # no second questionnaire


def test_reminders_stop_at_the_most_per_person(mail_app, coordinator, smtp, world):
    from scan.personal import MAX_REMINDERS

    invite(coordinator, world, "\n".join(TEN[:2]))
    smtp.mailbox.wait(2)
    remind = f"{people_url(world)[:-len('/people')]}/remind"
    for _ in range(MAX_REMINDERS):
        coordinator.post(remind)
    assert len(smtp.mailbox.wait(2 + 2 * MAX_REMINDERS)) == 2 + 2 * MAX_REMINDERS
    coordinator.post(remind)
    assert len(smtp.mailbox.wait(2 + 2 * MAX_REMINDERS + 1, timeout=1)) == 2 + 2 * MAX_REMINDERS


def test_english_per_address(mail_app, coordinator, smtp, world):
    invite(coordinator, world, "anna@school-a.nl, en\nbert@school-a.nl")
    by = {m["To"]: m for m in smtp.mailbox.wait(2)}
    assert by["anna@school-a.nl"]["Subject"] == "Partnerschap A asks you to fill in the self-scan"
    assert by["bert@school-a.nl"]["Subject"].startswith("Partnerschap A vraagt je")


@pytest.mark.parametrize("text, file, code, says", [
    ("a@school.nl\ngeen-adres", None, 400, "Regel 2: &#34;geen-adres&#34; is geen geldig"),
    ("a@school.nl\nA@school.nl", None, 400, "Regel 2: A@school.nl staat twee keer"),
    ("a@school.nl, fr", None, 400, "de taal achter a@school.nl moet nl of en zijn"),
    ("", None, 400, "De lijst bevat geen adressen"),
    ("", b"e-mail\n\"a@school.nl,en\nb@school.nl", 400, "geen geldig e-mailadres"),
    ("", b"\xff\xfe\x00a\x00@\x00", 400, "geen CSV-tekstbestand"),
    ("", b"x@school.nl\n" * 30000, 413, "Dit bestand is te groot"),
])
def test_bad_lists_are_refused_with_a_clear_message_and_nothing_is_sent(
        mail_app, coordinator, smtp, world, db, text, file, code, says):
    response = invite(coordinator, world, text, file=file)
    assert response.status_code == code
    assert says in response.get_data(as_text=True)
    assert db.execute("select count(*) from round_invitation").fetchone()[0] == 0
    assert smtp.mailbox.wait(1, timeout=0.5) == []


def test_a_csv_file_with_a_header_and_semicolons(mail_app, coordinator, smtp, world, db):
    sheet = "E-mailadres;Taal\r\nanna@school-a.nl;en\r\nbert@school-a.nl;nl\r\n"
    assert invite(coordinator, world, file=sheet.encode("utf-8-sig")).status_code == 302
    assert sorted(m["To"] for m in smtp.mailbox.wait(2)) == ["anna@school-a.nl",
                                                              "bert@school-a.nl"]


def test_inviting_an_address_twice_in_a_round_is_refused(mail_app, coordinator, smtp, world, db):
    invite(coordinator, world, TEN[0])
    again = invite(coordinator, world, f"{TEN[1]}\n{TEN[0]}", lid=world.a.links[1]["id"])
    assert again.status_code == 409 and TEN[0] in again.get_data(as_text=True)
    assert db.execute("select count(*) from round_invitation").fetchone()[0] == 1
    assert [m["To"] for m in smtp.mailbox.wait(2, timeout=1)] == [TEN[0]]


def test_closing_the_round_erases_the_addresses(mail_app, coordinator, smtp, world, db):
    invite(coordinator, world, "\n".join(TEN[:3]))
    personal = path_of(link_in(smtp.mailbox.wait(3)[0], "/i/"))
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/closed")
    left = list(db.query("select email, nonce from round_invitation"))
    assert left == [{"email": None, "nonce": None}] * 3
    assert db.execute("select count(*) from mail where round_id = ?",
                      [world.a.round]).fetchone()[0] == 0
    assert mail_app.test_client().get(personal).status_code == 410
    assert coordinator.post(f"{people_url(world)[:-len('/people')]}/remind").status_code == 409
    page = coordinator.get(people_url(world)).get_data(as_text=True)
    assert "de adressen zijn gewist" in page and "3 uitgenodigd" in page


def test_the_number_invited_of_a_personal_group_is_not_overwritten(coordinator, smtp, world, db):
    invite(coordinator, world, "\n".join(TEN[:4]))
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/invited",
                     data={f"invited-{world.a.link}": "40"})
    assert rounds.link(db, world.a.round, world.a.link)["invited"] == 4


def test_a_personal_link_starts_even_when_the_group_link_is_off(mail_app, coordinator, smtp,
                                                                world, db):
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}/off")
    invite(coordinator, world, TEN[0])
    answer_through(mail_app, path_of(link_in(smtp.mailbox.wait(1)[0], "/i/")))


def test_other_partnerships_cannot_see_or_send(mail_app, smtp, world, db):
    outsider = mail_app.test_client()
    Auth(outsider).login(world.b.emails["coordinator"])
    base = f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}"
    own = f"/p/{world.b.id}/rounds/{world.a.round}/links/{world.a.link}"
    for url in (base, own):
        assert outsider.get(f"{url}/people").status_code == 404
        assert invite(outsider, world, TEN[0]).status_code == 404
        assert outsider.post(f"{url}/people", data={"addresses": TEN[0]}).status_code == 404
        assert outsider.post(f"{url}/remind").status_code == 404
    viewer = mail_app.test_client()
    Auth(viewer).login(world.a.emails["viewer"])
    assert viewer.get(f"{base}/people").status_code == 403
    assert db.execute("select count(*) from round_invitation").fetchone()[0] == 0
    assert smtp.mailbox.wait(1, timeout=0.5) == []


def test_an_unknown_personal_link_is_404(client, world):
    assert client.get("/i/onbekend").status_code == 404


def test_without_a_mail_server_invitations_wait_in_the_outbox(app, client, world, db):
    """No SCAN_MAIL_SERVER: the same flow, read by the administrator on the outbox page."""
    Auth(client).login(world.a.emails["coordinator"])
    assert invite(client, world, "\n".join(TEN[:2])).status_code == 302
    files = wait_for_outbox(app.instance_path, 2)
    assert len(files) == 2
    Auth(client).logout()
    Auth(client).login("admin@samenscan.nl")
    listing = client.get("/admin/outbox").get_data(as_text=True)
    assert TEN[0] in listing and TEN[1] in listing
    text = folder_message(files[0].parent, files[0].stem)["text"]
    personal = "/i/" + text.split("/i/")[1].split()[0]
    answer_through(app, personal)
    assert rounds.link(db, world.a.round, world.a.link)["completed"] == 1
    # Closing the round erases its messages from the folder too, with the addresses.
    Auth(client).logout()
    Auth(client).login(world.a.emails["coordinator"])
    client.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/closed")
    assert not any(path.exists() for path in files)


def test_invitations_that_fail_show_as_not_sent_on_the_round_and_a_retry_delivers(
        app_config, world, db):
    from smtp_server import SMTPServer, free_port
    from test_mail import _wait_status

    port = free_port()   # no mail server listens here yet
    app = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                      "MAIL_TIMEOUT": 2})
    client = app.test_client()
    Auth(client).login(world.a.emails["coordinator"])
    invite(client, world, TEN[0])
    assert _wait_status(db, "failed") == "failed"
    round_page = f"/p/{world.a.id}/rounds/{world.a.round}"
    page = client.get(round_page).get_data(as_text=True)
    assert 'id="mail-failed"' in page and TEN[0] not in page
    with SMTPServer(port) as server:
        back = client.post(f"/p/{world.a.id}/mail/retry", data={"back": round_page})
        assert back.location.endswith(round_page)
        [message] = server.mailbox.wait(1)
        assert message["To"] == TEN[0] and "/i/" in link_in(message, "/i/")
        assert _wait_status(db, "sent") == "sent"
    assert next(db.query("select sent from round_invitation"))["sent"] == 1
    assert 'id="mail-failed"' not in client.get(round_page).get_data(as_text=True)


def test_a_reminder_tells_the_coordinator_nothing_of_how_many_have_sent_in(app_config,
                                                                           world, db):
    """Fewer than k sent in shows as "fewer than k": neither the reminder's message, the
    mail counts, the list of failed mails nor the audit log may give the number (and
    with one person invited, who has answered)."""
    from smtp_server import SMTPServer, free_port
    from test_mail import _wait_status

    port = free_port()
    app = create_app({**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                      "MAIL_TIMEOUT": 2})
    client = app.test_client()
    Auth(client).login(world.a.emails["coordinator"])
    with SMTPServer(port) as server:
        invite(client, world, "\n".join(TEN[:2]))
        links = {m["To"]: path_of(link_in(m, "/i/")) for m in server.mailbox.wait(2)}
        assert _wait_status(db, "sent") == "sent"
    answer_through(app, links[TEN[0]])
    # The mail server is gone: the one reminder (to the one who has not sent in) fails.
    remind = f"{people_url(world)[:-len('/people')]}/remind"
    said = client.post(remind, follow_redirects=True).get_data(as_text=True)
    _wait_until_tried(db)
    # Not kept as failed, and given back: the next press sends it once the server is back.
    assert db.execute("select count(*) from mail where purpose = 'personal reminder'"
                      ).fetchone()[0] == 0
    assert db.execute("select max(reminders) from round_invitation").fetchone()[0] == 0
    people = client.get(people_url(world)).get_data(as_text=True)
    round_page = client.get(f"/p/{world.a.id}/rounds/{world.a.round}").get_data(as_text=True)
    assert "2 uitgenodigd, minder dan" in people
    assert "niet verstuurd: 0." in people and "Berichten wachtend: 0;" in people
    assert 'id="mail-failed"' not in people and 'id="mail-failed"' not in round_page
    # The same words whether nobody, some or everyone is reminded.
    assert "Niemand om te herinneren" not in said
    log = client.get(f"/p/{world.a.id}/audit").get_data(as_text=True)
    assert f"link {world.a.link}: 1" not in log
    # Everyone sent in: the reminder button answers in the same words.
    answer_through(app, links[TEN[1]])
    again = client.post(remind, follow_redirects=True).get_data(as_text=True)
    assert _flash(again) == _flash(said)


def _flash(page: str) -> str:
    return re.findall(r'<p class="flash [^"]*">(.*?)</p>', page, re.S)[-1].strip()


def _wait_until_tried(db, timeout=15):
    """Until the reminders asked for are built and every queued message was tried."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and db.execute(
            "select (select count(*) from mail where status in ('queued', 'sending')) "
            "+ (select count(*) from mail_job)").fetchone()[0]:
        time.sleep(0.05)


def test_reminding_takes_the_same_work_for_one_or_fifty_who_have_not_sent_in(
        mail_app, coordinator, smtp, world, db, monkeypatch):
    """How long "remind" takes must not tell a coordinator how many have not sent in:
    the request stores one job and builds no mail; the background sender builds them,
    and they reach exactly the people who have not sent in."""
    from scan.db import get_db

    one, fifty = world.a.link, world.a.links[1]["id"]
    many = [f"leraar{n}@school-b.nl" for n in range(50)]
    invite(coordinator, world, TEN[0], lid=one)
    invite(coordinator, world, "\n".join(many), lid=fifty)
    assert len(smtp.mailbox.wait(51)) == 51
    _wait_until_tried(db)
    smtp.mailbox.clear()
    sender = mail_app.extensions["samenscan.mailer"]
    monkeypatch.setattr(sender, "wake", lambda: None)   # the request's own work, alone
    with mail_app.app_context():
        connection = get_db().conn   # the test client's requests run on this thread's
    statements = {}
    for lid in (one, fifty):
        seen = []
        connection.set_trace_callback(seen.append)
        try:
            answer = coordinator.post(f"{people_url(world, lid)[:-len('/people')]}/remind")
        finally:
            connection.set_trace_callback(None)
        assert answer.status_code == 302
        statements[lid] = [re.sub(r"\d+", "N", s) for s in seen]
    assert statements[one] == statements[fifty] and statements[one]
    assert db.execute("select count(*) from mail where purpose = 'personal reminder'"
                      ).fetchone()[0] == 0
    assert db.execute("select count(*) from mail_job").fetchone()[0] == 2
    monkeypatch.undo()
    sender.wake()
    reminders = smtp.mailbox.wait(51)
    assert sorted(m["To"] for m in reminders) == sorted([TEN[0], *many])
    assert all(m["Reply-To"] == world.a.emails["coordinator"] for m in reminders)
    assert db.execute("select count(*) from mail_job").fetchone()[0] == 0


def test_a_reminder_asked_for_by_a_stopped_app_goes_out_at_the_next_start(
        mail_app, mail_config, coordinator, smtp, world, db, monkeypatch):
    invite(coordinator, world, "\n".join(TEN[:2]))
    smtp.mailbox.wait(2)
    _wait_until_tried(db)
    smtp.mailbox.clear()
    monkeypatch.setattr(mail_app.extensions["samenscan.mailer"], "wake", lambda: None)
    coordinator.post(f"{people_url(world)[:-len('/people')]}/remind")   # then it stops
    create_app(mail_config)
    reminders = smtp.mailbox.wait(2)
    assert sorted(m["To"] for m in reminders) == TEN[:2]
    assert all(path_of(link_in(m, "/i/")).startswith("/i/") for m in reminders)


def test_a_reminder_asked_for_before_the_round_closed_is_not_sent(mail_app, coordinator,
                                                                  smtp, world, db,
                                                                  monkeypatch):
    invite(coordinator, world, TEN[0])
    smtp.mailbox.wait(1)
    _wait_until_tried(db)
    smtp.mailbox.clear()
    sender = mail_app.extensions["samenscan.mailer"]
    monkeypatch.setattr(sender, "wake", lambda: None)
    coordinator.post(f"{people_url(world)[:-len('/people')]}/remind")
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/closed")
    monkeypatch.undo()
    sender.wake()
    _wait_until_tried(db)
    assert smtp.mailbox.wait(1, timeout=1) == []


def test_sending_in_erases_ones_messages_from_the_outbox_folder(app, client, world, db):
    """Without a mail server the outbox folder holds the personal link beside the
    address; the link leads to the resume token, whose hash is the respondent's row.
    Sending in erases that person's messages there too, as it does in the database."""
    Auth(client).login(world.a.emails["coordinator"])
    invite(client, world, "\n".join(TEN[:2]))
    files = wait_for_outbox(app.instance_path, 2)
    folder = files[0].parent
    texts = {folder_message(folder, f.stem)["to"]: folder_message(folder, f.stem)["text"]
             for f in files}
    answer_through(app, "/i/" + texts[TEN[0]].split("/i/")[1].split()[0])
    left = [folder_message(folder, f.stem)["to"] for f in files if f.exists()]
    assert left == [TEN[1]]

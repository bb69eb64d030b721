"""What people trip over on their way through Samenscan, where the markup shows it (the
browser walks are in test_browser_walk.py)."""

import pytest


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def test_the_group_reminder_points_to_the_reminders_samenscan_sends(coordinator, world):
    """The copy-it-yourself reminder used to say Samenscan sends no mail, while it does
    send personal invitations and their reminders: a coordinator looked in vain."""
    page = coordinator.get(f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}"
                           "/reminder").get_data(as_text=True)
    assert "verstuurt zelf geen mail" not in page
    people = f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}/people"
    assert f'href="{people}"' in page


def test_a_personal_invitation_mailed_in_english_opens_in_english(mail_config, world, smtp):
    """Bob was invited in English and read an English mail; his link opened a Dutch
    page. Now the page, and the questionnaire after it, speak the mail's language, until
    he picks another language himself."""
    from conftest import Auth
    from smtp_server import link_in

    from scan import create_app

    app = create_app(mail_config)
    coordinator = app.test_client()
    Auth(coordinator).login(world.a.emails["coordinator"])
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}/people",
                     data={"addresses": "bob@school-a.nl, en\nanna@school-a.nl", "lang": "nl"})
    mails = {m["To"]: m for m in smtp.mailbox.wait(2)}
    bob, anna = (link_in(mails[a], "/i/").split("localhost", 1)[1]
                 for a in ("bob@school-a.nl", "anna@school-a.nl"))

    person = app.test_client()
    landing = person.get(bob).get_data(as_text=True)
    assert '<html lang="en"' in landing and "Start" in landing
    started = person.post(bob)
    welcome = person.get(started.location).get_data(as_text=True)
    assert '<html lang="en"' in welcome
    # His resume link, opened on another device, speaks English too.
    other_device = app.test_client().get(started.location.removesuffix("/welcome"),
                                         follow_redirects=True)
    assert '<html lang="en"' in other_device.get_data(as_text=True)

    assert '<html lang="nl"' in app.test_client().get(anna).get_data(as_text=True)
    chose_dutch = app.test_client()
    chose_dutch.get("/lang/nl")
    assert '<html lang="nl"' in chose_dutch.get(bob, follow_redirects=True).get_data(
        as_text=True)


def test_every_label_on_the_workshop_console_names_one_control(client, auth, world):
    """The draw form's "Theme" and the agreement form's theme shared the id "dimension":
    the draw form's label (and what a screen reader says) belonged to the other list."""
    import re
    from collections import Counter

    auth.login(world.a.emails["facilitator"])
    page = client.get(f"/p/{world.a.id}/workshops/{world.a.workshop}").get_data(as_text=True)
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    labelled = re.findall(r'<label for="([^"]+)"', page)
    assert labelled and all(ids[name] == 1 for name in labelled), [
        name for name in labelled if ids[name] != 1]


@pytest.mark.parametrize("step", ["card-note", "card-dots", "join", "place", "note", "dots"])
def test_a_phone_reloading_after_a_message_lands_back_in_the_session(client, world, db, step):
    """A participant whose empty note was refused stood on /w/<token>/card-note; pulling
    to reload gave "this address cannot be used like that" and a link to a sign-in page
    they have no account for."""
    for token in (world.a.workshop_token, joint_token(world, db)):
        response = client.get(f"/w/{token}/{step}")
        assert response.status_code == 302 and response.location.endswith(f"/w/{token}")
        assert client.get(response.location).status_code == 200


def joint_token(world, db) -> str:
    from scan import workshops

    return workshops.workshop_of(db, world.a.id, world.a.joint)["token"]


def test_a_member_invited_in_english_joins_on_an_english_page(mail_config, world, smtp):
    """The invitation mail was English, the page its link opened was Dutch."""
    from conftest import Auth
    from smtp_server import link_in

    from scan import create_app

    app = create_app(mail_config)
    coordinator = app.test_client()
    Auth(coordinator).login(world.a.emails["coordinator"])
    coordinator.post(f"/p/{world.a.id}/members", data={
        "name": "Sam", "email": "sam@school-a.nl", "role": "coordinator", "lang": "en"})
    [message] = smtp.mailbox.wait(1)
    path = link_in(message, "/invite/").split("localhost", 1)[1]
    page = app.test_client().get(path).get_data(as_text=True)
    assert '<html lang="en"' in page and "Join Partnerschap A" in page


def test_a_first_coordinator_who_joined_by_invitation_still_has_members_to_invite(
        client, auth, world, db):
    """The administrator's invitation of the first coordinator counted as "members
    invited": a coordinator alone in a new partnership read that step as done."""
    from scan import accounts, checklist, invitations

    pid = accounts.create_partnership(db, "Opleidingsschool Zuidwest")
    token = invitations.invite(db, pid, "Nina@zuidwest.nl", "Nina", "coordinator", world.admin)
    nina = accounts.create_user(db, "nina@zuidwest.nl", "Nina", "correct horse battery")
    invitations.accept(db, token, nina)
    members = {step.key: step.done for step in checklist.steps(db, pid)}["members"]
    assert not members
    invitations.invite(db, pid, "kim@zuidwest.nl", "Kim", "viewer", nina)
    assert {step.key: step.done for step in checklist.steps(db, pid)}["members"]


def test_the_rounds_on_a_phone_say_what_their_numbers_count(client, auth, world):
    """On a phone the rounds table stacks, its column heads hidden: "25" and "22" stood
    there without saying started or completed."""
    auth.login(world.a.emails["coordinator"])
    page = client.get(f"/p/{world.a.id}/").get_data(as_text=True)
    assert '<td data-label="Begonnen">0</td>' in page
    assert '<td data-label="Afgerond">0</td>' in page


def test_someone_invited_by_mail_is_not_told_their_link_is_shown_only_once(
        mail_config, world, smtp):
    """The welcome told a person invited by mail that the link is "shown only now" and
    that "the group link" brings them back: they have no group link, and the link in
    their mail brings them back too."""
    from conftest import Auth
    from smtp_server import link_in

    from scan import create_app

    app = create_app(mail_config)
    coordinator = app.test_client()
    Auth(coordinator).login(world.a.emails["coordinator"])
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}/people",
                     data={"addresses": "anna@school-a.nl", "lang": "nl"})
    [message] = smtp.mailbox.wait(1)
    path = link_in(message, "/i/").split("localhost", 1)[1]
    person = app.test_client()
    welcome = person.get(person.post(path).location).get_data(as_text=True)
    assert "uitnodigingsmail" in welcome
    assert "alleen nu getoond" not in welcome and "groepslink" not in welcome


def test_closing_a_workshop_says_what_it_did(client, auth, world):
    """Closing a session (a danger button, easy to tap on a phone) changed only the
    button's label: the facilitator could not tell the phones were shut out."""
    auth.login(world.a.emails["facilitator"])
    base = f"/p/{world.a.id}/workshops/{world.a.workshop}"
    closed = client.post(f"{base}/status/closed", follow_redirects=True).get_data(as_text=True)
    assert "De werksessie is gesloten" in closed
    opened = client.post(f"{base}/status/open", follow_redirects=True).get_data(as_text=True)
    assert "De werksessie is weer open" in opened

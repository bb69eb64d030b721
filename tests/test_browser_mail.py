"""What arrives by mail, followed in Chromium: a respondent answers through their
personal link, a member accepts, a password is reset and the person signs in; and the
same without a mail server, through the administrator's outbox page."""

import pytest
from browser import DESKTOP, PHONE, LiveServer, violations
from conftest import PASSWORD
from smtp_server import link_in

from scan import create_app

NEW_PASSWORD = "een nieuw eigen wachtwoord"


@pytest.fixture
def mail_live(mail_config, world):
    with LiveServer(create_app({**mail_config, "WTF_CSRF_ENABLED": True})) as server:
        yield server


def sign_in(page, url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/")


def test_a_respondent_answers_through_their_personal_link(browser, mail_live, smtp, world, db):
    coordinator = browser.new_page(viewport=DESKTOP)
    sign_in(coordinator, mail_live.url, world.a.emails["coordinator"])
    coordinator.goto(f"{mail_live.url}/p/{world.a.id}/rounds/{world.a.round}")
    coordinator.locator(f'a[href$="/links/{world.a.link}/people"]').first.click()
    coordinator.fill("#addresses", "anna@school-a.nl\nbert@school-a.nl, en")
    coordinator.locator("main form button.primary").click()
    assert "2 persoonlijke uitnodigingen worden verstuurd" in coordinator.locator(
        ".flash").first.inner_text()
    assert violations(coordinator) == []
    mails = {m["To"]: m for m in smtp.mailbox.wait(2)}

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(link_in(mails["anna@school-a.nl"], "/i/"))
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/welcome")
    phone.locator("a.button.primary").click()
    for number, values in enumerate(({"mini-k-1": "3", "mini-k-2": "0"},
                                     {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "1"})):
        for item, value in values.items():
            phone.locator(f'input[name="{item}"][value="{value}"]').check()
        phone.locator('button[name="next"]').click()
        phone.wait_for_url("**/review" if number == 1 else "**/p/1")
    phone.locator("form button[type=submit].primary").click()
    phone.wait_for_url("**/thanks")
    phone.goto(link_in(mails["anna@school-a.nl"], "/i/"))   # the link again: thanks, no restart
    phone.wait_for_url("**/thanks")

    coordinator.reload()
    # One sent in: fewer than k, so the page does not say how many.
    assert coordinator.locator("#people-counts").inner_text() == (
        "2 uitgenodigd, minder dan 3 ingestuurd")
    assert "anna@school-a.nl" not in coordinator.content()
    assert [r["via"] for r in db.query("select via from respondent")] == ["personal"]


def test_a_member_accepts_the_invitation_that_arrived(browser, mail_live, smtp, world):
    coordinator = browser.new_page(viewport=DESKTOP)
    sign_in(coordinator, mail_live.url, world.a.emails["coordinator"])
    coordinator.goto(f"{mail_live.url}/p/{world.a.id}/members")
    coordinator.fill("#name", "Sam de Vries")
    coordinator.fill("#email", "sam@school-a.nl")
    coordinator.select_option("#role", "facilitator")
    coordinator.locator("main form button.primary").click()
    assert coordinator.locator("#invitation-sent").is_visible()
    [message] = smtp.mailbox.wait(1)

    sam = browser.new_context(viewport=PHONE).new_page()
    sam.goto(link_in(message, "/invite/"))
    sam.fill("#new", NEW_PASSWORD)
    sam.fill("#repeat", NEW_PASSWORD)
    sam.locator("main form button[type=submit]").click()
    sam.wait_for_url(f"**/p/{world.a.id}/")
    assert "Partnerschap A" in sam.locator("h1").inner_text()


def test_a_password_is_reset_by_mail_and_the_person_signs_in(browser, mail_live, smtp, world):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{mail_live.url}/login")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.fill("#email", world.a.emails["viewer"])
    page.locator("main form button[type=submit]").click()
    assert "Kijk in je mail" in page.locator("h1").inner_text()
    assert violations(page) == []
    [message] = smtp.mailbox.wait(1)
    page.goto(link_in(message, "/password/reset/"))
    page.fill("#new", NEW_PASSWORD)
    page.fill("#repeat", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/login")
    assert "Je nieuwe wachtwoord is ingesteld" in page.locator(".flash").first.inner_text()
    sign_in(page, mail_live.url, world.a.emails["viewer"], NEW_PASSWORD)


def test_without_a_mail_server_the_administrator_follows_the_outbox(browser, live, world, db):
    """No SCAN_MAIL_SERVER (as `make run` on a fresh machine): the first coordinator's
    invitation is read on the outbox page and its link accepted in another browser."""
    admin = browser.new_page(viewport=DESKTOP)
    sign_in(admin, live.url, "admin@samenscan.nl")
    admin.goto(f"{live.url}/admin/")
    admin.fill("#name", "Opleidingsschool Noord")
    admin.fill("#coordinator_name", "Noor")
    admin.fill("#coordinator_email", "noor@noord.nl")
    admin.locator("main form button.primary").click()
    assert "noor@noord.nl" in admin.locator("#partnership-created").inner_text()
    admin.locator("#outbox-link").click()
    message = admin.get_by_role("link", name="Uitnodiging voor Opleidingsschool Noord")
    for _ in range(50):   # the background sender writes it a moment later
        if message.count():
            break
        admin.wait_for_timeout(100)
        admin.reload()
    assert violations(admin) == []
    message.click()
    assert admin.locator("#mail-to").inner_text() == "noor@noord.nl"
    link = admin.locator("#mail-text a[href*='/invite/']").get_attribute("href")

    noor = browser.new_context(viewport=PHONE).new_page()
    noor.goto(link)
    noor.fill("#new", NEW_PASSWORD)
    noor.fill("#repeat", NEW_PASSWORD)
    noor.locator("main form button[type=submit]").click()
    noor.wait_for_url("**/p/*/")
    assert "Opleidingsschool Noord" in noor.locator("h1").inner_text()

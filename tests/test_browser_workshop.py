"""A whole workshop in Chromium: from the demo's scan to the action plan."""

from datetime import date, timedelta

from browser import DESKTOP, PHONE, sign_in
from playwright.sync_api import expect

from scan import drawing, releases, rounds, scoring
from scan.database import connect


def scan_priorities(app, pid, round_id):
    db = connect(app.config["DATABASE"])
    catalogue = app.extensions["samenscan.catalogue"]
    release = releases.latest(db, round_id)
    reports = [scoring.round_report(db, release, s, 3)
               for s in rounds.round_sets(db, catalogue, round_id)]
    return drawing.scan_priorities(reports)


def test_a_whole_workshop_from_scan_to_action_plan(browser, demo_live, demo_app):
    url = demo_live.url
    context = browser.new_context(viewport=DESKTOP)
    console = context.new_page()
    sign_in(console, url, "gespreksleider@demo.samenscan.nl")

    console.goto(f"{url}/p/1/workshops/new")
    console.fill("#title", "Stuurgroep: wat vertelt de scan?")
    console.fill("#held_on", date.today().isoformat())
    console.select_option("#round", label="2025-2026 – Zelfscan")
    console.check('input[name="decks"][value="samen-opleiden"]')
    console.check('input[name="decks"][value="leermechanismen"]')
    console.locator("main form button[type=submit]").click()
    console.wait_for_url("**/workshops/*")
    workshop_url = console.url

    console.select_option("#mode", "scan")
    console.fill("#count", "3")
    console.locator('form[action$="/draw"] button[type=submit]').click()
    console.wait_for_url(workshop_url)
    assert console.locator("ol.sequence > li").count() == 3
    first_card = console.locator("ol.sequence > li").first.locator(".small.muted").inner_text()
    top = scan_priorities(demo_app, 1, 2)[0]
    catalogue = demo_app.extensions["samenscan.catalogue"]
    assert top.dimension_id in catalogue.card(first_card).dimensions
    assert console.locator("ol.sequence > li .reason").count() == 3

    projector = context.new_page()
    projector.goto(f"{workshop_url}/present")
    assert projector.locator(".counter").inner_text() == "Kaart 1 van 3"
    first_question = projector.locator(".stage-question").inner_text()
    projector.keyboard.press("Space")
    expect(projector.locator(".counter")).to_contain_text("2 van 3")
    projector.keyboard.press("ArrowDown")
    expect(projector.locator(".stage-follow-up li")).to_have_count(1)
    second_question = projector.locator(".stage-question").inner_text()
    assert second_question != first_question

    token = console.locator("details.participants input").input_value().rsplit("/", 1)[1]
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{url}/w/{token}")
    assert phone.locator(".stage-question").inner_text() == second_question
    projector.keyboard.press("ArrowRight")
    expect(phone.locator(".counter")).to_contain_text("3 van 3", timeout=10_000)
    assert phone.locator(".stage-question").inner_text() != second_question

    console.reload()
    console.fill("#notes", "Iedereen herkent dit; we willen een gezamenlijke jaarplanning.")
    expect(console.locator("#notes-status")).to_contain_text("Opgeslagen")
    console.fill("#text", "Gezamenlijke jaarplanning opstellen")
    console.fill("#owner", "Schoolopleiders")
    console.fill("#due_on", (date.today() + timedelta(days=60)).isoformat())
    console.select_option("#dimension", top.dimension_id)
    console.locator('form[action$="/agreements"] button[type=submit]').click()
    console.wait_for_url(workshop_url)

    console.goto(f"{url}/p/1/actions/")
    assert console.locator("td:first-child", has_text="Gezamenlijke jaarplanning opstellen"
                           ).count() == 1
    set_id = catalogue.dimension_index()[top.dimension_id][0].id
    console.goto(f"{url}/p/1/years/{set_id}")
    assert console.locator(".agreed", has_text="Gezamenlijke jaarplanning opstellen").count() == 1
    context.close()


def pdf_pages(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_printed_deck_has_four_cards_per_a4_page(browser, demo_live, demo_app):
    page = browser.new_page()
    sign_in(page, demo_live.url, "gespreksleider@demo.samenscan.nl")
    deck = demo_app.extensions["samenscan.catalogue"].decks["samen-opleiden"]
    for lang in ("nl", "both"):
        page.goto(f"{demo_live.url}/catalogue/decks/{deck.id}/print?lang={lang}")
        assert page.locator("article.a6").count() == len(deck.cards)
        assert page.locator("article.a6 .id").first.inner_text() == deck.cards[0].id
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        assert pdf_pages(pdf) == -(-len(deck.cards) // 4)
    page.close()

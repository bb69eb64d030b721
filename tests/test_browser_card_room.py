"""A card workshop in a room: the projector shows the join code and why the card was
drawn, three phones send anonymous notes, the facilitator shows them, the summary keeps them."""

from datetime import date

from browser import DESKTOP, PHONE, decode_qr, drawn, no_horizontal_scroll, sign_in, violations
from playwright.sync_api import expect

from scan import workshops
from scan.database import connect

LIVE = 6000


def _session(app) -> tuple[int, str]:
    """A session whose first card was drawn from the scan: the largest gap school–institute."""
    db = connect(app.config["DATABASE"])
    catalogue = app.extensions["samenscan.catalogue"]
    wid = workshops.create(db, 1, "Kamer: stuurgroep", date(2026, 12, 6), 1, ["samen-opleiden"])
    card = next(c for c in catalogue.decks["samen-opleiden"].cards
                if "opleiden-visie" in c.dimensions)
    workshops.add_card(db, wid, card.id, {"dimension_id": "opleiden-visie", "kind": "gap",
                                          "value": 1.3, "group_kind": "partner_type",
                                          "high": "school", "low": "instituut"})
    other = next(c for c in catalogue.decks["samen-opleiden"].cards if c.id != card.id)
    workshops.add_card(db, wid, other.id)
    token = workshops.workshop_of(db, 1, wid)["token"]
    db.conn.close()
    return wid, token


def _note(phone, text):
    phone.fill("#body", text)
    phone.locator('form[data-card-note] button[type=submit]').click()
    expect(phone.locator(".flash.success")).to_be_visible()


def test_phones_take_part_in_a_card_workshop(browser, demo_live, demo_app):
    url = demo_live.url
    wid, token = _session(demo_app)
    join_url = f"{url}/w/{token}"
    context = browser.new_context(viewport=DESKTOP)
    console = context.new_page()
    sign_in(console, url, "gespreksleider@demo.samenscan.nl")
    projector = context.new_page()
    projector.goto(f"{url}/p/1/workshops/{wid}/present")

    qr = projector.locator(".present-join img")
    assert drawn(qr) and decode_qr(qr) == [join_url]
    expect(projector.locator(".stage-why")).to_contain_text(
        "Opleiden van studenten – visie: grootste verschil")
    expect(projector.locator(".wall-url")).to_have_text(join_url.split("://", 1)[1])
    assert violations(projector) == []

    phones = []
    for _ in range(3):
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        phone.goto(join_url)
        expect(phone.locator(".stage-why")).to_be_visible()
        phones.append(phone)
    assert violations(phones[0]) == [] and no_horizontal_scroll(phones[0])

    _note(phones[0], "Zo ervaren wij het op school ook.")
    _note(phones[1], "Bij ons op het instituut is de visie juist bekend.")
    _note(phones[2], "Zo ervaren wij het op school ook.")        # the same text: kept once
    phones[2].locator('form[data-card-note] button[type=submit]').click()  # empty
    expect(phones[2].locator("p.error")).to_be_visible()

    console.goto(f"{url}/p/1/workshops/{wid}")
    board = console.locator('section[aria-labelledby="room-notes-title"]')
    expect(board).to_contain_text("2")
    assert "Zo ervaren wij" not in board.inner_text()           # not before they are shown
    assert projector.locator(".stage-notes").count() == 0
    board.locator("button[type=submit]").click()
    console.wait_for_load_state()

    for screen in [projector, *phones]:
        notes = screen.locator(".stage-notes li")
        expect(notes).to_have_count(2, timeout=LIVE)
        expect(notes.first).to_have_text("Bij ons op het instituut is de visie juist bekend.")
    assert violations(projector) == []

    # A dot vote over the two cards: the phones bring up the form by themselves
    console.locator('form[action$="/vote"] button[type=submit]').click()   # 3 dots each
    console.wait_for_load_state()
    for phone, (first, second) in zip(phones, [(3, 0), (2, 1), (0, 3)], strict=True):
        boxes = phone.locator("form.dots input[type=number]")
        expect(boxes).to_have_count(2, timeout=LIVE)
        boxes.nth(0).fill(str(first))
        boxes.nth(1).fill(str(second))
        phone.locator("form.dots button[type=submit]").click()
        expect(phone.locator(".flash.success")).to_be_visible()
    assert violations(phones[0]) == []
    too_many = phones[0].locator("form.dots input[type=number]").nth(0)
    too_many.fill("4")                          # more than 3: the phone says so before sending
    assert not too_many.evaluate("i => i.validity.valid")
    too_many.fill("3")
    console.reload()
    console.locator('form[action$="/vote/end"] button[type=submit]').click()
    console.wait_for_load_state()
    ranking = console.locator(".card-vote .ranking li")
    expect(ranking).to_have_count(2)
    expect(ranking.first.locator(".ranked-dots")).to_have_text("5 stippen")
    expect(ranking.nth(1).locator(".ranked-dots")).to_have_text("4 stippen")
    for phone in phones:     # the vote is over: the form goes away by itself
        expect(phone.locator("form.dots")).to_have_count(0, timeout=LIVE)

    console.goto(f"{url}/p/1/workshops/{wid}/summary")
    expect(console.locator("main")).to_contain_text("Zo ervaren wij het op school ook.")
    expect(console.locator(".vote-result .ranking li")).to_have_count(2)
    for phone in phones:
        phone.context.close()

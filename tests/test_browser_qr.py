"""Every QR code the app shows, as Chromium draws it, decodes to its link (zbarimg)."""

from browser import DESKTOP, decode_qr, drawn, sign_in

from scan import rounds
from scan.database import connect


def test_group_link_codes_decode_to_the_group_link(browser, demo_live, demo_world):
    url = demo_live.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, url, "coordinator@demo.samenscan.nl")
    page.goto(f"{url}/p/1/rounds/{demo_world.round}")
    link = page.locator("td.link-actions a", has_text="QR").first
    href = link.get_attribute("href")
    group_url = f"{url}/s/{demo_world.token}"
    assert f"/links/{demo_world.link}/qr.svg" in href

    # As an image on a page (the way a person embeds it in a newsletter or slide)
    page.evaluate("src => { const i = new Image(); i.id = 'probe'; i.src = src; "
                  "document.querySelector('main').prepend(i); }", href)
    image = page.locator("#probe")
    assert drawn(image)
    assert decode_qr(image) == [group_url]

    # The "QR code" link itself opens a drawn code, not raw XML
    link.click()
    page.wait_for_load_state()
    assert page.locator("svg").count() == 1
    assert decode_qr(page.locator("svg")) == [group_url]

    # The printed sheet, one code per group link
    page.goto(f"{url}/p/1/rounds/{demo_world.round}/links/print")
    first = page.locator(".qr-sheet li").first
    token = rounds.links(connect(demo_live.server.app.config["DATABASE"]),
                         demo_world.round)[0]["token"]
    assert decode_qr(first.locator(".qr svg")) == [f"{url}/s/{token}"]


def test_workshop_and_joint_codes_decode_to_the_join_link(browser, demo_live, demo_world):
    url = demo_live.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, url, "gespreksleider@demo.samenscan.nl")
    for screen, token in ((f"/p/1/workshops/{demo_world.workshop}", demo_world.workshop_token),
                          (f"/p/1/workshops/{demo_world.joint}/joint", demo_world.joint_token)):
        page.goto(url + screen)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        image = page.locator('img[src$="/qr.svg"]').first
        assert drawn(image), screen
        image.scroll_into_view_if_needed()
        assert decode_qr(image) == [f"{url}/w/{token}"], screen

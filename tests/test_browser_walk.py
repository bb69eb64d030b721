"""What people trip over on their way through Samenscan, found by walking the demo in
Chromium as a respondent, a facilitator and a new coordinator, on a phone (390 px) and a
laptop (1280 px), in Dutch and English. Each test names what the person relies on."""

import pytest
from browser import DESKTOP, PHONE, sign_in


def reachable(page, locator) -> bool:
    """A person can see and click the element: it is the topmost thing at its own
    centre (not clipped away by a parent, not covered by something else)."""
    locator.scroll_into_view_if_needed()
    return locator.evaluate(
        """e => { const r = e.getBoundingClientRect();
                  if (r.width < 1 || r.height < 1) return false;
                  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                  return hit !== null && (hit === e || e.contains(hit)); }""")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_site_menu_is_there_to_sign_out_and_switch_language(browser, demo_live,
                                                                  viewport):
    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, "coordinator@demo.samenscan.nl")
    header = page.locator("header.site")
    for name in ("Samenscan", "Hulp", "English"):
        assert reachable(page, header.get_by_role("link", name=name, exact=True)), name
    assert reachable(page, header.get_by_role("button", name="Uitloggen"))
    header.get_by_role("link", name="English").click()
    assert reachable(page, header.get_by_role("button", name="Sign out"))
    page.close()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and -2 < box["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_page_sent_back_shows_what_to_correct_where_the_person_looks(
        browser, demo_live, demo_world, viewport):
    """On a phone the summary of what to correct sat below the theme's levels: the page
    came back looking unchanged, as if "Save and continue" had done nothing."""
    page = browser.new_page(viewport=viewport)
    page.goto(f"{demo_live.url}/s/{demo_world.token}")
    page.locator("#start").click()
    page.wait_for_url("**/welcome")
    page.locator("main a.button.primary").click()
    page.wait_for_url("**/p/0")
    page.fill("#comment", "Wat ik al had getypt")
    page.locator("main button[name=next]").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    summary.wait_for()
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    assert in_view(page, summary)
    assert page.input_value("#comment") == "Wat ik al had getypt"
    # The summary's link leads to the statement to answer.
    link = summary.locator("a").first
    link.click()
    assert in_view(page, page.locator(link.get_attribute("href")))
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_agreement_sent_back_shows_its_message_where_the_facilitator_looks(
        browser, demo_live, demo_world, viewport):
    """The console came back at its top after an agreement without text: the message
    sat under the card and the notes, out of sight, as if nothing had happened."""
    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, "gespreksleider@demo.samenscan.nl")
    page.goto(f"{demo_live.url}/p/1/workshops/{demo_world.workshop}")
    agreement = page.locator('form[action$="/agreements"]')
    agreement.locator("#owner").fill("Schoolopleiders")
    agreement.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.wait_for_function("document.activeElement.id === 'text'")
    assert in_view(page, page.locator(".has-error .error").first)
    assert page.input_value("#owner") == "Schoolopleiders"
    page.close()


LONG_LINK = "https://www.voorbeeld-opleidingsschool.nl/" + "beoordelingsformulier-" * 12


def test_a_pasted_link_in_a_note_stays_within_phone_console_and_projector(
        browser, demo_live, demo_world):
    """A note with a long link (no spaces) pushed the phone's page, the console and the
    projector 2,500 px sideways once the facilitator showed the notes."""
    from browser import decode_qr, no_horizontal_scroll

    url = demo_live.url
    facilitator = browser.new_context(viewport=PHONE)
    console = facilitator.new_page()
    sign_in(console, url, "gespreksleider@demo.samenscan.nl")
    projector = facilitator.new_page()
    projector.set_viewport_size(DESKTOP)
    projector.goto(f"{url}/p/1/workshops/{demo_world.workshop}/present")
    [join_url] = decode_qr(projector.locator(".present-join img"))   # as a phone's camera
    phone = browser.new_page(viewport=PHONE)
    phone.goto(join_url)
    phone.fill("#body", f"Zie {LONG_LINK}")
    phone.locator("form[data-card-note] button[type=submit]").click()
    phone.locator(".flash.success").wait_for()
    console.goto(f"{url}/p/1/workshops/{demo_world.workshop}")
    console.get_by_role("button", name="Toon de briefjes").click()
    console.locator(".notes-board .sticky-notes li").wait_for()
    phone.locator(".sticky-notes li").wait_for(timeout=10_000)      # the phone follows
    projector.locator(".sticky-notes li").wait_for(timeout=10_000)
    for page in (phone, console, projector):
        assert no_horizontal_scroll(page), page.url
    phone.close()
    facilitator.close()

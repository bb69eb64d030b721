"""The first hour, in Chromium: a respondent's first screen, a coordinator's round page,
checklist and help, on a phone (390 px) and a laptop (1280 px)."""

import pytest
from browser import DESKTOP, PHONE, no_horizontal_scroll, violations


def above_the_fold(page, selector: str) -> bool:
    """The element is on the first screen: visible without scrolling."""
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size[
        "height"]


def test_a_group_link_starts_within_the_first_screen_of_a_phone(browser, demo_live,
                                                                 demo_world):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{demo_live.url}/s/{demo_world.token}")
    assert above_the_fold(page, "#start")
    assert above_the_fold(page, "#estimate") and above_the_fold(page, "#promise")
    assert "minuten" in page.locator("#estimate").inner_text()
    # The sets' descriptions are there, folded; opening one shows it.
    intro = page.locator("details.set-intro").first
    assert not intro.locator("p").is_visible()
    intro.locator("summary").click()
    assert intro.locator("p").is_visible()
    assert no_horizontal_scroll(page)
    assert violations(page) == []

    page.locator("#start").click()     # the personal link's page: its button first too
    page.wait_for_url("**/welcome")
    assert above_the_fold(page, "a.button.primary")
    # Back on the group link in the same browser: continuing is the first thing offered.
    page.goto(f"{demo_live.url}/s/{demo_world.token}")
    assert above_the_fold(page, "#resume")
    assert violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_personal_link_opens_where_the_respondent_left_off(browser, demo_live, demo_world,
                                                             viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(f"{demo_live.url}/r/{demo_world.finished}")
    page.wait_for_url("**/review")
    label = page.locator(".progress label").inner_text()
    assert "pagina's ingevuld" in label
    assert above_the_fold(page, "form button[type=submit].primary")
    page.close()

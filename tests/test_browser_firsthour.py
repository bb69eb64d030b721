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


def within_width(page, selector: str) -> bool:
    """Every match lies inside the screen's width: nothing hidden off to the side."""
    boxes = page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return r.right; })")
    return bool(boxes) and max(boxes) <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_coordinator_follows_the_response_and_is_asked_before_closing(
        browser, demo_live, demo_world, viewport):
    from browser import sign_in

    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, "coordinator@demo.samenscan.nl")
    page.goto(f"{demo_live.url}/p/1/rounds/{demo_world.round}")
    assert page.locator("#overall").is_visible()
    assert page.locator(".partner-response .meter").first.is_visible()
    assert no_horizontal_scroll(page)
    # Each role's actions stay in view, also where the table stacks on a phone.
    assert within_width(page, ".partner-response .link-actions a")
    assert violations(page) == []
    page.locator("#close-round").click()
    page.wait_for_url("**/status/closed")
    assert page.locator("#what-happens li").count() >= 3
    assert violations(page) == []
    page.get_by_role("link", name="Annuleren: terug naar de ronde").click()
    assert page.locator("#close-round").is_visible()       # nothing was closed
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_new_partnership_shows_its_checklist_and_help(browser, demo_live, viewport):
    from browser import sign_in

    admin = browser.new_page(viewport=viewport)
    sign_in(admin, demo_live.url, "admin@demo.samenscan.nl")
    admin.goto(f"{demo_live.url}/admin/")
    admin.fill("#name", f"Nieuw partnerschap {viewport['width']}")
    admin.fill("#coordinator_name", "Coördinator")
    admin.fill("#coordinator_email", "coordinator@demo.samenscan.nl")
    admin.locator("main form button.primary").click()
    admin.get_by_role("link", name=f"Nieuw partnerschap {viewport['width']}").click()
    admin.wait_for_url("**/admin/partnerships/*")
    assert no_horizontal_scroll(admin) and violations(admin) == []
    admin.close()

    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, "coordinator@demo.samenscan.nl")
    page.get_by_role("link", name=f"Nieuw partnerschap {viewport['width']}").click()
    page.wait_for_url("**/p/*/")
    assert page.locator("#checklist").is_visible()
    assert page.locator("#step-partners a").is_visible()     # the first step to take
    assert no_horizontal_scroll(page) and violations(page) == []
    page.get_by_role("link", name="Hulp", exact=True).click()
    page.get_by_role("link", name="Coördinator").first.click()
    page.wait_for_url("**/help/coordinator")
    assert "coördinatoren" in page.locator("h1").inner_text().lower()
    assert no_horizontal_scroll(page) and violations(page) == []
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_members_and_partners_fit_a_phone_with_their_actions(browser, demo_live, viewport):
    from browser import sign_in

    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, "coordinator@demo.samenscan.nl")
    for path, actions in (("/p/1/members", "main table button"),
                          ("/p/1/partners", "main table .actions a"),
                          ("/p/1/rounds/new", "#sets .set-card label")):
        page.goto(demo_live.url + path)
        assert no_horizontal_scroll(page), path
        assert within_width(page, actions), path
        assert violations(page) == [], path
    page.close()

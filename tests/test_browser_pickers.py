"""Theme pickers follow the round: only the themes of the sets the round (or the
partnership's rounds) ask, and in joint scoring only the chosen set's, before sending."""

from browser import DESKTOP, sign_in
from playwright.sync_api import expect

# Rivierenland's rounds ask samen-opleiden (9 themes) and leermechanismen (4); the demo's
# catalogue has 10 sets and 48 themes.


def test_pickers_list_only_the_rounds_themes(browser, demo_live, demo_world):
    url = demo_live.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, url, "gespreksleider@demo.samenscan.nl")

    page.goto(f"{url}/p/1/workshops/joint/new")
    boxes = page.locator('input[name="dimensions"]')
    assert boxes.count() == 13                      # the partnership's two sets, no others
    page.select_option("#source", "1:samen-opleiden")
    expect(page.locator('input[name="dimensions"]:visible')).to_have_count(9)
    page.check('input[name="dimensions"][value="opleiden-visie"]')
    page.select_option("#source", "1:leermechanismen")
    expect(page.locator('input[name="dimensions"]:visible')).to_have_count(4)
    assert not page.locator('input[value="opleiden-visie"]').is_checked()  # left behind
    page.select_option("#source", "1:samen-opleiden")
    expect(page.locator('input[name="dimensions"]:visible')).to_have_count(9)

    page.goto(f"{url}/p/1/workshops/{demo_world.workshop}")
    themes = page.locator('form[action$="/agreements"] select[name="dimension"] option')
    assert themes.count() == 1 + 13                 # "no particular theme" and the round's

    page.goto(f"{url}/p/1/actions/")
    assert page.locator('select[name="dimension"] option').count() == 1 + 13

"""Expected numbers per group link, in Chromium: a coordinator opening a round is asked
how many people each link expects, cannot open it without, and the round's links
carry that number (docs/privacy.md, rule 2)."""

import re

import pytest
from browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in, violations


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_opening_a_round_asks_the_people_expected_per_link(browser, demo_live, demo_app,
                                                           viewport):
    from scan import rounds
    from scan.database import connect

    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, "coordinator@demo.samenscan.nl")
    page.goto(f"{demo_live.url}/p/1/rounds/new")
    title = f"Verwachte aantallen {viewport['width']}"
    page.fill("#title", title)
    page.locator("#sets input[type=checkbox]").first.check()
    hint = page.locator("#expected").get_attribute("aria-describedby")
    assert "anonimiteitsdrempel" in page.locator(f"#{hint}").inner_text()
    page.locator("main form button.primary").click()
    # Without a number the browser keeps the form: nothing is opened.
    assert page.url.endswith("/rounds/new")
    assert page.locator("#expected:invalid").count() == 1
    page.fill("#expected", "6")
    page.locator("main form button.primary").click()
    page.wait_for_url(re.compile(r"/rounds/\d+$"))
    assert page.locator("#unnumbered").count() == 0
    assert page.locator("input[name^=invited-]").first.input_value() == "6"
    assert no_horizontal_scroll(page) and violations(page) == []
    page.close()
    db = connect(demo_app.config["DATABASE"])
    rid = db.execute("select id from round where title = ?", [title]).fetchone()[0]
    assert {x["invited"] for x in rounds.links(db, rid)} == {6}

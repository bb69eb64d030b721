"""A respondent fills in a scan in Chromium, on a phone and on a desktop, leaving halfway."""

import pytest
from browser import DESKTOP, PHONE, no_horizontal_scroll


def answer_page(page, values: dict[str, str]):
    for item, value in values.items():
        page.locator(f'input[name="{item}"][value="{value}"]').check()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_respondent_answers_leaves_resumes_and_submits(browser, live, world, db, viewport):
    first = browser.new_context(viewport=viewport)
    page = first.new_page()
    page.goto(f"{live.url}/s/{world.a.token}")
    assert no_horizontal_scroll(page)
    page.locator("main form button[type=submit]").click()
    resume_url = page.locator("#resume-link").input_value()
    assert "/r/" in resume_url
    page.locator("a.button.primary").click()

    assert page.locator("progress").get_attribute("value") == "1"
    answer_page(page, {"mini-k-1": "3", "mini-k-2": "0"})
    page.fill("#comment", "Op weg")
    assert no_horizontal_scroll(page)
    page.locator('button[name="next"]').click()
    page.wait_for_url("**/p/1")
    answer_page(page, {"mini-a-1": "4"})  # half a page, then the browser is closed
    first.close()

    second = browser.new_context(viewport=viewport)  # another device, with the resume link
    page = second.new_page()
    page.goto(resume_url)
    page.wait_for_url("**/p/1")
    page.locator('button[name="back"]').click()
    page.wait_for_url("**/p/0")
    assert page.locator('input[name="mini-k-1"][value="3"]').is_checked()
    assert page.locator('input[name="mini-k-2"][value="0"]').is_checked()
    assert page.locator("#comment").input_value() == "Op weg"
    page.locator('button[name="next"]').click()
    page.wait_for_url("**/p/1")

    page.locator('button[name="next"]').click()  # nothing answered yet
    assert page.locator(".error-summary").is_visible()
    answer_page(page, {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "0"})
    page.locator('button[name="next"]').click()
    page.wait_for_url("**/review")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/thanks")
    assert page.locator("h1").inner_text()
    second.close()

    stored = {r["item_id"]: r["value"] for r in db.query("select item_id, value from answer")}
    assert stored == {"mini-k-1": 3, "mini-k-2": None, "mini-a-1": 4, "mini-a-2": 2,
                      "mini-a-3": None}
    assert db.execute("select count(*) from respondent where submitted_at is not null"
                      ).fetchone()[0] == 1


def test_the_same_browser_comes_back_through_the_group_link(browser, live, world):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live.url}/s/{world.a.token}")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live.url}/s/{world.a.token}")
    assert page.locator("main a[href*=\"/r/\"]").count() == 1
    assert page.locator("main form:not(.fresh) button[type=submit]").count() == 0
    context.close()


def test_a_phone_shows_every_level_above_the_statements(browser, demo_live, demo_world):
    """The four level descriptions stand open on the page (no link to tap), readable at
    390 px, before the first statement."""
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{demo_live.url}/s/{demo_world.token}")
    page.locator("main form button[type=submit]").click()
    page.locator("main a.button.primary").click()
    rubric = page.locator("section.rubric")
    levels = rubric.locator("dd")
    assert levels.count() == 4
    for i in range(4):
        assert levels.nth(i).is_visible() and levels.nth(i).inner_text().strip()
    assert rubric.locator("dt").first.inner_text().startswith("1 ·")
    assert rubric.bounding_box()["y"] < page.locator("fieldset.item").first.bounding_box()["y"]
    assert no_horizontal_scroll(page)
    page.close()

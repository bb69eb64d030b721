"""Three people open the demo's open round through their own group link in Chromium and
each answers exactly the statements meant for their role, as many as the landing page
promised, in about the time it said."""

import re

import pytest
from browser import PHONE, no_horizontal_scroll

from scan import rounds
from scan.database import connect
from scan.questions import for_respondent, minutes_to_answer


def expected(demo_app, round_id, link):
    database = connect(demo_app.config["DATABASE"])
    sets = rounds.round_sets(database, demo_app.extensions["samenscan.catalogue"], round_id)
    database.conn.close()
    return for_respondent(sets, link["role"], link["sector"])


@pytest.mark.parametrize("role", ["werkplekbegeleider", "leraar-in-opleiding", "bestuurder"])
def test_each_role_answers_only_its_statements(browser, demo_app, demo_live, demo_world, role):
    database = connect(demo_app.config["DATABASE"])
    link = next(x for x in rounds.links(database, demo_world.round) if x["role"] == role)
    database.conn.close()
    sets = expected(demo_app, demo_world.round, link)
    items = [i.id for s in sets for i in s.items]
    assert 0 < len(items) <= 25 * len(sets)

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{demo_live.url}/s/{link['token']}")
    estimate = page.locator("#estimate").inner_text()
    assert f"{len(items)} stelling" in estimate
    assert re.search(r"{} tot {} minuten".format(*minutes_to_answer(sets)), estimate), estimate
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/welcome")
    page.locator("a.button.primary").click()
    page.wait_for_url("**/p/*")

    seen = []
    while "/p/" in page.url:
        assert no_horizontal_scroll(page)
        names = page.locator("fieldset.item input[type=radio]").evaluate_all(
            "inputs => [...new Set(inputs.map(i => i.name))]")
        seen += names
        for name in names:
            page.locator(f'input[name="{name}"][value="3"]').check()
        _next_page(page)
    assert page.url.endswith("/review")
    assert seen == items   # exactly this role's statements, in order, none twice
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/thanks")
    context.close()


def _next_page(page) -> None:
    """Press "next" and wait until the next page has loaded. Waiting for the load state
    alone returned at once when the press had not yet started a navigation: the loop
    then measured and read the old page again, or a page still loading."""
    before = page.url
    page.locator('button[name="next"]').click()
    page.wait_for_url(lambda url: url != before)   # and its load event (wait_until)

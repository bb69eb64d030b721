"""A respondent's own mirror in Chromium (issue 26): they answer, send in and keep the
link; the coordinator closes the round; the same link then shows their answers beside
the partnership's released results, at 390 px and 1280 px, without axe violations."""

import re

import pytest
from browser import DESKTOP, PHONE, no_horizontal_scroll, violations
from conftest import PASSWORD

from scan import releases, responses, rounds, scoring

OTHERS = [  # (role, values in item order) of five colleagues who sent in before
    ("instituutsopleider", {"mini-k-1": 2, "mini-k-2": 3, "mini-a-1": 1, "mini-a-2": 2,
                            "mini-a-3": 2}),
    ("instituutsopleider", {"mini-k-1": 4, "mini-k-2": 4, "mini-a-1": 3, "mini-a-2": 3,
                            "mini-a-3": None}),
    ("schoolopleider", {"mini-k-1": 1, "mini-k-2": 2, "mini-a-1": 2, "mini-a-2": 2,
                        "mini-a-3": 3}),
    ("schoolopleider", {"mini-k-1": 3, "mini-k-2": 3, "mini-a-1": 4, "mini-a-2": 4,
                        "mini-a-3": 4}),
    ("schoolopleider", {"mini-k-1": 2, "mini-k-2": 1, "mini-a-1": 3, "mini-a-2": 1,
                        "mini-a-3": 2}),
]
MINE = {"mini-k-1": "4", "mini-k-2": "3", "mini-a-1": "1", "mini-a-2": "0", "mini-a-3": "2"}


def _link(world, role):
    return next(x for x in world.a.links
                if x["role"] == role and x["partner_id"] == world.a.institute)


def _colleagues_send_in(db, world):
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    pages = responses.pages(sets)
    for role, values in OTHERS:
        token = responses.start(db, world.a.round, _link(world, role)["id"])
        who = responses.respondent(db, token)
        for page in pages:
            answers = {i.id: values[i.id] for i in page.dimension.items}
            responses.save_page(db, who["id"], world.a.round, page, answers, "")
        responses.submit(db, who["id"], pages)


def _answer(page, values):
    for item, value in values.items():
        page.locator(f'input[name="{item}"][value="{value}"]').check()


def _comma(value):
    return f"{value:.2f}".replace(".", ",")


def _close_round(browser, live, world):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live.url}/login")
    page.fill("#email", world.a.emails["coordinator"])
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live.url}/p/{world.a.id}/rounds/{world.a.round}")
    page.locator("#close-round").click()
    page.wait_for_url("**/status/closed")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/rounds/{world.a.round}")
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_answer_send_in_release_and_open_the_mirror(browser, live, world, db, viewport):
    _colleagues_send_in(db, world)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{live.url}/s/{_link(world, 'instituutsopleider')['token']}")
    page.locator("main form button[type=submit]").click()
    page.locator("a.button.primary").click()
    _answer(page, {k: v for k, v in MINE.items() if k.startswith("mini-k")})
    page.locator('button[name="next"]').click()
    page.wait_for_url("**/p/1")
    _answer(page, {k: v for k, v in MINE.items() if k.startswith("mini-a")})
    page.locator('button[name="next"]').click()
    page.wait_for_url("**/review")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/thanks")
    mirror_url = page.locator("#mirror-link").input_value()
    assert re.search(r"/r/[\w-]+/mirror$", mirror_url)
    assert violations(page) == []
    context.close()

    later = browser.new_context(viewport=viewport)   # days later, on any device
    page = later.new_page()
    page.goto(mirror_url)
    assert page.locator("#mirror-not-yet").is_visible()
    assert "sluit" in page.locator("#mirror-not-yet").inner_text()
    assert page.locator(".mirror-theme").count() == 0
    assert violations(page) == []

    _close_round(browser, live, world)
    report = scoring.round_report(db, releases.latest(db, world.a.round),
                                  rounds.round_sets(db, world.catalogue, world.a.round)[0], 3)
    page.reload()
    assert page.locator("#mirror-not-yet").count() == 0
    theme = page.locator("#theme-kennismaken")
    means = theme.locator(".mirror-means").inner_text()
    assert "Jij" in means and _comma(3.5) in means           # their own 4 and 3
    assert _comma(report.overall.means["kennismaken"]) in means
    rows = theme.locator("tbody tr")
    assert rows.nth(0).locator("td").nth(0).inner_text() == "4 · Volledig en geborgd"
    assert rows.nth(1).locator("td").nth(0).inner_text() == "3 · Grotendeels"
    assert rows.nth(0).locator("td").nth(1).inner_text() == _comma(
        report.items["mini-k-1"].mean)
    dont_know = page.locator("#theme-afstemmen tbody tr").nth(1).locator("td").nth(0)
    assert dont_know.inner_text() == "Weet ik niet"
    assert page.locator("#theme-afstemmen meter").first.is_visible()
    assert no_horizontal_scroll(page)
    assert violations(page) == []
    # The resume link itself brings the person here.
    page.goto(mirror_url.removesuffix("/mirror"))
    page.wait_for_url("**/mirror")
    later.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_demo_respondent_reads_their_mirror_of_the_interim_results(browser, demo_live,
                                                                     demo_world, viewport):
    """The demo's open round has interim results; someone who sent in after the release
    sees their answers beside it, told that theirs count in the next one."""
    page = browser.new_page(viewport=viewport)
    page.goto(f"{demo_live.url}/r/{demo_world.submitted}")
    page.wait_for_url("**/mirror")
    assert page.locator(".mirror-theme").count() > 5
    assert page.locator("#mirror-later").is_visible()
    first = page.locator(".mirror-theme").first
    assert "3 · " in first.locator("tbody td").first.inner_text()   # they answered 3 everywhere
    assert no_horizontal_scroll(page)
    assert violations(page) == []
    page.close()


def test_a_student_teacher_reads_short_introductions_at_390_px(browser, demo_live, demo_app):
    from scan.db import connect

    db = connect(demo_app.config["DATABASE"])
    token = next(x["token"] for x in rounds.links(db, 2) if x["role"] == "leraar-in-opleiding")
    db.conn.close()
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{demo_live.url}/s/{token}")
    page.locator("main form button[type=submit]").click()
    page.locator("a.button.primary").click()
    while page.locator("details.more-help").count() == 0:
        for group in page.locator("fieldset.item").all():
            group.locator("input[type=radio]").first.check()
        page.locator('button[name="next"]').click()
        assert "/review" not in page.url, "no page with a short introduction"
    short = page.locator("p.help").inner_text()
    more = page.locator("details.more-help p")
    assert not more.is_visible()
    page.locator("details.more-help summary").click()
    assert more.is_visible() and len(more.inner_text().split()) > len(short.split())
    assert page.locator("fieldset.item").count() < 3
    assert no_horizontal_scroll(page)
    assert violations(page) == []
    page.close()

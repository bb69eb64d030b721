"""Reports on a phone and a laptop in Chromium: text and tables first, plotly.js only
fetched after the first paint and only for a chart someone is about to see (or, on a
phone, asked for), every chart drawn before the report is printed, no console errors."""

import pytest
from browser import DESKTOP, PHONE, sign_in
from playwright.sync_api import expect

COORDINATOR = "coordinator@demo.samenscan.nl"
REPORT = "/p/1/rounds/1/report/samen-opleiden"
YEARS = "/p/1/years/samen-opleiden"
DRAWN = 30_000   # ms: plotly.js takes a while to parse on a busy machine


def open_watched(browser, url, path, viewport):
    """A signed-in page whose plotly.js requests and console errors are recorded."""
    page = browser.new_page(viewport=viewport)
    sign_in(page, url, COORDINATOR)
    page.plotly, page.errors = [], []
    page.on("request", lambda r: page.plotly.append(r.url) if "/vendor/plotly" in r.url
            else None)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    return page


def drawn(page) -> int:
    return page.locator(".chart .main-svg").count()


def test_on_a_phone_the_numbers_come_first_and_a_chart_on_request(browser, demo_live):
    page = open_watched(browser, demo_live.url, REPORT, PHONE)
    charts = page.locator("script[data-chart-for]").count()
    assert charts >= 3
    expect(page.locator("table.scores").first).to_be_visible()
    page.wait_for_timeout(500)
    assert page.plotly == [] and drawn(page) == 0
    buttons = page.locator("button[data-show-chart]")
    expect(buttons).to_have_count(charts)
    show_radar = page.locator('button[data-show-chart="radar"]')
    expect(show_radar).to_be_visible()
    show_radar.click()
    expect(page.locator("#radar .main-svg").first).to_be_visible(timeout=DRAWN)
    expect(show_radar).to_be_hidden()
    assert len(page.plotly) == 1 and page.locator(".chart:has(.main-svg)").count() == 1
    # The list that picks groups appears with its chart, and works.
    assert page.locator('[data-picker-for="radar"]').is_visible()
    assert page.errors == []
    page.close()


def test_on_a_laptop_a_chart_is_drawn_when_it_scrolls_into_view(browser, demo_live):
    page = open_watched(browser, demo_live.url, REPORT, DESKTOP)
    # With the site menu shown again (it had collapsed to a strip), the radar starts
    # just below a laptop's first screen: the reader scrolls to it.
    page.locator("#radar").scroll_into_view_if_needed()
    expect(page.locator("#radar .main-svg").first).to_be_visible(timeout=DRAWN)
    assert len(page.plotly) == 1
    assert page.locator("button[data-show-chart]:visible").count() == 0
    last = page.locator(".chart").last
    assert last.locator(".main-svg").count() == 0   # far down the page: not drawn yet
    last.scroll_into_view_if_needed()
    expect(last.locator(".main-svg").first).to_be_visible(timeout=DRAWN)
    assert len(page.plotly) == 1 and page.errors == []
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_print_button_draws_every_chart_first(browser, demo_live, viewport):
    page = browser.new_page(viewport=viewport)
    page.add_init_script("window.print = () => { document.body.dataset.printed = '1'; };")
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + REPORT)
    charts = page.locator("script[data-chart-for]").count()
    page.locator("[data-print]").first.click()
    page.wait_for_selector("body[data-printed='1']")
    assert page.locator(".chart:has(.main-svg)").count() == charts
    page.close()


def test_the_years_page_draws_its_charts_from_plotly_fetched_after_the_text(browser,
                                                                            demo_live):
    page = open_watched(browser, demo_live.url, YEARS, DESKTOP)
    expect(page.locator("#years-radar .main-svg").first).to_be_visible(timeout=DRAWN)
    assert len(page.plotly) == 1 and page.errors == []
    page.close()


def test_a_page_without_charts_fetches_no_plotly_and_logs_no_errors(browser, demo_live):
    page = open_watched(browser, demo_live.url, "/p/1/rounds/1/sheet/samen-opleiden", PHONE)
    assert page.plotly == [] and page.errors == []
    page.close()

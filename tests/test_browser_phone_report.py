"""A round report on a phone (390 px) and a laptop (1280 px) in Chromium: per theme a
card with its mean and spread in words, no sideways scroll of the page, every table
fitting or inside a labelled scroll region, axe clean, and a readable radar."""

import re

from browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in, violations
from playwright.sync_api import expect

COORDINATOR = "coordinator@demo.samenscan.nl"
REPORT = "/p/1/rounds/1/report/samen-opleiden"
DRAWN = 30_000
# The demo report's document height at 390 px before the theme cards: 26,004 px
# (measured 2026-12-06 on this branch's base). The cards must make it materially shorter.
PHONE_HEIGHT_BEFORE = 26_004


def open_report(browser, url, viewport):
    page = browser.new_page(viewport=viewport)
    sign_in(page, url, COORDINATOR)
    page.goto(url + REPORT)
    page.wait_for_load_state("networkidle")
    return page


def height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


# Every table either fits its box or sits in a region that scrolls, is named and
# can be reached with the keyboard.
TABLES_UNREACHABLE = """() => Array.from(document.querySelectorAll('main table')).filter(t => {
  if (t.getClientRects().length === 0) return false;
  const box = t.closest('[role=region]');
  const labelled = box && box.getAttribute('aria-label') && box.tabIndex === 0;
  const room = (box || t.parentElement).clientWidth;
  return t.scrollWidth > room + 1 && !labelled || (box && !labelled);
}).map(t => (t.className || 'table') + ': ' + (t.caption ? t.caption.textContent : ''))"""


def test_a_phone_reads_a_card_per_theme_and_nothing_runs_off_the_screen(browser, demo_live):
    page = open_report(browser, demo_live.url, PHONE)
    cards = page.locator("section.theme-card")
    expect(cards).to_have_count(9)
    first = cards.first
    # The mean as a Dutch number and the spread in words, not "sd".
    expect(first.locator(".card-mean strong")).to_have_text(re.compile(r"^\d,\d\d$"))
    expect(first.locator(".card-spread")).to_have_text(re.compile(r"^de meningen "))
    assert "sd" not in first.locator(".card-figures").inner_text()
    # The statements and levels wait behind their summary, and open on request.
    more = first.locator("details.theme-more")
    expect(more.locator("table.items")).to_be_hidden()
    more.locator("summary").click()
    expect(more.locator("table.items")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert no_horizontal_scroll(page)
    assert page.evaluate(TABLES_UNREACHABLE) == []
    assert violations(page) == []
    # Materially shorter than before the cards (all folded again, as a phone opens it).
    page.reload()
    page.wait_for_load_state("networkidle")
    now = height(page)
    print(f"document height at 390 px: {PHONE_HEIGHT_BEFORE} before, {now} now")
    assert now < PHONE_HEIGHT_BEFORE * 0.6
    page.close()


def test_a_phone_draws_a_radar_with_numbered_axes_named_below(browser, demo_live):
    page = open_report(browser, demo_live.url, PHONE)
    page.locator('button[data-show-chart="radar"]').click()
    expect(page.locator("#radar .main-svg").first).to_be_visible(timeout=DRAWN)
    key = page.locator("#radar + ol.axis-key li")
    expect(key).to_have_count(9)
    assert "Opleiden" in key.first.inner_text()
    # The circle takes most of the screen's width; the axes' numbers are large enough.
    box = page.locator("#radar .polarlayer").bounding_box()
    assert box and box["width"] >= 250
    sizes = page.eval_on_selector_all(
        "#radar .angularaxistick text",
        "ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize))")
    assert sizes and min(sizes) >= 14
    # The legend stands under the circle, and the toolbar never covers the title.
    legend = page.locator("#radar .legend").bounding_box()
    assert legend["y"] >= box["y"] + box["height"] - 1
    title = page.locator("#radar .gtitle").bounding_box()
    page.locator("#radar").hover()
    bar = page.locator("#radar .modebar")
    if bar.count() and bar.is_visible():
        tools = bar.bounding_box()
        apart = (tools["y"] + tools["height"] <= title["y"]
                 or title["y"] + title["height"] <= tools["y"]
                 or tools["x"] >= title["x"] + title["width"]
                 or title["x"] >= tools["x"] + tools["width"])
        assert apart, (tools, title)
    assert no_horizontal_scroll(page)
    page.close()


def test_the_laptop_keeps_the_statements_open_and_the_tables_whole(browser, demo_live):
    page = open_report(browser, demo_live.url, DESKTOP)
    print(f"document height at 1280 px: {height(page)} (15,902 before)")
    expect(page.locator("section.theme-card").first.locator("table.items")).to_be_visible()
    assert page.locator("details[data-close-on-phone]:not([open])").count() == 0
    assert no_horizontal_scroll(page)
    assert page.evaluate(TABLES_UNREACHABLE) == []
    assert violations(page) == []
    # The mirror shows both sides on the demo, the school side first.
    expect(page.locator("#sides table.sides thead th")).to_have_count(3)
    heads = page.locator("#sides table.sides thead th").all_inner_texts()
    # Short heads on screen, the full names for a screen reader.
    assert heads[1].startswith("School") and "Schoolkant (scholen en besturen)" in heads[1]
    assert heads[2].startswith("Instituut") and "Instituutskant" in heads[2]
    page.close()


# The side table's width against its region's, and its column heads as read aloud.
SIDES_FIT = """() => {
  const table = document.querySelector('#sides table.sides');
  const region = table.closest('[role=region]');
  return {table: table.scrollWidth, room: region.clientWidth,
          heads: Array.from(table.tHead.rows[0].cells)
            .map(c => c.textContent.replace(/\\s+/g, ' ').trim())};
}"""


def test_the_side_table_fits_a_phone_without_scrolling(browser, demo_live):
    """School and institute side by side: on a phone the table fits its region, so the
    two means stand beside their theme without sliding sideways; a screen reader still
    hears the full name of each side."""
    for viewport in (PHONE, DESKTOP):
        page = open_report(browser, demo_live.url, viewport)
        fit = page.evaluate(SIDES_FIT)
        assert fit["table"] <= fit["room"], (viewport, fit)
        assert "Schoolkant (scholen en besturen)" in fit["heads"][1]
        assert violations(page) == []
        page.close()

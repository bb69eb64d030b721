"""The demo's coordinator makes a peer-review dossier over the last two school years,
prints it to PDF in Chromium (read back with pdftotext -layout), downloads Word and
Markdown, and hands a review panel a link that opens read-only and then stops."""

import io
import re
from pathlib import Path

from browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in, violations
from docx import Document
from test_browser_print import poppler as _poppler_check
from test_browser_print import print_to_pdf, squeezed

COORDINATOR = "coordinator@demo.samenscan.nl"
DOSSIER = "/p/1/dossier/opleiden-in-de-school?years=2024-2025&years=2025-2026"


def open_dossier(browser, demo_live, viewport=DESKTOP):
    page = browser.new_page(viewport=viewport)
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + "/p/1/")
    page.locator("nav.subnav a[href$='/dossier/']").click()
    page.wait_for_url("**/dossier/opleiden-in-de-school")
    page.goto(demo_live.url + DOSSIER)
    return page


poppler = _poppler_check   # the fixture: pdftotext and pdfinfo, or a skip


def test_the_demo_dossier_prints_with_means_joint_scores_and_actions(browser, demo_live,
                                                                     poppler, tmp_path):
    page = open_dossier(browser, demo_live)
    assert violations(page) == []
    page.fill("#reflection-studenten-opleiden", "Wij zien vooruitgang in de begeleiding.")
    page.locator("#standard-studenten-opleiden form button[type=submit]").click()
    page.wait_for_selector("text=versie 1")
    means = page.locator("#standard-studenten-opleiden table td").all_inner_texts()
    shown = [m for m in means if re.match(r"\d,\d\d \(n=\d+\)", m)]   # Dutch: 2,53
    assert len(shown) == 6   # three themes, two school years
    evidence = page.locator("#standard-studenten-opleiden .dossier-joint p").first.inner_text()
    action = page.locator("#standard-studenten-opleiden .dossier-actions strong").first \
        .inner_text()
    pages, raw, layout = print_to_pdf(page, tmp_path / "dossier.pdf")
    (tmp_path / "dossier.txt").write_text(layout)
    assert pages >= 3
    printed = squeezed(layout)
    for text in ("Studenten samen opleiden", "Onderzoek in de school", "Leren tussen de partners",
                 "2024-2025", "2025-2026", *shown, evidence, action,
                 "Wij zien vooruitgang in de begeleiding."):
        assert squeezed(text) in printed, text
    # Forms and buttons stay on the screen.
    assert "Reflectie opslaan" not in layout and "Panellink maken" not in layout


def test_word_and_markdown_of_the_demo_dossier(browser, demo_live):
    page = open_dossier(browser, demo_live)
    with page.expect_download() as word:
        page.locator("main a", has_text="Word").click()
    document = Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert len([c for c in cells if re.match(r"\d,\d\d \(n=\d+\)", c)]) >= 12
    assert "Onderbouwing" in paragraphs and "Gezamenlijke scores" in paragraphs
    with page.expect_download() as markdown:
        page.locator("main a", has_text="Markdown").click()
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Peer-reviewdossier")
    assert re.search(r"\| \d,\d\d \(n=\d+\) \| \d,\d\d \(n=\d+\) \| [+\u2212]\d,\d\d \|", text)


def test_a_panel_reads_the_dossier_without_an_account_until_it_is_withdrawn(browser,
                                                                             demo_live):
    page = open_dossier(browser, demo_live)
    page.fill("#days", "7")
    page.locator("section.panel-links button[type=submit]").first.click()
    link = page.locator("input.copy-link").input_value()
    assert "/panel/" in link
    panel = browser.new_context(viewport=PHONE).new_page()   # no cookies: no account
    panel.goto(link)
    assert panel.locator("h2", has_text="Studenten samen opleiden").count() == 1
    assert panel.locator("main form, main textarea").count() == 0
    hrefs = panel.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h and h.startswith("/p/")]
    assert no_horizontal_scroll(panel)
    assert violations(panel) == []
    page.locator("section.panel-links button", has_text="Intrekken").first.click()
    response = panel.goto(link)
    assert response.status == 410
    assert "ingetrokken" in panel.locator("main").inner_text()


def test_the_demo_benchmark_sets_own_means_beside_the_others_quartiles(browser, demo_live):
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, demo_live.url, "kempen@demo.samenscan.nl")
    page.goto(demo_live.url + "/p/2/")
    page.locator("nav.subnav a[href$='/benchmark/']").click()
    page.locator("main a[href$='/benchmark/samen-opleiden/2024-2025']").click()
    page.wait_for_url("**/benchmark/samen-opleiden/2024-2025")
    page.wait_for_selector("#benchmark-chart .main-svg")
    # Drawn: per theme the others' middle half, their median and the own mean.
    assert page.locator("#benchmark-chart .point").count() == 27
    assert violations(page) == []
    rows = page.locator("table.benchmark tbody tr")
    assert rows.count() == 9
    own = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert re.fullmatch(r"\d,\d\d", cells[0])   # a Dutch page: decimal comma
        low, median, high = (float(c.replace(",", ".")) for c in cells[1:4])
        assert low <= median <= high
        assert int(cells[4]) >= 5
        own[rows.nth(i).get_attribute("data-dimension")] = cells[0]
    text = page.locator("main").inner_text()
    for name in ("Noordkust", "Rivierenland", "Heuvelland"):
        assert name not in text
    # The own means are the ones the partnership's report of that year shows.
    page.goto(demo_live.url + "/p/2/rounds/3/report/samen-opleiden")
    report = page.locator("main").inner_text()
    assert all(mean in report for mean in own.values())

"""The report on paper: Chromium prints the demo's reports to PDF, and everything the screen
shows in a table is in the PDF's text (poppler-utils' pdftotext and pdfinfo)."""

import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in, violations

COORDINATOR = "coordinator@demo.samenscan.nl"
REPORT = "/p/1/rounds/1/report/{}"
SHEET = "/p/1/rounds/1/sheet/{}"
# Pages of the printed demo reports, cover included. Measured: samen-opleiden 14 and
# leermechanismen 9 with the charts drawn at the printed width (9 and 6 when Chromium has
# to shrink a too-wide chart, and every page with it). Fewer means something is missing;
# many more, that tables or charts break badly (a row or a chart per page).
PAGES = {"samen-opleiden": range(6, 26), "leermechanismen": range(4, 21)}

# The text of every table cell, as a sighted reader sees it: visually hidden parts
# (labels for screen readers) are left out, and so is text in a closed <details>,
# which print.css opens on paper and innerText would miss.
CELL_TEXTS = """cells => cells.map(cell => {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let text = "";
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest(".visually-hidden")) {
      text += walker.currentNode.textContent;
    }
  }
  return text;
})"""


@pytest.fixture(scope="session")
def poppler():
    """pdftotext and pdfinfo, or a skip; in CI (CI=true) a missing tool is a failure."""
    missing = [tool for tool in ("pdftotext", "pdfinfo") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} missing (apt-get install poppler-utils)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def squeezed(text: str) -> str:
    """Text without any whitespace (NFKC, so a ligature is its letters): a cell that wraps
    over lines on paper still matches the cell on the screen."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def print_to_pdf(page, path) -> tuple[int, str, str]:
    """Print the page as Chromium does for "Save as PDF" on A4; its pages, its text in
    content order (-raw: a table cell's lines stay together) and laid out as on paper."""
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4")
    page.emulate_media(media="screen")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])
    raw, layout = (subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout for mode in ("-raw", "-layout"))
    return pages, raw, layout


def screen_cells(page) -> list[str]:
    texts = page.locator("main table td, main table th").evaluate_all(CELL_TEXTS)
    return [t for t in (" ".join(text.split()) for text in texts) if t]


def missing_cells(page, pdf_text: str) -> list[str]:
    printed = squeezed(pdf_text)
    return [cell for cell in screen_cells(page) if squeezed(cell) not in printed]


@pytest.mark.parametrize("set_id", ["samen-opleiden", "leermechanismen"])
def test_a_printed_report_keeps_every_table_cell(browser, demo_live, poppler, tmp_path,
                                                 set_id):
    page = browser.new_page(viewport=DESKTOP)
    # The report's Print button draws every chart (they are drawn as they scroll into
    # view), then opens the print dialog; here it records that it got that far.
    page.add_init_script("window.print = () => { document.body.dataset.printed = '1'; };")
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + REPORT.format(set_id))
    page.locator("[data-print]").first.click()
    page.wait_for_selector("body[data-printed='1']")
    assert page.locator(".chart:not(:has(.main-svg))").count() == 0
    cells = screen_cells(page)
    respondents = re.search(r"\(n=(\d+)\)", page.locator("main table.scores th").nth(1)
                            .inner_text())[1]
    help_texts = page.locator("main figcaption, main .toolbar, main .subnav").all_inner_texts()
    pages, raw, layout = print_to_pdf(page, tmp_path / f"{set_id}.pdf")
    (tmp_path / f"{set_id}.txt").write_text(layout)

    assert pages in PAGES[set_id], f"{pages} pages"
    assert len(cells) > 50
    assert missing_cells(page, raw) == []
    # The cover: partnership, round, school year, set, response and the day it was printed.
    cover = layout.split("\f")[0]
    for text in ("Opleidingsschool Rivierenland", "Zelfscan", "2024-2025",
                 page.locator("main h1").inner_text(), f"{respondents} "):
        assert text in cover
    # Page numbers on every page; nothing that only works on a screen.
    unnumbered = [n for n, text in enumerate(layout.split("\f")[:pages], start=1)
                  if not re.search(rf"\b{n}\s*/\s*{pages}\s*$", text)]
    assert unnumbered == []
    assert [t for t in help_texts if t.strip() and squeezed(t) in squeezed(raw)] == []
    assert "Uitloggen" not in layout


@pytest.mark.parametrize("set_id", ["samen-opleiden", "leermechanismen"])
def test_a_summary_sheet_prints_on_one_page(browser, demo_live, demo_world, poppler, tmp_path,
                                            set_id):
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + REPORT.format(set_id))
    page.locator(f"main a[href$='/sheet/{set_id}']").click()
    page.wait_for_url("**" + SHEET.format(set_id))
    assert violations(page) == []
    pages, raw, layout = print_to_pdf(page, tmp_path / f"sheet-{set_id}.pdf")
    (tmp_path / f"sheet-{set_id}.txt").write_text(layout)
    assert pages == 1
    assert missing_cells(page, raw) == []
    if set_id == "samen-opleiden":   # demo_world's open action on this set's first theme
        assert "Jaarplanning delen" in layout


def test_the_summary_sheet_fits_a_phone(browser, demo_live):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + SHEET.format("samen-opleiden"))
    assert no_horizontal_scroll(page)
    assert violations(page) == []


def test_a_printable_deck_reads_on_a_phone(browser, demo_live, poppler, tmp_path):
    page = browser.new_page(viewport=PHONE)
    sign_in(page, demo_live.url, COORDINATOR)
    for lang in ("nl", "both"):
        page.goto(f"{demo_live.url}/catalogue/decks/samen-opleiden/print?lang={lang}")
        assert no_horizontal_scroll(page), lang
        assert violations(page) == [], lang
    # On paper it is still four A6 cards to an A4 sheet.
    cards = page.locator("article.a6").count()
    pages, _raw, _layout = print_to_pdf(page, tmp_path / "deck.pdf")
    assert pages == -(-cards // 4)


def heads_above_values(layout: str, heads: list[str], row: list[str]) -> list[str]:
    """Where a printed table's column heads do not stand above their own values.

    In the page's layout text (pdftotext -layout), the row's line is the first after
    the heads' lines that starts with the row's label; each value found on it must lie
    under its own head: nearer to the start of its own head than to any other head's.
    Returns the heads that are not so (or the reason it could not be read)."""
    lines = layout.splitlines()
    first = [h.split()[0] for h in heads]
    for n, line in enumerate(lines):
        if not line.strip().startswith(row[0].split()[0]):
            continue
        above = "\n".join(lines[max(0, n - 8):n])
        starts = []
        for word in first[1:]:
            found = [m.start() - above.rfind("\n", 0, m.start()) - 1
                     for m in re.finditer(re.escape(word), above)]
            if not found:
                break
            starts.append(found[-1])
        else:
            values = [m.start() for m in re.finditer(r"\S+", line)][-len(row[1:]):]
            wrong = []
            for index, (head, at) in enumerate(zip(heads[1:], values, strict=True)):
                nearest = min(range(len(starts)), key=lambda i: abs(starts[i] - at))
                if nearest != index:
                    wrong.append(head)
            return wrong
    return [f"no row {row[0]!r} under heads {first}"]


@pytest.mark.parametrize("set_id", ["samen-opleiden"])
def test_printed_heads_stand_above_their_own_values(browser, demo_live, poppler, tmp_path,
                                                    set_id):
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + REPORT.format(set_id))
    page.wait_for_load_state("networkidle")
    table = page.locator("main table.scores").first
    heads = [" ".join(t.split()) for t in table.locator("thead th").all_inner_texts()]
    row = [" ".join(t.split()) for t in
           table.locator("tbody tr").first.locator("th, td").all_inner_texts()]
    pages, _raw, layout = print_to_pdf(page, tmp_path / f"{set_id}.pdf")
    (tmp_path / f"{set_id}.txt").write_text(layout)
    assert len(heads) >= 4 and "Alle respondenten" in heads[1]
    assert heads_above_values(layout, heads, row) == []
    # The first page: the cover with what stands out, before any table of results.
    first = layout.split("\f")[0]
    assert "Wat valt op" in first and "Hoogste scores" in first


# Every table of a page, as the DOM has it: the last row of column heads and each body
# row's cells (visible text, one line each); tables with merged cells are left out.
TABLES = """tables => tables.filter(t => !t.querySelector('[colspan],[rowspan]')).map(t => ({
  heads: Array.from((t.tHead ? t.tHead.rows[t.tHead.rows.length - 1] : t.rows[0]).cells)
    .map(c => c.innerText.replace(/\\s+/g, ' ').trim()),
  rows: Array.from(t.tBodies).flatMap(b => Array.from(b.rows))
    .map(r => Array.from(r.cells).map(c => c.innerText.replace(/\\s+/g, ' ').trim()))
}))"""


def _word_at(word: str, line: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\S)" + re.escape(word) + r"(?!\S)", line)]


def _heads_line(lines: list[str], start: int, heads: list[str]) -> int | None:
    """The line (from `start`) that ends a table's heads: it starts with the first head,
    and the other heads' first words stand in it or in the few lines above it."""
    words = [h.split()[0] for h in heads[1:] if h]
    for n in range(start, len(lines)):
        block = "\n".join(lines[max(0, n - 5):n + 1])
        if lines[n].strip().split()[:1] == heads[0].split()[:1] and all(
                _word_at(w, block) for w in words):
            return n
    return None


def _head_columns(lines: list[str], at: int, heads: list[str]) -> list[int | None]:
    """Where each head after the first starts: the first place its first word stands
    in the heads' lines (up to the blank line above them) right of the head before it."""
    top = at
    while top > max(0, at - 5) and lines[top - 1].strip():
        top -= 1
    block = lines[top:at + 1]
    columns, previous = [], -1
    for head in heads[1:]:
        found = sorted(c for line in block for c in _word_at(head.split()[0], line)
                       if c > previous) if head else []
        columns.append(found[0] if found else None)
        previous = found[0] if found else previous
    return columns


def table_misread(layout: str, heads: list[str], rows: list[list[str]],
                  start: int = 0) -> tuple[list[str], int]:
    """What a reader of the layout text would put under the wrong head: for each body
    row, the first word of each cell found on the row's first line must stand nearer to
    its own head than to any other. Returns the problems and the line after the table."""
    lines = layout.splitlines()
    n = _heads_line(lines, start, heads)
    if n is None:
        return [f"heads {heads} not found"], start
    problems = []
    for row in rows:
        if not row or not row[0]:
            continue
        while n < len(lines) and not lines[n].strip().startswith(row[0].split()[0]):
            n += 1
        if n == len(lines):
            return [*problems, f"row {row[0]!r} not found"], start
        # A table that goes on over a page repeats its heads: take the nearest above.
        above = next(h for h in range(n, -1, -1)
                     if lines[h].strip().split()[:1] == heads[0].split()[:1])
        columns = _head_columns(lines, above, heads)
        tokens = [(m.start(), m[0]) for m in re.finditer(r"\S+", lines[n])]
        pointer = 0   # past the words of the row's label on this line (it may wrap)
        for word in row[0].split():
            if pointer < len(tokens) and tokens[pointer][1] == word:
                pointer += 1
        for j, cell in enumerate(row[1:]):
            if not cell or columns[j] is None:
                continue
            k = next((i for i in range(pointer, len(tokens)) if tokens[i][1] == cell.split()[0]),
                     None)
            if k is None:
                continue   # a cell that starts on a later line
            pointer = k + 1
            nearest = min((abs(c - tokens[k][0]), i) for i, c in enumerate(columns)
                          if c is not None)[1]
            if nearest != j:
                problems.append(f"{row[0][:40]!r}: {cell!r} under {heads[nearest + 1]!r}, "
                                f"not {heads[j + 1]!r}")
        n += 1
    return problems, n


@pytest.mark.parametrize("url", [REPORT.format("samen-opleiden"), REPORT.format("leermechanismen"),
                                 SHEET.format("samen-opleiden"), "/p/1/years/samen-opleiden"])
def test_every_printed_table_reads_right_as_text(browser, demo_live, poppler, tmp_path, url):
    """Read as text (pdftotext -layout), each value of every table stands under its own
    head: the round reports, the summary sheet and the years page."""
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + url)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    tables = page.locator("main table").evaluate_all(TABLES)
    _pages, _raw, layout = print_to_pdf(page, tmp_path / "printed.pdf")
    (tmp_path / "printed.txt").write_text(layout)
    assert len(tables) >= 2
    misread, line = [], 0
    for table in tables:
        problems, line = table_misread(layout, table["heads"], table["rows"], line)
        misread += problems
    assert misread == []


# Each statement's distribution as a sighted reader sees it: its first words, mean, the
# counts printed inside the bar's segments (in order) and the counts listed under the bar.
BARS = """rows => rows.map(row => ({
  words: row.cells[0].innerText.split(/\\s+/).slice(0, 4),
  mean: row.cells[1].innerText.trim(),
  inside: Array.from(row.querySelectorAll('.stack .seg')).map(s => s.innerText.trim())
    .filter(Boolean),
  under: Array.from(row.querySelectorAll('.seg-count')).map(s => s.innerText.trim()),
}))"""


def bar_line(lines: list[str], words: list[str], mean: str) -> str | None:
    """What follows a statement's n and "don't know" count on its first printed line."""
    start = " ".join(words)
    for line in lines:
        after = line.split(f" {mean} ", 1)
        if start in " ".join(line.split()) and len(after) == 2:
            return after[1].split(None, 2)[2]
    return None


@pytest.mark.parametrize("set_id", ["samen-opleiden", "leermechanismen"])
def test_printed_distribution_counts_read_one_by_one(browser, demo_live, poppler, tmp_path,
                                                     set_id):
    """Read as text, the counts in a statement's bar stand apart ("3   6   3", never "1 1"
    or "11"), and a count too wide for its segment is listed under the bar with its label."""
    page = browser.new_page(viewport=DESKTOP)
    sign_in(page, demo_live.url, COORDINATOR)
    page.goto(demo_live.url + REPORT.format(set_id))
    page.emulate_media(media="print")
    bars = page.locator("main table.items tbody tr:has(.stack)").evaluate_all(BARS)
    _pages, _raw, layout = print_to_pdf(page, tmp_path / "printed.pdf")
    (tmp_path / "printed.txt").write_text(layout)
    lines = layout.splitlines()
    assert len(bars) > 10 and any(bar["under"] for bar in bars)
    for bar in bars:
        printed = bar_line(lines, bar["words"], bar["mean"])
        assert printed is not None, bar
        assert printed.split() == bar["inside"], (bar, printed)
        assert not re.search(r"\d \d", printed), (bar, printed)
        for listed in bar["under"]:
            assert squeezed(listed) in squeezed(layout)

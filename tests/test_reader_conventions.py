"""Every page and file a steering group reads from the demo writes numbers and dates the
way its language does: "2,53" and "6 december 2026" in Dutch, "2.53" in English, with
Dutch column heads in Dutch exports. One sweep over the round reports, summary sheets,
years pages, benchmark, dossier (page, Markdown, Word, a panel's frozen copy), workshop
pages and summaries, and the CSV and Excel exports, in both languages."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from docx import Document
from openpyxl import load_workbook
from test_exports import formula_pieces

from scan import create_app
from scan.database import backup

COORDINATOR = "coordinator@demo.samenscan.nl"   # coordinator of both demo partnerships
DOSSIER = "/p/{pid}/dossier/opleiden-in-de-school"

# A decimal number in the other language's convention: "2.53" in Dutch, "2,53" in English.
# Two decimals at most, so an English thousands separator ("1,234") is not taken for one.
WRONG_DECIMAL = {"nl": re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?!\d)"),
                 "en": re.compile(r"(?<![\d.,])\d+,\d{1,2}(?!\d)")}
RIGHT_DECIMAL = {"nl": re.compile(r"(?<![\d.,])\d,\d\d(?!\d)"),
                 "en": re.compile(r"(?<![\d.,])\d\.\d\d(?!\d)")}
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


class _Visible(HTMLParser):
    """The text a person reads: no scripts or styles (chart data, CSS), but the titles
    and labels a browser shows on hover or reads out."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        self.parts += [f" {v} " for k, v in attrs if k in ("title", "aria-label", "alt") and v]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "".join(parser.parts)


def read(response) -> tuple[str, list[str]]:
    """(the text a reader sees, the column heads of a table export)."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(response.data))
        text = " ".join(c.value for sheet in book for row in sheet.iter_rows() for c in row
                        if isinstance(c.value, str))
        return text, [sheet.title for sheet in book] + [
            str(c.value) for sheet in book for c in sheet[1]]
    if response.mimetype.endswith("wordprocessingml.document"):
        document = Document(io.BytesIO(response.data))
        return "\n".join([p.text for p in document.paragraphs] + [
            c.text for t in document.tables for r in t.rows for c in r.cells]), []
    text = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        return visible(text), []
    if response.mimetype == "text/csv":
        return text, text.splitlines()[0:1]
    return text, []


def demo_pages() -> list[str]:
    pages = []
    for pid, rids, sets in [(1, (1, 2), ("samen-opleiden", "leermechanismen")),
                            (2, (3, 4), ("samen-opleiden", "begeleiding"))]:
        for rid in rids:
            for s in sets:
                base = f"/p/{pid}/rounds/{rid}"
                pages += [f"{base}/report/{s}", f"{base}/sheet/{s}",
                          f"{base}/export/{s}-summary.csv", f"{base}/export/{s}-comments.csv",
                          f"{base}/export/{s}-joint.csv", f"{base}/export/{s}.xlsx"]
                if rid in (1, 3):   # rows per person: closed rounds only
                    pages.append(f"{base}/export/{s}-answers.csv")
        for s in sets:
            pages += [f"/p/{pid}/years/{s}", f"/p/{pid}/benchmark/{s}/2024-2025"]
        dossier = DOSSIER.format(pid=pid)
        pages += [f"/p/{pid}/benchmark/", dossier, f"{dossier}/dossier.md",
                  f"{dossier}/dossier.docx", f"/p/{pid}/actions/"]
    for wid in (1, 2):   # a card session and a joint scoring session, both closed
        pages += [f"/p/1/workshops/{wid}/summary", f"/p/1/workshops/{wid}/summary.md",
                  f"/p/1/workshops/{wid}/summary.csv"]
    return [*pages, "/p/1/workshops/", "/p/1/workshops/1", "/p/1/workshops/1/present",
            "/p/1/workshops/2/joint", "/p/1/workshops/2/joint/wall"]


@pytest.fixture
def coordinator(app_config, demo_database):
    config = {**app_config}
    config.pop("QUESTIONS")
    backup(demo_database, config["DATABASE"])
    app = create_app(config)
    client = app.test_client()
    assert client.post("/login", data={"email": COORDINATOR,
                                       "password": "demo-samenscan"}).status_code == 302
    return client


def test_every_page_and_export_of_the_demo_writes_numbers_in_the_readers_convention(
        coordinator):
    # A panel's frozen copy is written in both languages in one request.
    made = coordinator.post(DOSSIER.format(pid=1) + "/panel", data={"days": "7"})
    panel = re.search(r"new_link=([^&]+)", made.headers["Location"])[1]
    panel = panel.replace("%3A", ":").replace("%2F", "/").split("/panel/", 1)[1]
    wrong, right, heads = [], {}, {}
    for lang in ("nl", "en"):
        coordinator.get(f"/lang/{lang}")
        for url in [*demo_pages(), f"/panel/{panel}"]:
            response = coordinator.get(url)
            assert response.status_code == 200, (lang, url)
            text, heads[lang, url] = read(response)
            wrong += [(lang, url, text[max(0, m.start() - 30):m.end() + 5])
                      for m in WRONG_DECIMAL[lang].finditer(text)]
            if lang == "nl":
                wrong += [(lang, url, m[0]) for m in ISO_DATE.finditer(text)]
            if url.endswith(".csv"):   # no cell a formula, however the file is split
                wrong += [(lang, url, p) for sep in ";,\t" for p in formula_pieces(text, sep)]
            right[lang, url] = len(RIGHT_DECIMAL[lang].findall(text))
    assert wrong == []
    # The sweep saw numbers: every report, sheet, years page, benchmark, dossier in
    # every form, card reasons and summary export has them in the right convention.
    for lang in ("nl", "en"):
        for url in demo_pages():
            if re.search(r"/(report|sheet|years|benchmark/samen-opleiden)/|dossier"
                         r"|workshops/1(/summary)?$", url):
                assert right[lang, url] > 0, (lang, url)
        assert right[lang, f"/panel/{panel}"] > 0


def test_dutch_exports_have_dutch_heads_and_english_ones_english(coordinator):
    heads = {}
    for lang in ("nl", "en"):
        coordinator.get(f"/lang/{lang}")
        for url in demo_pages():
            if url.endswith((".csv", ".xlsx")):
                heads[lang, url] = read(coordinator.get(url))[1]
    for (lang, url), head in heads.items():
        if lang == "en":
            continue
        english = heads["en", url]
        if url.endswith(".csv"):
            assert head[0].startswith('"') and ";" in head[0] and "," not in head[0], url
            dutch_cells = next(csv.reader(io.StringIO(head[0]), delimiter=";"))
            english_cells = next(csv.reader(io.StringIO(english[0])))
        else:
            dutch_cells, english_cells = head, english
        assert len(dutch_cells) == len(english_cells), url
        # No column code (set, group_kind) and no English head left in a Dutch file.
        assert not [c for c in dutch_cells if "_" in c], url
        same = [d for d, e in zip(dutch_cells, english_cells, strict=True) if d == e]
        assert set(same) <= {"Respondent", "Status"}, (url, same)

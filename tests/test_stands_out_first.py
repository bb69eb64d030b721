""""Wat valt op" opens every report a steering group reads: the round report, the summary
sheet, the years page (there: the changes beyond their margin since the year before,
what stayed about the same, and whether the latest year is an interim result) and the
summary of a joint scoring session (the highest and lowest joint scores, where the
placements lay furthest apart, what has no joint score yet)."""

import re
from types import SimpleNamespace

import pytest
from test_reader_conventions import coordinator  # noqa: F401  (the demo, signed in)

from scan.highlights import joint_highlights, year_highlights
from scan.questions import Dimension, Text

REPORTS = [f"/p/{pid}/rounds/{rid}/{kind}/{s}"
           for pid, rids, sets in [(1, (1, 2), ("samen-opleiden", "leermechanismen")),
                                   (2, (3, 4), ("samen-opleiden", "begeleiding"))]
           for rid in rids for s in sets for kind in ("report", "sheet")]
YEARS = ["/p/1/years/samen-opleiden", "/p/1/years/leermechanismen",
         "/p/2/years/samen-opleiden", "/p/2/years/begeleiding"]
JOINT_SUMMARY = "/p/1/workshops/2/summary"   # the demo's finished joint scoring session


def first_heading(html: str) -> str:
    main = html.split("<main", 1)[1]
    return re.search(r"<h2[^>]*>(.*?)</h2>", main, re.S)[1]


@pytest.mark.parametrize("lang, title", [("nl", "Wat valt op"), ("en", "What stands out")])
def test_what_stands_out_is_the_first_section_of_every_report(coordinator, lang,  # noqa: F811
                                                              title):
    coordinator.get(f"/lang/{lang}")
    for url in [*REPORTS, *YEARS, JOINT_SUMMARY]:
        html = coordinator.get(url).get_data(as_text=True)
        assert first_heading(html) == title, url


def test_the_years_page_says_what_changed_beyond_its_margin(coordinator):  # noqa: F811
    html = coordinator.get("/p/1/years/samen-opleiden").get_data(as_text=True)
    section = re.search(r'<section class="highlights".*?</section>', html, re.S)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "2025-2026 is een tussenstand" in text   # the demo's second year is still open
    rose = re.findall(r"ging omhoog van (\d,\d\d) in 2024-2025 naar (\d,\d\d)", text)
    assert rose and all(before < now for before, now in rose)
    assert re.search(r"De andere \d+ thema's bleven ongeveer gelijk", text)
    # Each theme links to where its numbers stand: the latest year's report.
    assert "/p/1/rounds/2/report/samen-opleiden#dim-" in section


def _year(school_year, means):
    return SimpleNamespace(round_id=1, school_year=school_year, means=means)


def test_a_change_within_its_margin_is_not_called_a_change():
    themes = SimpleNamespace(dimensions=[Dimension(d, Text(d, d), Text("", ""), ())
                                         for d in ("a", "b", "c")])
    shown = [_year("2024-2025", {"a": 2.0, "b": 2.0, "c": None}),
             _year("2025-2026", {"a": 2.6, "b": 2.1, "c": 3.0})]
    found = year_highlights(themes, shown, {"a": 0.4, "b": 0.4, "c": 0.4})
    assert [(c.dimension_id, round(c.delta, 2)) for c in found.changes] == [("a", 0.6)]
    assert found.changes_compared == 2 and found.previous_year == "2024-2025"
    wider = year_highlights(themes, shown, {"a": 0.7, "b": 0.4})
    assert wider.changes == [] and wider.changes_compared == 2
    # A theme without a margin was not compared: not "about the same", counted apart.
    unjudged = year_highlights(themes, shown, {"a": 0.4, "b": None})
    assert unjudged.changes_compared == 1 and unjudged.changes_unjudged == 1
    assert year_highlights(themes, shown[:1], {}) is None   # one year: nothing to compare


def test_the_joint_session_summary_opens_with_what_stands_out(coordinator):  # noqa: F811
    html = coordinator.get(JOINT_SUMMARY).get_data(as_text=True)
    section = re.search(r'<section class="highlights".*?</section>', html, re.S)[0]
    text = " ".join(re.sub(r"<[^>]+>", "", section).split())
    assert re.search(r"Hoogste gezamenlijke score: .+ \(3 · Grotendeels\)", text)
    assert re.search(r"Laagste gezamenlijke score: .+ \(2 · In ontwikkeling\)", text)
    assert "lagen de plaatsingen het verst uiteen: van 1 tot 4" in text
    assert 'href="#dim-' in section
    markdown = coordinator.get(JOINT_SUMMARY + ".md").get_data(as_text=True)
    assert markdown.index("## Wat valt op") < markdown.index("## Samen scoren")


def _theme(dimension_id, score, counts, shown=True):
    return {"id": dimension_id, "title": dimension_id.title(), "score": score,
            "spread": {"shown": shown, "rows": [{"value": v, "count": c}
                                                for v, c in zip((1, 2, 3, 4), counts,
                                                                strict=True)]}}


def test_joint_highlights_use_only_what_the_summary_shows():
    found = joint_highlights([_theme("a", 3, (0, 2, 3, 0)), _theme("b", 1, (2, 0, 0, 3)),
                              _theme("c", 3, (4, 0, 0, 0)), _theme("d", None, (0, 0, 0, 0)),
                              _theme("e", 2, (3, 0, 0, 3), shown=False)])
    assert found.highest == (3, [("a", "A"), ("c", "C")])
    assert found.lowest == (1, [("b", "B")])
    assert found.far_apart == (1, 4, [("b", "B")])   # e's spread is not shown: not used
    assert found.not_agreed == 1
    close = joint_highlights([_theme("a", 2, (0, 2, 3, 0)), _theme("b", 2, (0, 0, 3, 0))])
    assert close.lowest is None and close.far_apart is None   # one score, one step apart
    assert joint_highlights([_theme("a", None, (0, 0, 0, 0))]) is None

"""Exports as a Dutch or English spreadsheet reads them: separators, decimal signs,
dates, column heads, and no text that can become a formula however the file is split."""

import csv
import io
import re
from datetime import date

import answers
import pytest
from attacker import csv_rows
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scan.exports import csv_text

TRIGGERS = ("=", "+", "-", "@")
COMMENT = "nl;=1+1"


def formula_pieces(text: str, separator: str) -> list[str]:
    """The pieces a spreadsheet that splits every line on `separator`, quotes or not,
    would take for formulas: after any quotes and white space that open a field."""
    pieces = [p for line in text.splitlines() for p in line.split(separator)]
    return [p for p in pieces if re.sub(r'^[\s"]*', "", p).startswith(TRIGGERS)]


def test_numbers_and_dates_are_written_as_the_reader_spreadsheet_reads_them():
    row = [2.5, -0.125, 3, date(2026, 12, 6), None, "-1"]
    assert csv_text(["a"], [row], "nl").splitlines()[1] == \
        '"2,5";"-0,125";"3";"06-12-2026";"";"\'-1"'
    assert csv_text(["a"], [row], "en").splitlines()[1] == \
        '"2.5","-0.125","3","2026-12-06","","\'-1"'


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_comment_never_becomes_a_formula_however_it_is_split(lang):
    text = csv_text(["Toelichting"], [[COMMENT], ["=1+1"], ["a,\t-2"], ["b\n@SUM(A1)"]], lang)
    for separator in (";", ",", "\t"):
        assert formula_pieces(text, separator) == [], (lang, separator)
    delimiter = ";" if lang == "nl" else ","
    values = [row[0] for row in csv.reader(io.StringIO(text), delimiter=delimiter)][1:]
    assert values == ["nl;'=1+1", "'=1+1", "a,\t'-2", "b\n'@SUM(A1)"]


# What issue 26 asked for by name: the guard after every separator (";" and "," in
# both languages, tabs and line breaks), for every trigger, behind white space and quotes.
NASTY = ["nl;=1+1", "en,=1+1", "a,@SUM(A1)", "a;+1", "a;-1", "\t=1", "\r=1", "=\t=1",
         "a\t@x", "a\r\n-2", "a; =1", "a,\u00a0=1", 'a;"=1+1;b', 'x,"@SUM(A1),y', '"=1',
         'a;""+1']


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("comment", NASTY)
def test_the_guard_acts_after_every_separator(comment, lang):
    text = csv_text(["Toelichting"], [[comment]], lang)
    for separator in (";", ",", "\t"):
        assert formula_pieces(text, separator) == [], (comment, lang, separator)
    delimiter = ";" if lang == "nl" else ","
    value = list(csv.reader(io.StringIO(text), delimiter=delimiter))[1][0]
    assert value.replace("'", "") == comment.replace("'", "")   # only quotes added


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@;,\t\r\n \"'ab1\u00a0"), max_size=20),
       st.sampled_from(["nl", "en"]))
def test_no_text_splits_into_a_formula(comment, lang):
    text = csv_text(["c"], [[comment, comment]], lang)
    for separator in (";", ",", "\t"):
        assert formula_pieces(text, separator) == []


@pytest.fixture
def commented(world, db, monkeypatch):
    """Round A, with the comment of the issue in place of an ordinary one."""
    people = [(*p[:4], COMMENT if p[4] == "Goede jaarplanning" else p[4])
              for p in answers.PEOPLE]
    monkeypatch.setattr(answers, "PEOPLE", people)
    return answers.fill_round_a(world, db)


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def test_dutch_csv_has_dutch_heads_decimal_commas_and_no_formula(member, world, commented):
    base = f"/p/{world.a.id}/rounds/{world.a.round}/export/mini"
    summary = member.get(f"{base}-summary.csv").get_data(as_text=True)
    assert summary.splitlines()[0] == ('"Vragenlijst";"Thema";"Soort groep";"Groep";'
                                       '"Respondenten";"Gemiddelde";"Spreiding (sd)";'
                                       '"Weet ik niet";"Vragenlijst (code)";"Thema (code)";'
                                       '"Soort groep (code)";"Groep (code)"')
    overall = [r for r in csv_rows(summary) if r["group_kind"] == "all"]
    assert [r["mean"] for r in overall] == ["3", "2,5"]   # 39/13 and 55/22
    comments = member.get(f"{base}-comments.csv").get_data(as_text=True)
    assert "nl;'=1+1" in [r["comment"] for r in csv_rows(comments)]
    # A Dutch Excel splits on ";", whatever the quotes say.
    assert formula_pieces(comments, ";") == [] and formula_pieces(comments, ",") == []


def test_english_csv_has_english_heads_and_decimal_points(member, world, commented):
    member.get("/lang/en")
    base = f"/p/{world.a.id}/rounds/{world.a.round}/export/mini"
    summary = member.get(f"{base}-summary.csv").get_data(as_text=True)
    assert summary.splitlines()[0].startswith('"Question set","Theme","Kind of group"')
    assert [r["mean"] for r in csv_rows(summary) if r["group_kind"] == "all"] == \
        ["3", "2.5"]
    comments = member.get(f"{base}-comments.csv").get_data(as_text=True)
    # The English file opened by a Dutch Excel (";") or an English one (","): text.
    assert formula_pieces(comments, ";") == [] and formula_pieces(comments, ",") == []


def test_excel_has_dutch_sheets_and_real_numbers(member, world, commented):
    book = load_workbook(io.BytesIO(member.get(
        f"/p/{world.a.id}/rounds/{world.a.round}/export/mini.xlsx").data))
    assert book.sheetnames == ["Samenvatting", "Toelichtingen"]
    sheet = book["Samenvatting"]
    assert [c.value for c in sheet[1]][:3] == ["Vragenlijst", "Thema", "Soort groep"]
    means = [c for c in sheet["F"][1:] if c.value is not None]
    assert 2.5 in [c.value for c in means]   # a number, not the text "2,5"
    assert {c.number_format for c in means} == {"0.00"}
    comments = [c.value for c in book["Toelichtingen"]["B"]]
    assert COMMENT in comments and all(c.data_type != "f" for c in book["Toelichtingen"]["B"])


def test_report_pages_write_numbers_and_dates_in_the_reader_language(member, world, scored):
    page = f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"
    dutch = member.get(page).get_data(as_text=True)
    lead = dutch.split('class="lead"')[1].split("</p>")[0]
    assert "2,50" in dutch and "2.50" not in dutch
    assert str(date.today().year) in lead and date.today().isoformat() not in lead
    member.get("/lang/en")
    english = member.get(page).get_data(as_text=True)
    assert "2.50" in english and "2,50" not in english
    assert '"separators": ".' in english   # the charts' hover numbers too


def test_summary_sheets_name_groups_in_the_readers_words_and_keep_codes_for_machines(
        member, world, scored):
    """A steering group reads "Soort partner" and "Schoolkant (scholen en besturen)",
    not `partner_type` or `school-side`; the codes stay in the columns headed "(code)"
    (CSV, Excel) and under their keys in the JSON, beside the names."""
    base = f"/p/{world.a.id}/rounds/{world.a.round}/export"
    for lang, kinds, sides in (("nl", {"Alle respondenten", "Soort partner", "Kant", "Rol",
                                        "Partner"},
                                {"Schoolkant (scholen en besturen)", "Instituutskant"}),
                               ("en", {"All respondents", "Partner type", "Side", "Role",
                                       "Partner"},
                                {"School side (schools and boards)", "Institute side"})):
        member.get(f"/lang/{lang}")
        rows = csv_rows(member.get(f"{base}/mini-summary.csv")
                        .get_data(as_text=True))
        book = load_workbook(io.BytesIO(member.get(f"{base}/mini.xlsx").data))
        sheet = list(book.worksheets[0].iter_rows(values_only=True))
        head = sheet[0]
        excel = [dict(zip(head, r, strict=True)) for r in sheet[1:]]
        for readable in (rows, [{"group_kind_name": r[head[2]], "group_name": r[head[3]],
                                 "group_kind": r[head[10]], "group": r[head[11]]}
                                for r in excel]):
            assert {r["group_kind_name"] for r in readable} == kinds, lang
            assert {r["group_name"] for r in readable if r["group_kind"] == "side"} == sides
            shown = " ".join(str(v) for r in readable
                             for k, v in r.items() if not k.startswith("group_kind")
                             and k != "group")
            assert "partner_type" not in shown and "school-side" not in shown
            assert {r["group_kind"] for r in readable} == {"all", "partner_type", "side", "role",
                                                            "partner"}
        assert head[8:] == tuple(str(h) for h in ((
            "Vragenlijst (code)", "Thema (code)", "Soort groep (code)", "Groep (code)")
            if lang == "nl" else ("Question set (code)", "Theme (code)",
                                  "Kind of group (code)", "Group (code)")))
    summary = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/export.json"
                                     ).get_json()["sets"][0]["summary"]
    side = next(r for r in summary if r["group"] == "school-side")
    assert side["group_kind"] == "side" and side["group_name"] == "School side (schools and boards)"

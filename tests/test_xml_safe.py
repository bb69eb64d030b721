"""Whatever a respondent types, every workbook still opens (scan.text).

XML forbids some characters outright; one of them in a comment used to make the
workbook of every set it was in unreadable. These tests type each class of them
through the respondent's own pages and load the downloaded workbook back with
openpyxl, as a spreadsheet program would.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scan.exports import spreadsheet_safe, xlsx_bytes
from scan.text import xml_safe

# One of each class XML 1.0 cannot hold (or Unicode keeps out of text).
UNSAFE = {
    "C0 control": "\x00\x01\x0b\x0c\x1f",
    "C1 control": "\x7f\x85\x9f",
    "lone surrogates": "\ud800\udbff\udc00\udfff",
    "U+FFFE and U+FFFF": "\ufffe\uffff",
    "Arabic presentation non-characters": "\ufdd0\ufde7\ufdef",
    "plane ends": "\U0001fffe\U0001ffff\U0010fffe\U0010ffff",
}


def _workbook(data: bytes):
    return load_workbook(BytesIO(data))


@pytest.mark.parametrize("kind", UNSAFE)
def test_each_class_is_removed_and_the_rest_kept(kind):
    assert xml_safe(f"goed{UNSAFE[kind]} begin\tmet\nregels") == "goed begin\tmet\nregels"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40))
def test_any_text_gives_a_workbook_that_opens(text):
    sheet = _workbook(xlsx_bytes({"t": (["comment"], [[text]])}))["t"]
    value = sheet.cell(row=2, column=1).value or ""
    expected = spreadsheet_safe(text) or ""
    # XML reads a carriage return (and CR LF) as a line end; the rest comes back as written.
    def lines(text):
        return text.replace("\r\n", "\n").replace("\r", "\n")
    assert lines(value) == lines(expected)


def _respond(respondent, comment):
    respondent.start()
    answers = {"mini-k-1": "3", "mini-k-2": "2"}
    assert respondent.save(0, "kennismaken", answers, comment=comment).status_code == 302
    respondent.save(1, "afstemmen", {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "1"})
    assert respondent.submit().status_code == 302


def test_typed_non_characters_never_reach_the_database_or_the_workbook(world, db, auth,
                                                                       new_respondent):
    # (Lone surrogates cannot travel in UTF-8: a form cannot send them.)
    typed = "".join(v for k, v in UNSAFE.items() if k != "lone surrogates")
    for n in range(3):
        _respond(new_respondent(world.a.token), f"=mooi{typed}{n}")
    stored = sorted(r["body"] for r in db.query("select body from comment"))
    assert stored == [f"=mooi{n}" for n in range(3)]
    # As stored by an older version, before text was cleaned on saving:
    db.execute("update comment set body = body || char(65534) || char(65535)")
    auth.login(world.a.emails["coordinator"])
    a = world.a
    assert auth.client.post(f"/p/{a.id}/rounds/{a.round}/status/closed").status_code == 302
    response = auth.client.get(f"/p/{a.id}/rounds/{a.round}/export/mini.xlsx")
    assert response.status_code == 200
    comments = [row[1] for row in _workbook(response.data)["comments"].iter_rows(
        min_row=2, values_only=True)]
    assert sorted(comments) == [f"'=mooi{n}" for n in range(3)]


def test_every_form_field_arrives_clean(world, db, auth):
    """Names typed by signed-in people go through the same door."""
    auth.login(world.a.emails["coordinator"])
    response = auth.client.post(f"/p/{world.a.id}/partners", data={
        "name": "School\ufffe de \uffffBrug", "type": "school", "sector": "po"})
    assert response.status_code in (200, 302)
    names = {r["name"] for r in db.query("select name from partner")}
    assert "School de Brug" in names

"""The years page claims no more than the numbers carry: a change within its margin is
"about the same", an open round is an interim result, and an action says whether it was
agreed before or after the measurement it stands beside."""

import re

import pytest
from answers import answer, released_report

from scan import highlights, rounds


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


@pytest.fixture
def last_year(world, db, scored):
    """2024-2025: three school-based teacher educators, kennismaken 19/6 = 3.17 (this
    year 3.00: -0.17, within a margin of about 0.5), afstemmen all 1s (this year 2.50:
    far beyond its margin). This year's round is still open."""
    earlier = rounds.create_round(db, world.a.id, "2024-2025", "Vorig jaar",
                                  [world.catalogue.sets["mini"]], [world.a.school],
                                  ["schoolopleider"], expected=20)
    link = rounds.links(db, earlier)[0]["id"]
    sets = rounds.round_sets(db, world.catalogue, earlier)
    for kennismaken in ((3, 3), (3, 3), (3, 4)):
        answer(db, earlier, link, sets, ("school", "schoolopleider", kennismaken, (1, 1, 1), ""))
    db.execute("update round set status = 'closed' where id = ?", [earlier])
    return released_report(db, earlier, world.catalogue)


def _row(html: str, title: str) -> str:
    table = html.split('<table class="scores">')[1].split("</table>")[0]
    return table.split(f'<th scope="row">{title}</th>')[1].split("</tr>")[0]


def test_a_change_within_its_margin_is_about_the_same(member, world, last_year):
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    assert "Het andere thema bleef ongeveer gelijk" in _stands_out(html)   # kennismaken
    kennismaken, afstemmen = _row(html, "Kennismaken"), _row(html, "Afstemmen")
    assert "ongeveer gelijk" in kennismaken and "▼" not in kennismaken
    assert "−0,17" in kennismaken
    assert "▲ omhoog" in afstemmen and "marge ±" in afstemmen


def test_an_open_round_is_marked_interim(member, world, last_year):
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    head = html.split('<table class="scores">')[1].split("</thead>")[0]
    year_heads = head.split('<th scope="col">')[2:4]
    assert "2024-2025" in year_heads[0] and "tussenstand" not in year_heads[0]
    assert "2025-2026" in year_heads[1] and "tussenstand" in year_heads[1]
    assert 'id="interim-note"' in html


def test_actions_say_whether_they_came_before_the_measurement(member, world, db, last_year):
    for text, created in (("Eerder afgesproken", "2000-01-01 09:00:00"),
                          ("Later afgesproken", "2999-01-01 09:00:00")):
        db.execute("insert into action (partnership_id, text, owner, dimension_id, created_at)"
                   " values (?, ?, 'Stuurgroep', 'kennismaken', ?)", [world.a.id, text, created])
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    followed = html.split('id="followed"')[1].split("</section>")[0]
    before = followed.split("Eerder afgesproken")[1].split("</div>")[0]
    after = followed.split("Later afgesproken")[1].split("</div>")[0]
    assert "afgesproken vóór de meting van 2025-2026" in before
    assert "afgesproken na de meting van 2025-2026" in after


def _stands_out(html: str) -> str:
    section = html.split('<section class="highlights"')[1].split("</section>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_a_theme_without_a_margin_is_not_counted_as_about_the_same(member, world, last_year,
                                                                    monkeypatch):
    """A theme whose change has no margin (a year without a shown spread for it) is not
    "about the same": "Wat valt op" says plainly that it could not be compared."""
    real = highlights.change_margin
    monkeypatch.setattr(highlights, "change_margin",
                        lambda before, now, theme: None if theme == "kennismaken"
                        else real(before, now, theme))
    text = _stands_out(member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True))
    assert "ongeveer gelijk" not in text
    assert "1 thema kon niet met 2024-2025 worden vergeleken" in text
    assert "Afstemmen ging omhoog" in text   # the theme with a margin is still judged
    member.get("/lang/en")
    english = _stands_out(member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True))
    assert "1 theme could not be compared with 2024-2025" in english

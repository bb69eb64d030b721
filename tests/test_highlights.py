""""Wat valt op": plain sentences at the top of a report and its summary sheet, from the
numbers the released report shows, naming a gap only when it is larger than chance."""

import math
import re

import pytest
from answers import PEOPLE, answer, released_report

from scan import highlights, rounds


@pytest.fixture
def two_sides(world, db):
    """Partnership B: school and institute both shown (see test_charts.two_sides): on
    afstemmen a gap of 1.70 with a margin of 1.35, on kennismaken 0.73 within 1.10."""
    b = world.b
    links = {x["partner_id"]: x["id"] for x in rounds.links(db, b.round)}
    sets = rounds.round_sets(db, world.catalogue, b.round)
    for person in [*PEOPLE[:6], ("institute", "instituutsopleider", (3, 2), (3, 3, 3), "")]:
        answer(db, b.round, links[b.school if person[0] == "school" else b.institute], sets,
               person)
    return released_report(db, b.round, world.catalogue)


def test_only_a_gap_beyond_its_margin_stands_out(two_sides):
    found = highlights.highlights(two_sides)
    (gap,) = found.gaps
    assert (gap.dimension_id, gap.kind, gap.high[0], gap.low[0]) == \
        ("afstemmen", "partner_type", "instituut", "school")
    assert gap.gap == pytest.approx(1.70, abs=0.01) and gap.margin == pytest.approx(1.346, abs=1e-3)
    means = two_sides.overall.means
    best, worst = sorted(means, key=means.get, reverse=True)
    assert [t.dimension_id for t in found.strengths] == [best]
    assert [t.dimension_id for t in found.attention] == [worst]
    assert found.changes == [] and found.previous_year is None


def test_a_change_has_a_margin_from_both_years_spreads(two_sides, scored):
    def variance(report):
        spread = next(d.spread for d in report.differences if d.dimension_id == "afstemmen")
        return spread ** 2 / report.overall.people["afstemmen"]

    expected = 2 * math.sqrt(variance(scored) + variance(two_sides))
    assert highlights.change_margin(scored, two_sides, "afstemmen") == pytest.approx(expected)
    changes = highlights.changes(({"id": 1, "school_year": "2024-2025"}, scored),
                                 ({"id": 2, "school_year": "2025-2026"}, two_sides))
    assert {c.dimension_id for c in changes} == {"kennismaken", "afstemmen"}
    assert all(c.beyond_chance == (abs(c.delta) > c.margin) for c in changes)


def test_the_report_opens_with_what_stands_out(client, auth, world, two_sides):
    auth.login(world.b.emails["viewer"])
    html = client.get(f"/p/{world.b.id}/rounds/{world.b.round}/report/mini").get_data(
        as_text=True)
    assert "Wat valt op" in html
    section = html.split('id="highlights"')[1].split("</section>")[0]
    assert html.index('id="highlights"') < html.index('id="radar"')   # before any chart
    text = re.sub(r"<[^>]+>", "", section)
    assert "Over Afstemmen denken Lerarenopleiding (instituut) (3,45) en School (1,75)" \
        " verschillend: 1,70 uit elkaar, meer dan toeval kan verklaren." in " ".join(text.split())
    # Every sentence links to where its numbers stand, and those places exist.
    targets = re.findall(r'href="#([\w-]+)"', section)
    assert "dim-afstemmen" in targets and "differences" in targets
    assert all(f'id="{t}"' in html for t in targets)
    # The statistics wait in an explanation; a gap within its margin "could be chance".
    rows = html.split('class="differences"')[1].split("</table>")[0]
    assert "kan toeval zijn" in rows and "groter dan toeval" in rows and "±" not in rows
    assert "√" in html.split('id="how-calculated"')[1].split("</details>")[0]
    assert "√" not in html.split('id="how-calculated"')[0]


def test_the_summary_sheet_says_what_stands_out(client, auth, world, two_sides):
    auth.login(world.b.emails["viewer"])
    html = client.get(f"/p/{world.b.id}/rounds/{world.b.round}/sheet/mini").get_data(
        as_text=True)
    section = html.split('id="highlights"')[1].split("</section>")[0]
    assert "meer dan toeval kan verklaren" in section
    report = f"/p/{world.b.id}/rounds/{world.b.round}/report/mini"
    assert f'href="{report}#dim-afstemmen"' in section


def test_nothing_stands_out_before_a_release(client, auth, world):
    auth.login(world.a.emails["viewer"])
    html = client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(
        as_text=True)
    assert 'id="highlights"' not in html

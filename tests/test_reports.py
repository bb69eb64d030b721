"""Round reports, years compared and exports, checked against numbers worked out by hand.

The round (partnership A, mini set) has eight people who sent in answers and one
who did not. Groups: partner type school (R1-R3, R7) and instituut (R4-R6);
roles schoolopleider (R1-R3) and instituutsopleider (R4-R7); one bestuurder at
a bestuur (R9): a group of one, never shown on its own. "dk" is don't know.
"""

import io
import json
import statistics

import pytest
from answers import PEOPLE, answer, released_report
from attacker import csv_rows
from openpyxl import load_workbook
from playwright.sync_api import expect

from scan import rounds, scoring


def group(report, kind, key):
    return next(g for g in report.groups if g.kind == kind and g.key == key)


def test_only_submitted_respondents_count(scored):
    assert scored.respondents == 8


def test_dimension_means_pool_answers_and_skip_dont_know(scored):
    assert scored.overall.means["kennismaken"] == pytest.approx(39 / 13)
    assert scored.overall.means["afstemmen"] == pytest.approx(55 / 22)
    assert scored.overall.dont_know == {"kennismaken": 3, "afstemmen": 2}


def test_group_means(scored):
    assert group(scored, "partner_type", "school").means["kennismaken"] == pytest.approx(20 / 7)
    assert group(scored, "role", "instituutsopleider").means["kennismaken"] == \
        pytest.approx(14 / 6)
    # On afstemmen the institute side is shown: beside it the role would give away the
    # one instituutsopleider at the school (R7).
    assert group(scored, "role", "instituutsopleider").means["afstemmen"] is None
    assert group(scored, "partner", "School a").respondents == 4


def test_a_group_below_the_threshold_is_left_out_but_still_counts_in_all(scored):
    assert ("partner_type", "bestuur") in scored.hidden
    assert ("role", "bestuurder") in scored.hidden
    assert ("partner", "Bestuur a") in scored.hidden
    assert all(g.key not in ("bestuur", "bestuurder", "Bestuur a") for g in scored.groups)


def test_a_group_that_would_give_the_hidden_one_away_is_left_out_too(scored):
    """All (8) minus school (4) minus instituut (3) would be the one bestuurder: where
    the school type is shown (kennismaken) the instituut stays hidden beside it, and
    the schoolopleider role stays hidden (school minus schoolopleiders would be the
    one instituutsopleider at the school)."""
    assert group(scored, "partner_type", "instituut").means["kennismaken"] is None
    assert ("role", "schoolopleider") in scored.hidden


def test_the_board_is_folded_into_the_school_side_so_both_sides_show(scored):
    """On afstemmen the sides are shown instead of the school type: school side R1-R3,
    R7 and the bestuurder R9 (26 over 14 values), institute side R4-R6 (29 over 8).
    The school type would now give the bestuurder away (school side minus school),
    so it is hidden there; on kennismaken the institute side has two people who gave
    a value, and the school side would give them away (all minus school side)."""
    school_side, institute_side = (group(scored, "side", s)
                                   for s in ("school-side", "institute-side"))
    assert school_side.means["afstemmen"] == pytest.approx(26 / 14)
    assert institute_side.means["afstemmen"] == pytest.approx(29 / 8)
    assert group(scored, "partner_type", "school").means["afstemmen"] is None
    assert school_side.means["kennismaken"] is None
    assert scored.sides_left_out == {
        "kennismaken": {"school-side": "derived", "institute-side": "few"}, "afstemmen": {}}


def test_differences_are_ranked_by_the_largest_gap(scored):
    first, second = scored.differences
    # On afstemmen the two sides differ; on kennismaken one group of each kind is
    # shown: no gap to compare.
    assert first.dimension_id == "afstemmen" and first.kind == "side"
    assert first.gap == pytest.approx(29 / 8 - 26 / 14)
    own_means = [2, 2, 4 / 3, 11 / 3, 11 / 3, 3.5, 3, 1]
    assert first.spread == pytest.approx(statistics.pstdev(own_means))
    assert second.dimension_id == "kennismaken" and second.gap is None
    groups = [scoring.GroupScore("role", "a", 5, {"d": 2.0}, {}),
              scoring.GroupScore("role", "b", 5, {"d": 3.5}, {}),
              scoring.GroupScore("partner_type", "school", 5, {"d": 3.0}, {}),
              scoring.GroupScore("partner_type", "instituut", 5, {"d": None}, {})]
    gap = scoring._largest_gap("d", 0.5, groups)
    assert (gap.kind, gap.gap, gap.high, gap.low) == ("role", 1.5, ("b", 3.5), ("a", 2.0))


def test_item_distribution_mean_and_dont_know(scored):
    item = scored.items["mini-k-1"]
    assert item.distribution == {1: 1, 2: 2, 3: 2, 4: 2}
    assert item.answers == 7 and item.dont_know == 1
    assert item.mean == pytest.approx(19 / 7)


def test_tag_views_group_items_by_tag(scored):
    levels = dict((v, m) for v, m, _n in scored.tag_means["level"])
    assert levels["institutioneel"] == pytest.approx(19 / 7)  # only mini-k-1 has that tag


def test_too_few_respondents_shows_nothing(world, db):
    sets = rounds.round_sets(db, world.catalogue, world.b.round)
    for person in PEOPLE[:2]:
        answer(db, world.b.round, world.b.link, sets, person)
    report = released_report(db, world.b.round, world.catalogue)
    assert not report.shown and report.respondents == 0 and report.comments == {}


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def test_report_page_shows_numbers_chart_data_and_what_was_left_out(member, world, scored):
    html = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(as_text=True)
    assert "2,50" in html and "3,00" in html  # overall means in the table, Dutch decimals
    assert 'type="application/json" data-chart-for="radar"' in html
    assert "/vendor/plotly-" in html
    assert "Goede jaarplanning" in html
    assert "Bestuur a" in html.split('id="left-out"')[1].split("</p>")[0]
    chart = json.loads(html.split('data-chart-for="radar">')[1].split("</script>")[0])
    names = [t["name"] for t in chart["data"]]
    assert "Bestuur a" not in names and "School a" in names
    assert len({t["line"]["dash"] + t["marker"]["symbol"] for t in chart["data"]}) == len(names)


def test_plotly_is_served_by_the_app_with_long_caching(member, world, scored):
    html = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(as_text=True)
    src = html.split('data-plotly="/vendor/')[1].split('"')[0]
    with member.get(f"/vendor/{src}") as response:
        assert response.status_code == 200 and b"plotly" in response.data[:2000].lower()
        assert response.cache_control.max_age >= 30 * 24 * 3600


def test_respondent_pages_do_not_load_plotly(client, world):
    assert b"plotly" not in client.get(f"/s/{world.a.token}").data


def test_csv_exports_are_anonymised_and_suppress_small_groups(member, client, auth, world,
                                                              scored):
    base = f"/p/{world.a.id}/rounds/{world.a.round}/export/mini"
    assert member.get(f"{base}-answers.csv").status_code == 403   # viewers: aggregates only
    assert "Bestuur a" not in member.get(f"{base}-summary.csv").get_data(as_text=True)
    auth.logout()
    auth.login(world.a.emails["coordinator"])
    assert client.get(f"{base}-answers.csv").status_code == 403   # not while the round is open
    client.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/closed")
    rows = csv_rows(client.get(f"{base}-answers.csv").get_data(as_text=True))
    # A number per person and theme (docs/privacy.md, rule 6): 7 gave values on
    # kennismaken, 8 on afstemmen, and no number runs across themes.
    themes = {}
    for r in rows:
        themes.setdefault(r["respondent"], set()).add(r["dimension"])
    assert all(len(t) == 1 for t in themes.values())
    per_theme = {d: {n for n, t in themes.items() if d in t} for d in ("kennismaken",
                                                                         "afstemmen")}
    assert len(per_theme["kennismaken"]) + len(per_theme["afstemmen"]) <= 15
    # No label finer than the report shows: the bestuurder is never labelled so.
    labels = {(r["dimension"], r["partner_type"], r["role"]) for r in rows}
    assert not {x for x in labels if x[1] == "bestuur" or x[2] == "bestuurder"}
    assert rows
    comments = member.get(f"{base}-comments.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in comments and ';=HYPERLINK' not in comments


def test_xlsx_export_opens_and_neutralises_formulas(member, world, scored):
    response = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/export/mini.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert set(book.sheetnames) == {"Samenvatting", "Toelichtingen"}   # no rows for a viewer
    summary = list(book["Samenvatting"].iter_rows(values_only=True))
    overall = [r for r in summary if r[10] == "all" and r[9] == "afstemmen"][0]   # codes
    assert overall[5] == pytest.approx(2.5)
    cells = [c for row in book["Toelichtingen"].iter_rows(values_only=True) for c in row]
    assert any(str(c).startswith("'=HYPERLINK") for c in cells)
    assert book["Toelichtingen"]["B2"].data_type != "f"


def test_json_export_has_the_whole_round(member, world, scored):
    body = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/export.json").get_json()
    (mini,) = body["sets"]
    assert mini["respondents"] == 8 and body["anonymity_threshold"] == 3
    assert mini["release"] == 1 and mini["answers"] == []   # rows: coordinators, after closing
    assert {(r["group_kind"], r["group"]) for r in mini["summary"]} == {
        ("all", "all"), ("partner_type", "school"), ("role", "instituutsopleider"),
        ("partner", "School a"), ("partner_type", "instituut"), ("partner", "Instituut a"),
        ("side", "school-side"), ("side", "institute-side")}


def test_exports_of_a_round_below_the_threshold_are_empty(client, auth, world, db):
    auth.login(world.b.emails["viewer"])
    sets = rounds.round_sets(db, world.catalogue, world.b.round)
    answer(db, world.b.round, world.b.link, sets, PEOPLE[0])
    text = client.get(f"/p/{world.b.id}/rounds/{world.b.round}/export/mini-summary.csv"
                      ).get_data(as_text=True)
    assert text.strip().count("\n") == 0  # the header only


def test_years_compare_the_same_items_and_mark_the_direction(member, world, db, scored):
    earlier = rounds.create_round(db, world.a.id, "2024-2025", "Vorig jaar",
                                  [world.catalogue.sets["mini"]], [world.a.school],
                                  ["schoolopleider"], expected=3)
    db.execute("update round_set set item_ids = ? where round_id = ?",
               [json.dumps(["mini-k-1", "mini-k-2", "mini-a-1", "mini-a-2"]), earlier])
    link = rounds.links(db, earlier)[0]["id"]
    sets = rounds.round_sets(db, world.catalogue, earlier)
    for _ in range(3):
        answer(db, earlier, link, sets, ("school", "schoolopleider", (1, 1), (1, 1), ""))
    last_year = released_report(db, earlier, world.catalogue)
    shown, left_out, items = scoring.years(
        [({"id": earlier, "school_year": "2024-2025"}, last_year),
         ({"id": world.a.round, "school_year": "2025-2026"}, scored)],
        world.catalogue.sets["mini"])
    assert [y.school_year for y in shown] == ["2024-2025", "2025-2026"]
    assert items["afstemmen"] == ["mini-a-1", "mini-a-2"]
    # This year's afstemmen over a1 and a2 only: R1..R9 sum 3+... worked out by hand:
    a1_a2 = [2, 2, 1, 2, 2, 1, 4, 4, 3, 4, 4, 3, 3, 3, 1, 1]
    assert shown[1].means["afstemmen"] == pytest.approx(sum(a1_a2) / len(a1_a2))
    assert shown[0].means["afstemmen"] == pytest.approx(1.0)
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    assert "▲" in html and "2 / 3" in html


def test_years_leave_out_a_year_with_nothing_released(member, world, db, scored):
    rounds.create_round(db, world.a.id, "2023-2024", "Oud", [world.catalogue.sets["mini"]],
                        [world.a.school], ["schoolopleider"], expected=20)
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    assert "2023-2024" in html.split('class="notice"')[1].split("</p>")[0]
    assert "2025-2026" in html.split("<thead>")[1].split("</thead>")[0]


def test_the_radar_is_drawn_in_chromium(browser, live, world, scored):
    from conftest import PASSWORD

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live.url}/login")
    page.fill("#email", world.a.emails["viewer"])
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live.url}/p/{world.a.id}/rounds/{world.a.round}/report/mini")
    page.wait_for_selector("#radar .main-svg")
    figure = json.loads(page.locator('script[data-chart-for="radar"]').text_content())
    drawn = [t for t in figure["data"] if t["visible"] is True]
    assert page.locator("#radar .scatterlayer .trace").count() == len(drawn)
    assert page.locator("#radar .legend .traces").count() == len(figure["data"])
    page.locator("#radar .legend .traces", has_text="Instituutsopleider").click()  # a role on
    expect(page.locator("#radar .scatterlayer .trace")).to_have_count(len(drawn) + 1)
    assert page.locator('#radar .modebar-btn[data-title*="PNG"], #radar .modebar-btn'
                        '[data-title*="png"]').count() == 1
    page.close()


def test_the_report_follows_new_respondents_despite_its_cache(member, world, scored,
                                                               new_respondent):
    url = f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"
    assert "8 mensen hun antwoorden verstuurd (9 begonnen)" in member.get(
        url).get_data(as_text=True)
    new_respondent(world.a.token).start()
    page = member.get(url).get_data(as_text=True)
    assert "(10 begonnen)" in page
    assert "<td>Instituut a</td><td>Instituutsopleider</td><td>4</td><td>3</td>" in page

"""Charts that follow the frameworks: radar ranges and defaults, grids, sides, gaps.

The numbers come from the hand-worked answers in answers.py (mini set, eight
people). With its tags a page's mechanism and a statement's level span a grid:
identificatie × institutioneel is mini-k-1 (19/7), × interpersoonlijk mini-k-2
(20/6); coordinatie × interpersoonlijk is mini-a-2 (20/8), × intrapersoonlijk
mini-a-3 (15/6); mini-a-1 has no level and stays out.
"""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from scan import charts, grids
from scan.question_files import load_catalogue
from scan.scoring import Difference, GroupScore, RoundReport

MINI = load_catalogue(Path(__file__).parent / "data" / "questions").sets["mini"]


def figure_in(html: str, chart_id: str) -> dict:
    return json.loads(html.split(f'data-chart-for="{chart_id}">')[1].split("</script>")[0])


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def report_page(member, world, lang=None) -> str:
    if lang:
        member.get(f"/lang/{lang}")
    return member.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(
        as_text=True)


# Radar ---------------------------------------------------------------------

def test_a_radar_runs_over_the_scale_not_from_zero():
    figure = charts.radar(["a", "b", "c"], [charts.Trace("all", [1.5, 2, None])], 1, 4, "T")
    axis = figure["layout"]["polar"]["radialaxis"]
    assert axis["range"] == [1, 4] and axis["autorange"] is False
    assert axis["tickvals"] == [1, 2, 3, 4]


def test_at_most_four_lines_are_drawn_at_first():
    traces = [charts.Trace(str(n), [1, 2, 3]) for n in range(6)]
    traces.append(charts.Trace("a role", [1, 2, 3], visible=False))
    limited = charts.limit_visible(traces)
    assert [t.visible for t in limited] == [True] * 4 + [False] * 3
    figure = charts.radar(["a", "b", "c"], limited, 1, 4, "T")
    assert [t["visible"] for t in figure["data"]].count(True) == charts.MAX_VISIBLE
    assert charts.choices(figure)[4] == (4, "4", False)


def test_the_title_leaves_room_above_the_labels_and_the_legend_sits_below():
    short = charts.radar(["a", "b", "c"], [], 1, 4, "Short")["layout"]
    long = charts.radar(["a", "b", "c"], [], 1, 4, "A title long enough to need two lines "
                        "or even three on a phone")["layout"]
    assert short["title"]["yref"] == "container" and short["title"]["yanchor"] == "top"
    assert long["margin"]["t"] > short["margin"]["t"] >= 100
    assert short["legend"]["orientation"] == "h" and short["legend"]["y"] < 0
    assert min(short["margin"]["l"], short["margin"]["r"]) >= 80


def test_long_axis_labels_are_wrapped():
    figure = charts.radar(["Samenwerking tussen opleiders van school en instituut", "b", "c"],
                          [charts.Trace("all", [1, 2, 3])], 1, 4, "T")
    label = figure["data"][0]["theta"][0]
    assert "<br>" in label and all(len(line) <= 14 for line in label.split("<br>"))


def test_choices_give_plain_names_for_the_picker():
    figure = charts.radar(["a", "b", "c"], [charts.Trace("<b>A & B</b>", [1, 2, 3])], 1, 4,
                          "T")
    assert figure["data"][0]["name"] == "&lt;b&gt;A &amp; B&lt;/b&gt;"
    assert charts.choices(figure) == [(0, "<b>A & B</b>", True)]


def test_the_report_radars_use_the_scale_and_draw_few_lines(member, world, scored):
    html = report_page(member, world)
    for chart_id in ("radar", "radar-level"):
        axis = figure_in(html, chart_id)["layout"]["polar"]["radialaxis"]
        assert axis["range"] == [1, 4], chart_id
    radar = figure_in(html, "radar")
    drawn = [t["name"] for t in radar["data"] if t["visible"] is True]
    assert len(drawn) <= charts.MAX_VISIBLE and drawn[0] == "Alle respondenten"
    # The picker lists every line, ticked as drawn.
    picker = html.split('data-picker-for="radar"')[1].split("</details>")[0]
    assert picker.count('type="checkbox"') == len(radar["data"])
    assert picker.count("checked") == len(drawn)


def test_the_years_radar_uses_the_scale(member, world, scored):
    html = member.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)
    axis = figure_in(html, "years-radar")["layout"]["polar"]["radialaxis"]
    assert axis["range"] == [1, 4]


def test_level_names_are_in_the_readers_language(member, world, scored):
    html = report_page(member, world, "en")
    axes = figure_in(html, "radar-level")["data"][0]["theta"]
    assert "Institutional" in axes and "Institutioneel" not in axes
    grid = figure_in(html, "grid-mechanism-level")["layout"]
    assert grid["yaxis"]["ticktext"] == ["Identification", "Coordination"]
    assert "Intrapersonal" in grid["xaxis"]["ticktext"]


# Grids ----------------------------------------------------------------------

def test_tag_pairs_come_from_the_question_file():
    assert grids.tag_pairs(MINI) == [("mechanism", "level")]
    catalogue = load_catalogue(Path(__file__).parent.parent / "questions")
    assert grids.tag_pairs(catalogue.sets["leermechanismen"]) == [("mechanism", "level")]
    assert grids.tag_pairs(catalogue.sets["samen-opleiden"]) == [("domain", "kind")]
    assert grids.tag_pairs(catalogue.sets["begeleiding"]) == []


def test_a_key_with_a_typical_path_becomes_the_rows():
    swapped = replace(MINI, dimensions=tuple(
        replace(d, tags={}, items=tuple(replace(i, tags={"level": "x" + i.id[-1],
                                                         "mechanism": d.tags["mechanism"]})
                                        for i in d.items))
        for d in MINI.dimensions))
    assert grids.tag_pairs(swapped) == [("mechanism", "level")]


def test_the_grid_holds_the_mean_per_cell(scored):
    (grid,) = grids.grids(scored)
    assert grid.rows == ("identificatie", "coordinatie")
    assert grid.columns == ("institutioneel", "interpersoonlijk", "intrapersoonlijk")
    cell = grid.cells
    assert cell[("identificatie", "institutioneel")].mean == pytest.approx(19 / 7)
    assert cell[("identificatie", "interpersoonlijk")].mean == pytest.approx(20 / 6)
    assert cell[("coordinatie", "interpersoonlijk")].mean == pytest.approx(20 / 8)
    assert cell[("coordinatie", "intrapersoonlijk")].mean == pytest.approx(15 / 6)
    assert cell[("coordinatie", "intrapersoonlijk")].answers == 6
    assert cell[("identificatie", "intrapersoonlijk")].statements == 0
    assert not cell[("identificatie", "intrapersoonlijk")].hidden
    assert grid.path == ("coordinatie", "identificatie") and grid.step("coordinatie") == 1


def test_a_hidden_statement_leaves_its_cell_empty(scored):
    items = {k: v for k, v in scored.items.items() if k != "mini-k-2"}
    (grid,) = grids.grids(replace(scored, items=items))
    assert grid.cells[("identificatie", "interpersoonlijk")].hidden
    assert grid.cells[("identificatie", "institutioneel")].mean == pytest.approx(19 / 7)


def test_a_cell_that_is_a_whole_dimension_shows_the_dimension_mean(scored):
    # Tag each page as a whole: the cell is its dimension, as the main table shows it.
    whole = replace(MINI, dimensions=tuple(
        replace(d, tags={"domain": d.id, "kind": str(n)}, items=tuple(
            replace(i, tags={}) for i in d.items))
        for n, d in enumerate(MINI.dimensions)))
    (grid,) = grids.grids(replace(scored, set=whole))
    assert grid.cells[("afstemmen", "1")].mean == pytest.approx(55 / 22)   # all three items


def test_nothing_shown_gives_no_grid():
    assert grids.grids(RoundReport(MINI, 3, 2, None)) == []


def test_the_heatmap_prints_values_on_the_scale_with_the_path():
    figure = charts.heatmap(["id", "co"], ["a", "b"], [[2.5, None], [None, 3.25]],
                            [["2.50", "–"], ["", "3.25"]], 1, 4, "Grid", [1, 0], "Path")
    cells, path = figure["data"]
    assert cells["type"] == "heatmap" and (cells["zmin"], cells["zmax"]) == (1, 4)
    assert cells["texttemplate"] == "%{text}" and cells["text"][0][1] == "–"
    assert cells["z"] == [[2.5, None], [None, 3.25]] and cells["colorscale"] == "Cividis"
    assert path["y"] == [1, 0] and path["text"] == ["1", "2"]
    assert all(x > 1.5 for x in path["x"])   # in a lane right of the last column
    assert figure["layout"]["yaxis"]["range"] == [1.5, -0.5]   # first row on top
    assert len(charts.heatmap(["a"], ["b"], [[1]], [["1.00"]], 1, 4, "G")["data"]) == 1


def test_the_report_shows_the_grid_as_chart_and_table(member, world, scored):
    html = report_page(member, world)
    figure = figure_in(html, "grid-mechanism-level")
    assert figure["data"][0]["text"] == [["2,71", "3,33", ""], ["", "2,50", "2,50"]]
    assert figure["layout"]["separators"].startswith(",")   # hover numbers in Dutch too
    assert figure["data"][1]["y"] == [1, 0]   # coordinatie first, then identificatie
    table = html.split('id="view-mechanism-level"')[1].split('<table')[1].split("</table>")[0]
    assert "<caption" in table and 'scope="row"' in table and 'scope="col"' in table
    assert "<td>2,71</td>" in table and "<td>3,33</td>" in table
    assert "geen stellingen" in table
    coordination = table.split("<tr>")[3]   # head, identificatie, coordinatie
    assert '<span class="path-step">stap 1</span>' in coordination
    assert "Coördinatie → Identificatie." in html   # the path in words, in Dutch


# Side by side ---------------------------------------------------------------

def test_mirrored_bars_put_school_left_and_institute_right():
    figure = charts.mirrored_bars(["a", "b"], [(-1, charts.Trace("School", [3.0, None])),
                                               (1, charts.Trace("Instituut", [2.5, 4.0]))],
                                  1, 4, "Side by side")
    school, institute = figure["data"]
    assert school["x"] == [-2.0, None] and institute["x"] == [1.5, 3.0]
    assert school["text"] == ["3.00", ""]
    axis = figure["layout"]["xaxis"]
    assert axis["ticktext"][axis["tickvals"].index(0)] == "1"   # the middle is the lowest point
    assert axis["ticktext"][0] == axis["ticktext"][-1] == "4"
    assert figure["layout"]["barmode"] == "overlay"


def test_side_by_side_orders_the_school_side_first():
    groups = [GroupScore("partner_type", "instituut", 5, {}, {}),
              GroupScore("role", "schoolleider", 5, {}, {}),
              GroupScore("partner_type", "bestuur", 5, {}, {}),
              GroupScore("partner_type", "school", 5, {}, {})]
    report = RoundReport(MINI, 3, 15, GroupScore("all", "all", 15, {}, {}), groups)
    assert [(s, g.key) for s, g in grids.side_by_side(report)] == [
        (-1, "school"), (-1, "bestuur"), (1, "instituut")]


def test_the_report_shows_the_school_side_against_the_institute_side(member, world, scored):
    """The lone bestuurder is folded into the school side (afstemmen); on kennismaken
    the institute side has too few people, and the page says so beside the chart."""
    html = report_page(member, world)
    figure = figure_in(html, "side-by-side")
    school, institute = figure["data"]
    assert school["name"] == "Schoolkant (scholen en besturen)"   # no size (a folded board)
    assert school["x"] == [None, round(-(26 / 14 - 1), 2)]
    assert institute["name"] == "Instituutskant"
    assert institute["x"] == [None, round(29 / 8 - 1, 2)]
    why = html.split('id="sides"')[1].split("</section>")[0]
    assert "De instituutskant staat er niet bij: minder dan 3 mensen" in why
    assert "De schoolkant (scholen en besturen) staat er niet bij: samen met" in why


def test_a_release_from_before_sides_keeps_the_partner_types_mirror():
    groups = [GroupScore("partner_type", "instituut", 5, {}, {}),
              GroupScore("partner_type", "school", 5, {}, {})]
    report = RoundReport(MINI, 3, 10, GroupScore("all", "all", 10, {}, {}), groups)
    assert [(s, g.key) for s, g in grids.sides(report)] == [(-1, "school"), (1, "instituut")]


# Gaps -----------------------------------------------------------------------

def gap_report(n_high, n_low, gap, spread):
    groups = [GroupScore("partner_type", "school", n_high, {"d": 2 + gap}, {}),
              GroupScore("partner_type", "instituut", n_low, {"d": 2.0}, {})]
    diff = Difference("d", spread, gap, "partner_type", ("school", 2 + gap), ("instituut", 2.0))
    return RoundReport(MINI, 3, n_high + n_low, GroupScore("all", "all", 0, {}, {}), groups,
                       differences=[diff]), diff


def test_a_gap_within_its_margin_is_marked_small_groups():
    report, diff = gap_report(4, 5, 0.8, 0.7)
    note = grids.gap_note(report, diff)
    assert (note.n_high, note.n_low) == (4, 5)
    assert note.margin == pytest.approx(2 * 0.7 * (1 / 4 + 1 / 5) ** 0.5)   # 0.94
    assert note.small


def test_a_gap_beyond_its_margin_is_not_marked():
    report, diff = gap_report(30, 40, 0.8, 0.7)
    assert not grids.gap_note(report, diff).small


def test_without_a_spread_two_groups_under_ten_are_small():
    report, diff = gap_report(4, 5, 2.0, None)
    assert grids.gap_note(report, diff) == grids.GapNote(4, 5, None, True)
    report, diff = gap_report(12, 5, 2.0, None)
    assert not grids.gap_note(report, diff).small


@pytest.fixture
def two_sides(world, db):
    """Round B answered by the first six people of answers.py and one more at the
    institute: three at the school, four at the institute, so both partner types
    are shown and differ. Own means are a person's mean over a page.

    kennismaken: school 17/5 = 3.40, instituut 16/6 = 2.67 (R5 only said don't
    know), gap 0.73; own means 3.5, 2, 4, 3, 2.5, 2.5 have a spread of 0.672, so
    n counts who gave a value to the theme (3 at the institute: R5 did not), so the
    margin is 2 × 0.672 × √(1/3 + 1/3) = 1.10: small groups.
    afstemmen: school 14/8 = 1.75, instituut 38/11 = 3.45, gap 1.70; own means
    2, 2, 4/3, 11/3, 11/3, 3.5, 3 have a spread of 0.881, margin 1.35: not marked."""
    from answers import PEOPLE, answer, released_report

    from scan import rounds

    b = world.b
    links = {x["partner_id"]: x["id"] for x in rounds.links(db, b.round)}
    sets = rounds.round_sets(db, world.catalogue, b.round)
    for person in [*PEOPLE[:6], ("institute", "instituutsopleider", (3, 2), (3, 3, 3), "")]:
        answer(db, b.round, links[b.school if person[0] == "school" else b.institute], sets,
               person)
    return released_report(db, b.round, world.catalogue)


def test_gap_notes_of_a_real_round(two_sides):
    notes = grids.gap_notes(two_sides)
    assert notes["kennismaken"] == grids.GapNote(3, 3, pytest.approx(1.097, abs=1e-3), True)
    assert notes["afstemmen"].margin == pytest.approx(1.346, abs=1e-3)
    assert not notes["afstemmen"].small


def test_the_differences_show_group_sizes_and_the_mark(client, auth, world, two_sides):
    auth.login(world.b.emails["viewer"])
    html = client.get(f"/p/{world.b.id}/rounds/{world.b.round}/report/mini").get_data(
        as_text=True)
    rows = html.split('class="differences"')[1].split("</table>")[0].split("<tr>")
    first, second = (r for r in rows if 'scope="row"' in r)
    assert "1,70" in first and "kan toeval zijn" not in first and "groter dan toeval" in first
    assert "(3,45, n=4)" in first and "(1,75, n=3)" in first
    assert "0,73" in second and "kan toeval zijn" in second
    explained = html.split('id="how-calculated"')[1].split("</details>")[0]
    assert "ruwe marge voor toeval" in explained and "± 1,35" in explained
    school, institute = figure_in(html, "side-by-side")["data"]
    assert school["name"] == "Schoolkant (scholen en besturen)"   # no size (a folded board)
    assert institute["name"] == "Instituutskant"
    assert (school["x"][1], institute["x"][1]) == (-0.75, 2.45)


def test_every_id_on_the_report_is_unique(member, world, scored):
    """A section and its chart once shared an id, and plotly drew into the section."""
    import re
    from collections import Counter

    ids = Counter(re.findall(r'\sid="([^"]+)"', report_page(member, world)))
    assert [i for i, n in ids.items() if n > 1] == []
    assert {"radar", "grid-mechanism-level", "side-by-side"} <= set(ids)

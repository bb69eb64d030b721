"""A coordinator who wants to know another partnership's result: everything the benchmark
pages show them, over two school years, before and after partnerships opt in and out,
from each of the partnerships they belong to, and the arithmetic that would pull one
partnership's theme mean out of it.

Worst case: the attacker knows their own partnerships' means and even the order of
everyone's means (so which partnerships stand behind each quartile). Every figure shown
is then a known linear combination of unknown means; a mean is disclosed when it is a
linear combination of figures and known values, checked exactly over the rationals
(tests/attacker.py). The figures read from the pages are first checked against that
model, so the model is what a reader sees.
"""

import re
from datetime import date

from attacker import _derivable
from test_benchmark import make_partnership

from scan import accounts, benchmark
from scan.benchmark import QUARTILES, window

SETS = "mini"
THEMES = ("kennismaken", "afstemmen")


def shown_figures(client, pid: int, year: str) -> dict[str, list[float]]:
    html = client.get(f"/p/{pid}/benchmark/mini/{year}").get_data(as_text=True)
    figures = {}
    for theme in THEMES:
        found = re.search(rf'data-dimension="{theme}">(.*?)</tr>', html, re.S)
        if found:
            # Dutch pages write a decimal comma
            cells = [c.replace(",", ".") for c in re.findall(r"<td>([\d.,]+)</td>", found[1])]
            if len(cells) == 5:   # own mean, three quartiles, number of others
                figures[theme] = [float(c) for c in cells[1:4]]
    return figures


def windows(published: dict, excluded: set[int], theme: str) -> list[set]:
    """The partnerships behind each quartile a reader sees (ties ordered by id)."""
    others = sorted((m["means"][theme], pid) for pid, m in published["theme_means"].items()
                    if pid not in excluded and m["means"].get(theme) is not None)
    if len(others) < benchmark.MIN_PARTNERSHIPS:
        return []
    return [{others[i][1] for i in window(len(others), q)} for q in QUARTILES]


def test_no_single_partnerships_mean_can_be_worked_out(app, client, auth, db):
    catalogue = app.extensions["samenscan.catalogue"]
    patterns = [[1], [1, 2, 2], [2], [2, 3, 3], [3], [3, 4, 4], [4], [1, 4, 4], [2, 2, 4]]
    first = [make_partnership(db, catalogue, n, patterns[n % 9], year="2023-2024")
             for n in range(1, 9)]
    attacker = first[0]
    accounts.set_member(db, first[1].id, attacker.user, "viewer")   # a second partnership
    for n in range(11, 18):
        make_partnership(db, catalogue, n, patterns[(n * 5) % 9], year="2024-2025")
    # The attacker's partnerships and three of the first year's also run the second year.
    for p in (first[0], first[1], first[2], first[4], first[6]):
        make_partnership_round(db, catalogue, p, "2024-2025", patterns[(p.id * 2) % 9])
    auth.login(attacker.email)
    views = []   # (partnership viewed from, year, figures shown)
    for moment in range(3):
        if moment == 1:   # opt-ins and opt-outs after publication
            benchmark.set_choice(db, first[3].id, "mini", False)
            make_partnership(db, catalogue, 30, [3], year="2023-2024")
            make_partnership(db, catalogue, 31, [1], year="2024-2025")
        if moment == 2:   # the attacker's second partnership stops, then starts again
            benchmark.set_choice(db, first[1].id, "mini", False)
            benchmark.set_choice(db, first[1].id, "mini", True)
        for own in (first[0], first[1]):
            for year in ("2023-2024", "2024-2025"):
                views.append((own.id, year, shown_figures(client, own.id, year)))
    assert any(figures for _pid, _year, figures in views), "the attacker saw benchmarks"

    mine = {m["id"] for m in accounts.memberships(db, attacker.user)}
    cells, atoms = [], set()
    for _pid, year, figures in views:
        published = publication_of(db, catalogue, year)
        for theme, values in figures.items():
            behind = windows(published, mine, theme)
            # The model is what the page shows: each quartile is its window's mean.
            for value, members in zip(values, behind, strict=True):
                exact = sum(published["theme_means"][p]["means"][theme] for p in members)
                assert value == round(exact / len(members), 1)
                cells.append({(p, year, theme) for p in members})
        for pid, m in published["theme_means"].items():
            atoms |= {(pid, year, t) for t in THEMES if m["means"].get(t) is not None}
    known = [{a} for a in atoms if a[0] in mine]
    ordered = sorted(atoms)
    disclosed = [a for a in ordered if a[0] not in mine
                 and _derivable(cells + known, ordered, {a})]
    assert disclosed == []
    assert len(cells) >= 12


def test_the_check_finds_a_disclosure_where_there_is_one():
    """A plain median of an odd number of partnerships is one partnership's own mean:
    the same arithmetic flags it, so the test above can fail."""
    atoms = [(p, "2024-2025", "kennismaken") for p in range(1, 6)]
    median_of_five = [{atoms[2]}]
    assert _derivable(median_of_five, atoms, {atoms[2]})
    # A partnership subtracting itself from a mean of two: the other is disclosed.
    assert _derivable([{atoms[0], atoms[1]}, {atoms[0]}], atoms, {atoms[1]})


def make_partnership_round(db, catalogue, member, year, values):
    """Another closed, released round of the mini set for an existing partnership."""
    from answers import answer

    from scan import releases, rounds

    school = db.execute("select id from partner where partnership_id = ?",
                        [member.id]).fetchone()[0]
    rid = rounds.create_round(db, member.id, year, f"Scan {year}", [catalogue.sets["mini"]],
                              [school], ["schoolopleider"], expected=20)
    link = rounds.links(db, rid)[0]["id"]
    sets = rounds.round_sets(db, catalogue, rid)
    for i in range(3):
        v = values[i % len(values)]
        answer(db, rid, link, sets, ("school", "schoolopleider", (v, v), (v, v, v), ""))
    rounds.set_status(db, rid, "closed")
    releases.release(db, rid, sets, 3)


def publication_of(db, catalogue, year):
    versions = benchmark.contributions(db, catalogue, 3, "mini", year)
    found = [benchmark.publication(db, "mini", year, v) for v in versions]
    published = [p for p in found if p]
    assert published, f"no benchmark published for {year}"
    assert benchmark.publish_due(db, catalogue, 3, "mini", year, date(2030, 1, 1)) == []
    return published[0]

"""The anonymity promise, attacked as a curious colleague would (see docs/privacy.md).

Each test collects what a coordinator or viewer can download and runs the
attacker's arithmetic from attacker.py over it: subtraction within and across
group kinds, against the total, over row-level exports and over several
moments (before and after people submit). Nothing about a group of fewer than
k people who gave a value may come out.
"""

from __future__ import annotations

import random

import pytest
from answers import PEOPLE, answer
from attacker import (
    Knowledge,
    csv_rows,
    demo_coordinator,
    disclosures,
    observe,
    row_classes_too_small,
)

from scan import partners, rounds

K = 3
ROLES = ["schoolopleider", "instituutsopleider", "werkplekbegeleider", "stuurgroeplid",
         "bestuurder", "leraar-in-opleiding"]


def _export(client, pid, rid):
    response = client.get(f"/p/{pid}/rounds/{rid}/export.json")
    assert response.status_code == 200
    return response.get_json()


def _close(client, pid, rid):
    assert client.post(f"/p/{pid}/rounds/{rid}/status/closed").status_code == 302


def _attack(knowledge):
    found = []
    for export in knowledge.snapshots:
        assert row_classes_too_small(export, K) == []
        for entry in export["sets"]:
            dims = sorted({r["dimension"] for r in entry["summary"]} | {"kennismaken",
                                                                          "afstemmen"})
            found += disclosures(knowledge, entry["set"], dims)
    return found


def _random_round(world, db, rng: random.Random):
    """Partnership A's round with 2-5 extra partners, random roles, random answers."""
    a = world.a
    extra = [partners.add_partner(db, a.id, f"Partner {n}", rng.choice(["school", "bestuur",
                                                                          "instituut"]), "vo")
             for n in range(rng.randint(2, 5))]
    rounds.add_links(db, a.round, [a.school, a.institute, *extra],
                     rng.sample(ROLES, rng.randint(2, len(ROLES))), expected=20)
    return rounds.links(db, a.round)


def _random_person(rng: random.Random) -> tuple:
    def value():
        return None if rng.random() < 0.2 else rng.randint(1, 4)
    return ("", "", (value(), value()), (value(), value(), value()), "")


def _closed_and_read(world, db, auth) -> Knowledge:
    """The coordinator closes round A and saves its whole export."""
    auth.login(world.a.emails["coordinator"])
    _close(auth.client, world.a.id, world.a.round)
    knowledge = Knowledge({}, K)
    observe(knowledge, db, world.a.round, _export(auth.client, world.a.id, world.a.round))
    return knowledge


def test_the_hand_built_round_gives_nothing_away(world, db, scored, auth):
    """Eight people, one bestuurder: total minus school minus instituut was that person."""
    assert _attack(_closed_and_read(world, db, auth)) == []


@pytest.mark.parametrize("seed", range(12))
def test_random_rounds_give_nothing_away_after_closing(world, db, auth, seed):
    rng = random.Random(seed)
    links = _random_round(world, db, rng)
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for _n in range(rng.randint(4, 22)):
        answer(db, world.a.round, rng.choice(links)["id"], sets, _random_person(rng))
    assert _attack(_closed_and_read(world, db, auth)) == []


@pytest.mark.parametrize("seed", range(6))
def test_interim_results_compared_moment_by_moment_give_nothing_away(world, db, auth, seed):
    """Interim results on: the attacker saves the export after every single submission."""
    rng = random.Random(100 + seed)
    links = _random_round(world, db, rng)
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    auth.login(world.a.emails["coordinator"])
    auth.client.post(f"/p/{world.a.id}/rounds/{world.a.round}/results",
                     data={"mode": "interim"})
    knowledge = Knowledge({}, K)
    for _n in range(rng.randint(6, 16)):
        answer(db, world.a.round, rng.choice(links)["id"], sets, _random_person(rng))
        observe(knowledge, db, world.a.round, _export(auth.client, world.a.id, world.a.round))
    _close(auth.client, world.a.id, world.a.round)
    observe(knowledge, db, world.a.round, _export(auth.client, world.a.id, world.a.round))
    assert _attack(knowledge) == []


def test_the_demo_gives_nothing_away_and_still_shows_groups(demo_app):
    from scan.database import connect

    client = demo_coordinator(demo_app)
    db = connect(demo_app.config["DATABASE"])
    for rid in (1, 3):  # the closed rounds of both partnerships
        pid = db.execute("select partnership_id from round where id = ?", [rid]).fetchone()[0]
        export = _export(client, pid, rid)
        knowledge = Knowledge({}, K)
        observe(knowledge, db, rid, export)
        for entry in export["sets"]:
            dims = sorted({r["dimension"] for r in entry["summary"]})
            assert disclosures(knowledge, entry["set"], dims) == []
            shown = {(r["group_kind"], r["group"]) for r in entry["summary"]
                     if r["mean"] is not None}
            assert len(shown) >= 5, shown   # meaningful: more than the total alone
        assert row_classes_too_small(export, K) == []


# The four ways the promise broke, as the issue reported them


def test_a_rare_combination_never_appears_in_row_level_exports(world, db, scored, auth):
    """bestuur × bestuurder is one person: their row must not carry both labels."""
    auth.login(world.a.emails["coordinator"])
    _close(auth.client, world.a.id, world.a.round)
    rows = csv_rows(auth.client.get(
        f"/p/{world.a.id}/rounds/{world.a.round}/export/mini-answers.csv").data.decode())
    assert rows
    labels = {}
    for row in rows:
        labels.setdefault((row["partner_type"], row["role"]), set()).add(row["respondent"])
    assert all(len(people) >= K for people in labels.values()), labels
    assert ("bestuur", "bestuurder") not in labels


def test_per_link_counts_below_k_read_fewer_than_k(world, db, scored, auth):
    auth.login(world.a.emails["coordinator"])
    page = auth.client.get(f"/p/{world.a.id}/rounds/{world.a.round}").data.decode()
    assert "fewer than 3" in page or "minder dan 3" in page
    links_csv = csv_rows(auth.client.get(
        f"/p/{world.a.id}/rounds/{world.a.round}/links.csv").data.decode())
    counts = {value for row in links_csv for value in list(row.values())[-2:]}
    assert counts and not counts & {"1", "2"}


def test_subtraction_of_shown_groups_does_not_recover_a_hidden_one(world, db, scored, auth):
    """The issue's example: (n_all × mean_all − n_school × mean_school − ...) / n_bestuur."""
    auth.login(world.a.emails["coordinator"])
    _close(auth.client, world.a.id, world.a.round)
    summary = csv_rows(auth.client.get(
        f"/p/{world.a.id}/rounds/{world.a.round}/export/mini-summary.csv").data.decode())
    for dimension in ("kennismaken", "afstemmen"):
        types = [r for r in summary if r["dimension"] == dimension
                 and r["group_kind"] == "partner_type" and r["mean"]]
        # With the bestuur hidden, at most one other type may stand beside the total.
        assert len(types) <= 1 or any(r["group"] == "bestuur" for r in types)
        for row in summary:
            if row["group_kind"] != "all":
                assert row["dont_know"] == ""


def test_results_do_not_move_with_each_submission(world, db, scored, auth, new_respondent):
    """Before and after: saving the export around one submission shows nothing new."""
    auth.login(world.a.emails["coordinator"])
    before = _export(auth.client, world.a.id, world.a.round)
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    answer(db, world.a.round, world.a.link, sets, PEOPLE[0])
    after = _export(auth.client, world.a.id, world.a.round)
    assert before["sets"] == after["sets"]
    report = auth.client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini")
    assert report.status_code == 200


def test_dont_know_padding_does_not_make_a_group_of_one_visible(world, db, auth):
    """A coordinator starts their own link twice and answers "don't know" throughout."""
    a = world.a
    bestuur = partners.add_partner(db, a.id, "Bestuur a", "bestuur", "vo")
    rounds.add_links(db, a.round, [bestuur], ["bestuurder"], expected=20)
    links = {(x["partner_id"], x["role"]): x["id"] for x in rounds.links(db, a.round)}
    sets = rounds.round_sets(db, world.catalogue, a.round)
    padding = ("", "", (None, None), (None, None, None), "")
    for person in PEOPLE[:7]:
        link = links[(a.school if person[0] == "school" else a.institute, person[1])]
        answer(db, a.round, link, sets, person)
    for _n in range(2):
        answer(db, a.round, links[(bestuur, "bestuurder")], sets, padding)
    answer(db, a.round, links[(bestuur, "bestuurder")], sets, PEOPLE[7])
    auth.login(a.emails["coordinator"])
    _close(auth.client, a.id, a.round)
    export = _export(auth.client, a.id, a.round)
    shown = {(r["group_kind"], r["group"]) for e in export["sets"] for r in e["summary"]
             if r["mean"] is not None}
    assert ("partner_type", "bestuur") not in shown and ("role", "bestuurder") not in shown
    page = auth.client.get(f"/p/{a.id}/rounds/{a.round}").data.decode()
    assert "2 verstuurden alleen" in page.split('id="padding">')[1].split("</p>")[0]


def test_respondent_numbers_do_not_follow_start_order(world, db, auth):
    a = world.a
    sets = rounds.round_sets(db, world.catalogue, a.round)
    rng = random.Random(7)
    for n in range(12):
        answer(db, a.round, a.links[n % 2]["id"], sets, _random_person(rng))
    auth.login(a.emails["coordinator"])
    _close(auth.client, a.id, a.round)
    url = f"/p/{a.id}/rounds/{a.round}/export/mini-answers.csv"
    first = [r["respondent"] for r in csv_rows(auth.client.get(url).data.decode())]
    second = [r["respondent"] for r in csv_rows(auth.client.get(url).data.decode())]
    assert first != second   # random per export; 12! orders make a repeat vanishingly rare
    # Line each number up with who it is (by their answers) and see whether the
    # numbers climb with the order people started in.
    rows = csv_rows(auth.client.get(url).data.decode())
    vectors = {}
    for row in rows:
        vectors.setdefault(row["respondent"], []).append((row["item"], row["value"]))
    started = {}
    for person in db.query("select respondent_id as id, item_id, value from answer "
                           "order by respondent_id, item_id"):
        started.setdefault(person["id"], []).append(
            (person["item_id"], "" if person["value"] is None else str(person["value"])))
    # Numbers are per theme (docs/privacy.md, rule 6): match on the theme's statements.
    who = {number: [pid for pid, v in started.items()
                    if [x for x in v if x[0] in dict(vector)] == sorted(vector)]
           for number, vector in vectors.items()}
    unique = sorted((int(n), ids[0]) for n, ids in who.items() if len(ids) == 1)
    assert len(unique) >= 6
    assert [pid for _n, pid in unique] != sorted(pid for _n, pid in unique)


def test_the_landing_page_makes_the_promise_docs_privacy_md_keeps(client, world):
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "privacy.md").read_text()
    for lang in ("nl", "en"):
        client.set_cookie("lang", lang)
        html = client.get(f"/s/{world.a.token}").get_data(as_text=True)
        promise = html.split('id="promise">')[1].split("</p>")[0]
        assert promise.replace(" 3 ", " k ") in doc, promise


def test_control_characters_in_comments_are_removed_and_exports_still_open(world, db, auth):
    from io import BytesIO

    from openpyxl import load_workbook

    a = world.a
    sets = rounds.round_sets(db, world.catalogue, a.round)
    for n in range(3):
        answer(db, a.round, a.links[0]["id"], sets,
               ("", "", (2, 3), (3, 3, 2), f"regel\x00een\x0b{n}\r\ntwee\tdrie"))
    stored = {r["body"] for r in db.query("select body from comment")}
    assert stored == {f"regeleen{n}\ntwee\tdrie" for n in range(3)}
    db.execute("update comment set body = body || char(11)")   # as stored by older versions
    auth.login(a.emails["coordinator"])
    _close(auth.client, a.id, a.round)
    response = auth.client.get(f"/p/{a.id}/rounds/{a.round}/export/mini.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    comments = [row[1] for row in book["Toelichtingen"].iter_rows(min_row=2, values_only=True)]
    assert len(comments) == 3 and all("\x0b" not in c for c in comments)


def test_cards_drawn_from_the_scan_give_only_released_shown_numbers(world, db, auth):
    """The reasons a card was drawn name values and groups the summary shows, nothing else."""
    from scan import drawing, releases, scoring

    rng = random.Random(3)
    links = _random_round(world, db, rng)
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for _n in range(18):
        answer(db, world.a.round, rng.choice(links)["id"], sets, _random_person(rng))
    auth.login(world.a.emails["coordinator"])
    before = drawing.scan_priorities([scoring.round_report(
        db, releases.latest(db, world.a.round), world.catalogue.sets["mini"], K)])
    assert before == []   # nothing released while the round is open
    _close(auth.client, world.a.id, world.a.round)
    export = _export(auth.client, world.a.id, world.a.round)
    shown = {(r["dimension"], r["group_kind"], r["group"]): r["mean"]
             for r in export["sets"][0]["summary"]}
    reasons = drawing.scan_priorities([scoring.round_report(
        db, releases.latest(db, world.a.round), world.catalogue.sets["mini"], K)])
    assert reasons
    for reason in reasons:
        if reason.kind == "lowest":
            assert round(reason.value, 3) == shown[(reason.dimension_id, "all", "all")]
        else:
            assert (reason.dimension_id, reason.group_kind, reason.high) in shown
            assert (reason.dimension_id, reason.group_kind, reason.low) in shown


def test_interim_row_classes_never_excuse_what_a_viewer_can_subtract(world, db):
    """Found in review: one school person gave "afstemmen" values among three school
    people. An interim release's row label (school, schoolopleider) must not count
    as known to a viewer, who never gets rows: all minus instituut would be them."""
    from attacker import _disclosures

    from scan import anonymised, releases, scoring

    a, catalogue = world.a, world.catalogue
    links = {(x["partner_id"], x["role"]): x["id"] for x in rounds.links(db, a.round)}
    school, institute = links[(a.school, "schoolopleider")], \
        links[(a.institute, "instituutsopleider")]
    sets = rounds.round_sets(db, catalogue, a.round)
    knowledge = Knowledge({}, K)

    def release_and_read():
        releases.release(db, a.round, sets, K)
        report = scoring.round_report(db, releases.latest(db, a.round), catalogue.sets["mini"], K)
        summary = [dict(zip(anonymised.SUMMARY_HEADER, r, strict=True))
                   for r in anonymised.summary_rows(report)]
        observe(knowledge, db, a.round, {"sets": [{"set": "mini", "summary": summary}]})

    answer(db, a.round, school, sets, ("", "", (3, 4), (1, 1, 2), ""))
    for _n in range(2):
        answer(db, a.round, school, sets, ("", "", (2, 3), (None, None, None), ""))
    for values in ((3, 3), (2, 2), (4, 3)):
        answer(db, a.round, institute, sets, ("", "", values, (4, 4, 3), ""))
    release_and_read()
    for values in ((3, 2), (2, 4), (3, 3)):
        answer(db, a.round, institute, sets, ("", "", values, (3, 4, 4), ""))
    release_and_read()
    assert _disclosures(knowledge, "mini", ["kennismaken", "afstemmen"], rows=False) == []


def test_a_dimension_added_to_the_question_file_mid_round_does_not_stop_releases(world, db):
    import dataclasses

    from scan import releases, scoring

    a = world.a
    sets = rounds.round_sets(db, world.catalogue, a.round)
    for _n in range(3):
        answer(db, a.round, a.link, sets, ("", "", (2, 3), (3, 3, 2), ""))
    assert releases.release(db, a.round, sets, K) == 1
    mini = sets[0]
    first = mini.dimensions[0]
    extra = dataclasses.replace(first, id="nieuw",
                                items=(dataclasses.replace(first.items[0], id="mini-n-1"),))
    edited = dataclasses.replace(mini, version=mini.version + 1,
                                 dimensions=(*mini.dimensions, extra))
    for _n in range(3):
        answer(db, a.round, a.link, sets, ("", "", (2, 3), (3, 3, 2), ""))
    assert releases.release(db, a.round, [edited], K) == 2
    report = scoring.round_report(db, releases.latest(db, a.round), edited, K)
    assert report.overall.means["nieuw"] is None and report.overall.means["afstemmen"] == 8 / 3


@pytest.mark.parametrize("how", ["init-db", "first read"])
def test_rounds_closed_before_releases_existed_are_released_once(runner, world, db, auth,
                                                                 how):
    """An upgraded database: a round closed by the previous version has no release."""
    from scan import releases

    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for person in PEOPLE[:4]:
        answer(db, world.a.round, world.a.link, sets, person)
    rounds.set_status(db, world.a.round, "closed")   # as the old version closed it
    assert releases.latest(db, world.a.round) is None
    if how == "init-db":
        assert "Released the results of 1 closed rounds" in runner.invoke(
            args=["init-db"]).output
    else:
        auth.login(world.a.emails["viewer"])
        page = auth.client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini")
        assert "vrijgave 1" in page.get_data(as_text=True)
    assert releases.latest(db, world.a.round).respondents == 4
    runner.invoke(args=["init-db"])   # once only
    assert len(releases.releases(db, world.a.round)) == 1

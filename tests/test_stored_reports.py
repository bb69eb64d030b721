"""Released reports stored in SQLite (scan.stored): the numbers every view reads.

A release stores each set's report once; views read it instead of recomputing.
These tests hold the stored numbers to a full recomputation on random rounds with
interim releases, and check that names are applied when read and that another
worker (a new app on the same database) reads the stored report as it is.
"""

from __future__ import annotations

import itertools
import re

import pytest
from answers import answer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scan import create_app, partners, releases, rounds, scoring, stored
from scan.web import released, reports

K = 3
VALUE = st.sampled_from([1, 2, 3, 4, None])   # None: don't know
ROLES = ("schoolopleider", "instituutsopleider", "bestuurder")
PERSON = st.tuples(st.integers(0, 2), st.sampled_from(ROLES),
                   st.tuples(VALUE, VALUE), st.tuples(VALUE, VALUE, VALUE),
                   st.sampled_from(["", "", "Goed", "Zie jaarplan", "Niets"]))
# Batches of people who send in their answers; a release is tried after each.
ROUND = st.lists(st.lists(PERSON, min_size=1, max_size=6), min_size=1, max_size=4)
EXAMPLES = itertools.count()   # each example makes a round (and partner) of its own


def _labels(report: scoring.RoundReport) -> set:
    return {g.key for g in report.groups if g.kind == "partner"}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(batches=ROUND)
def test_stored_numbers_equal_a_full_recomputation(world, db, batches):
    """Each example is a new round of partnership A, with three partners, three roles
    and a release tried after every batch; every release's stored report is exactly
    what scan.scoring computes from the answers, also after a later release."""
    a, catalogue = world.a, world.catalogue
    seed = next(EXAMPLES)
    bestuur = partners.add_partner(db, a.id, f"Bestuur {seed}", "bestuur", "vo")
    ids = (a.school, a.institute, bestuur)
    rid = rounds.create_round(db, a.id, "2024-2025", f"Ronde {seed}", [catalogue.sets["mini"]],
                              ids, ROLES, expected=20)
    links = {(x["partner_id"], x["role"]): x["id"] for x in rounds.links(db, rid)}
    sets = rounds.round_sets(db, catalogue, rid)
    qset = sets[0]
    made = []
    for batch in batches:
        for partner, role, first, second, comment in batch:
            answer(db, rid, links[(ids[partner], role)], sets,
                   (partner, role, first, second, comment))
        if releases.release(db, rid, sets, K):
            made.append(releases.latest(db, rid))
        # the release made before stays as stored, and equal to recomputing it
        for release in made:
            row = stored.stored_id(db, rid, release.number, qset, K)
            assert row is not None, "a release stores its reports in its own transaction"
            names = {str(p): f"Nu {p}" for p in ids[:2]}   # the bestuur keeps its old name
            read, _size = stored.load_report(db, row, qset, names)
            assert read == scoring.round_report(db, release, qset, K, names)
            plain, labels = stored.from_json(stored.body(db, row), qset)
            assert plain == scoring.computed(db, release, qset, K)
            # what the page says around the results, read by SQLite out of the JSON
            assert stored.headline(db, row) == stored.Headline.of(plain)
            assert set(labels) <= {str(p) for p in ids}
    if made and made[-1].respondents >= K:
        assert read.shown
    event(f"{len(made)} releases")


def test_json_is_exact_for_floats_and_types(world, db, scored):
    release = releases.latest(db, world.a.round)
    qset = world.catalogue.sets["mini"]
    report = scoring.computed(db, release, qset, K)
    tricky = report.overall.means | {"kennismaken": 0.1 + 0.2, "afstemmen": 1 / 3}
    report = scoring.RoundReport(**{**report.__dict__,
                                    "overall": scoring.GroupScore("all", "all", 8, tricky, {})})
    back, _labels = stored.from_json(stored.to_json(report, {}), qset)
    assert back == report and back.overall.means["kennismaken"] == 0.1 + 0.2
    assert all(isinstance(v, int) for s in back.items.values() for v in s.distribution)


def test_a_release_stores_its_reports_without_partner_names(world, db, scored):
    text = db.execute("select body from released_report where round_id = ?",
                      [world.a.round]).fetchone()[0]
    assert "School a" in text   # only as the release's recorded label, the fallback
    report, labels = stored.from_json(text, world.catalogue.sets["mini"])
    assert _labels(report) <= set(labels) and "School a" not in _labels(report)


def test_a_renamed_partner_shows_its_new_name_at_once(client, auth, world, db, scored):
    auth.login(world.a.emails["viewer"])
    page = f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"
    assert "School a" in client.get(page).get_data(as_text=True)
    partners.update_partner(db, world.a.id, world.a.school, "Kindcentrum Noord", "school", "vo")
    html = client.get(page).get_data(as_text=True)
    assert "Kindcentrum Noord" in html and not re.search(r"School a\b", html)


def test_another_worker_reads_the_stored_report_without_recomputing(
        app_config, client, auth, world, db, scored, monkeypatch):
    auth.login(world.a.emails["viewer"])
    page = f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"
    first = client.get(page).get_data(as_text=True)
    # A new worker: another app on the same database, with no cache of its own.
    released._reports.cache_clear()

    def recompute(*_args, **_kwargs):
        raise AssertionError("recomputed a released report")

    def render_again(*_args, **_kwargs):
        raise AssertionError("rendered the body again instead of reading the kept one")

    monkeypatch.setattr(scoring, "computed", recompute)
    monkeypatch.setattr(scoring, "round_report", recompute)
    monkeypatch.setattr(reports, "_report_body", render_again)
    other = create_app(app_config).test_client()
    other.post("/login", data={"email": world.a.emails["viewer"],
                               "password": "correct horse battery"})
    response = other.get(page)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "2,50" in html and "3,00" in html
    # The body (numbers, figures, tables) is the same as the first worker's.
    body = first.split('<h1>')[1].split("</main>")[0]
    assert body == html.split('<h1>')[1].split("</main>")[0]


def test_a_release_without_stored_reports_is_stored_on_first_read(client, auth, world, db,
                                                                  scored):
    """Releases made before this table existed: computed once on first read, then stored."""
    db.execute("delete from released_report")
    auth.login(world.a.emails["viewer"])
    page = f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"
    released._reports.cache_clear()
    assert "2,50" in client.get(page).get_data(as_text=True)
    assert db.execute("select count(*) from released_report").fetchone()[0] == 1


@pytest.mark.parametrize("threshold", [3, 4])
def test_the_stored_report_follows_the_threshold(world, db, scored, threshold):
    release = releases.latest(db, world.a.round)
    qset = rounds.round_sets(db, world.catalogue, world.a.round)[0]
    row = stored.report_row(db, world.a.round, release.number, qset, threshold)
    report, _size = stored.load_report(db, row, qset, None)
    assert report == scoring.round_report(db, release, qset, threshold)


def test_raising_k_later_leaves_earlier_releases_readable(world, db, scored):
    """docs/privacy.md: raising the threshold affects new releases only. A release made
    at k = 3 is still read (not refused by the audit guard) when k is raised to as many
    people as the round has."""
    release = releases.latest(db, world.a.round)
    qset = rounds.round_sets(db, world.catalogue, world.a.round)[0]
    earlier = scoring.round_report(db, release, qset, 3)
    assert earlier.items
    later = scoring.round_report(db, release, qset, release.respondents)   # was Unaudited
    assert later.shown and later.items.keys() <= earlier.items.keys()

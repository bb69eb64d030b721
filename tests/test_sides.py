"""The mirror that stays (issue 26): school side (schools with their boards) against
institute side, as cells of the release's audit, in an ordinary partnership whose
board has fewer than k respondents; and an attacker who holds every export and
cannot work out the board's answers from the folded side and what else is shown."""

import random

import pytest
from answers import answer
from attacker import Knowledge, observe
from test_anonymity import K, _attack, _close, _export

from scan import partners, rounds, scoring


def _ordinary(world, db, board_people: int, rng: random.Random):
    """Partnership A as most are: one institute, one school board and its school, with
    answers (none "don't know", so every person counts on every theme)."""
    a = world.a
    board = partners.add_partner(db, a.id, "Stichting A", "bestuur", "vo")
    rounds.add_links(db, a.round, [board], ["stuurgroeplid"])
    links = {(x["partner_id"], x["role"]): x["id"] for x in rounds.links(db, a.round)}
    people = ([links[(a.school, "schoolopleider")]] * rng.randint(4, 7)
              + [links[(a.institute, "instituutsopleider")]] * rng.randint(3, 5)
              + [links[(board, "stuurgroeplid")]] * board_people)
    rng.shuffle(people)
    return people


def _person(rng):
    return ("", "", (rng.randint(1, 4), rng.randint(1, 4)),
            (rng.randint(1, 4), rng.randint(1, 4), rng.randint(1, 4)), "")


def _sides(report, dimension):
    return {g.key: g.means[dimension] for g in report.groups if g.kind == "side"}


@pytest.mark.parametrize("seed", range(4))
def test_a_small_board_is_folded_into_the_school_side_and_stays_hidden(world, db, auth, seed):
    rng = random.Random(seed)
    people = _ordinary(world, db, rng.randint(1, K - 1), rng)
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    for link in people:
        answer(db, world.a.round, link, sets, _person(rng))
    auth.login(world.a.emails["coordinator"])
    _close(auth.client, world.a.id, world.a.round)
    export = _export(auth.client, world.a.id, world.a.round)
    mini = export["sets"][0]
    shown = {(r["group_kind"], r["group"]) for r in mini["summary"]}
    # Both sides stand in the mirror; the board never does on its own.
    assert {("side", "school-side"), ("side", "institute-side")} <= shown
    assert ("partner_type", "bestuur") not in shown
    # No side carries its size: the school side's minus the school type's would count
    # the board.
    assert {r["respondents"] for r in mini["summary"] if r["group_kind"] == "side"} == {None}
    assert not [r for r in mini["answers"] if r["partner_type"] == "bestuur"]
    knowledge = Knowledge({}, K)
    observe(knowledge, db, world.a.round, export)
    assert _attack(knowledge) == []


@pytest.mark.parametrize("seed", range(3))
def test_interim_releases_of_folded_sides_give_the_board_away_at_no_moment(world, db, auth,
                                                                           seed):
    """The export saved after every submission, interim results on."""
    rng = random.Random(50 + seed)
    people = _ordinary(world, db, rng.randint(1, K - 1), rng)
    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    auth.login(world.a.emails["coordinator"])
    auth.client.post(f"/p/{world.a.id}/rounds/{world.a.round}/results",
                     data={"mode": "interim"})
    knowledge = Knowledge({}, K)
    for link in people:
        answer(db, world.a.round, link, sets, _person(rng))
        observe(knowledge, db, world.a.round, _export(auth.client, world.a.id, world.a.round))
    _close(auth.client, world.a.id, world.a.round)
    observe(knowledge, db, world.a.round, _export(auth.client, world.a.id, world.a.round))
    assert _attack(knowledge) == []


def test_without_the_fold_the_institute_would_be_hidden_beside_the_school(scored):
    """The hand-built round (a lone bestuurder): on afstemmen the partner types alone
    cannot show the institute next to the school, the sides can."""
    assert _sides(scored, "afstemmen") == {"school-side": pytest.approx(26 / 14),
                                           "institute-side": pytest.approx(29 / 8)}
    school = next(g for g in scored.groups if (g.kind, g.key) == ("partner_type", "school"))
    assert school.means["afstemmen"] is None


def test_a_stored_report_keeps_the_reasons_a_side_is_missing(scored):
    from scan import stored

    text = stored.to_json(scored, {})
    again, _labels = stored.from_json(text, scored.set)
    assert again.sides_left_out == scored.sides_left_out
    assert again.sides_left_out["kennismaken"]["institute-side"] == "few"
    assert scoring.RoundReport(scored.set, 3, 0, None).sides_left_out == {}


def test_the_demo_shows_both_sides_or_says_why(demo_app):
    from scan.demo import DEMO_PASSWORD

    demo_app.config["WTF_CSRF_ENABLED"] = False
    client = demo_app.test_client()
    client.post("/login", data={"email": "coordinator@demo.samenscan.nl",
                                "password": DEMO_PASSWORD})
    closed = client.get("/p/1/rounds/1/report/samen-opleiden").get_data(as_text=True)
    mirror = closed.split('id="sides"')[1].split("</section>")[0]
    # Both sides head the table without a size: the school side's n beside the school
    # type's n would count a small board folded into it.
    school = "Schoolkant (scholen en besturen)"
    assert (f'<th scope="col"><span aria-hidden="true" title="{school}">School</span>'
            f'<span class="visually-hidden">{school}</span></th>' in mirror)
    assert ('<th scope="col"><span aria-hidden="true" title="Instituutskant">Instituut</span>'
            '<span class="visually-hidden">Instituutskant</span></th>' in mirror)
    assert "(n=" not in mirror
    assert "staat er niet bij" not in mirror        # both sides on every theme
    # Kempenland's open round: its institute has too few people so far, and the page
    # says so per theme instead of leaving the chart without a word.
    interim = client.get("/p/2/rounds/4/report/samen-opleiden").get_data(as_text=True)
    mirror = interim.split('id="sides"')[1].split("</section>")[0]
    assert "De instituutskant staat er niet bij: minder dan 3 mensen" in mirror


def test_comments_stand_under_a_side_but_never_for_the_folded_board(scored):
    """On afstemmen the school type and the schoolopleider role are hidden (the fold),
    yet the school has 4 people there: a schoolopleider's comment stands under the
    school side. The lone bestuurder is in the school side too, but their own type
    is small: their comment never appears."""
    comments = scored.comments["afstemmen"]
    assert '=HYPERLINK("http://x","klik")' in comments
    assert "Alleen ik zeg dit" not in comments
    assert "Goede jaarplanning" in comments


def test_a_side_nobody_gave_a_value_for_reads_like_a_small_one():
    """"None of its people answered" beside a response table that shows its partner
    answered would say that its few people answered only "don't know"."""
    from scan import sides

    assert sides._reasons([], [], lambda _side: 0, 3) == {"school-side": "few",
                                                          "institute-side": "few"}

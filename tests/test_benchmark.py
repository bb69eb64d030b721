"""The opt-in benchmark: a partnership's theme means beside the quartiles of the others,
under disclosure control at the level of partnerships (docs/privacy.md)."""

from datetime import date
from types import SimpleNamespace

import pytest
from answers import answer

from scan import accounts, benchmark, partners, releases, rounds
from scan.benchmark import quartiles, window

YEAR = "2024-2025"
AFTER = date(2025, 9, 1)
PASSWORD = "correct horse battery"


def make_partnership(db, catalogue, number: int, values: list[int], people: int = 3,
                     year: str = YEAR, opt_in: bool = True) -> SimpleNamespace:
    """A partnership whose closed round of `year` was answered by `people` people, the
    i-th giving values[i % len(values)] to every statement."""
    pid = accounts.create_partnership(db, f"Veld {number}")
    email = f"coordinator@veld-{number}.nl"
    user = accounts.create_user(db, email, f"Coordinator {number}", PASSWORD)
    accounts.set_member(db, pid, user, "coordinator")
    school = partners.add_partner(db, pid, f"School veld {number}", "school", "vo")
    rid = rounds.create_round(db, pid, year, f"Scan {number}", [catalogue.sets["mini"]],
                              [school], ["schoolopleider"], expected=20)
    link = rounds.links(db, rid)[0]["id"]
    sets = rounds.round_sets(db, catalogue, rid)
    for i in range(people):
        v = values[i % len(values)]
        answer(db, rid, link, sets, ("school", "schoolopleider", (v, v), (v, v, v), ""))
    rounds.set_status(db, rid, "closed")
    releases.release(db, rid, sets, 3)
    if opt_in:
        benchmark.set_choice(db, pid, "mini", True)
    return SimpleNamespace(id=pid, round=rid, email=email, user=user)


@pytest.fixture
def field(app, db):
    """Seven partnerships that released the mini set in 2024-2025 and opted in; their
    kennismaken means are 1.00, 1.33, 2.00, 2.33, 3.00, 3.33 and 4.00."""
    catalogue = app.extensions["samenscan.catalogue"]
    value_sets = [[1], [1, 1, 2], [2], [2, 2, 3], [3], [3, 3, 4], [4]]
    return [make_partnership(db, catalogue, n, values)
            for n, values in enumerate(value_sets, start=1)]


def publish(app, db, today=AFTER):
    return benchmark.publish_due(db, app.extensions["samenscan.catalogue"], 3, "mini", YEAR,
                                 today)


def page(client, auth, member, year=YEAR) -> str:
    auth.login(member.email)
    response = client.get(f"/p/{member.id}/benchmark/mini/{year}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def table(html: str) -> str:
    return html[html.index('<table class="scores benchmark">'):html.index("</table>")]


@pytest.mark.parametrize("n", range(5, 40))
def test_every_quartile_is_the_mean_of_two_or_three_partnerships(n):
    for q in benchmark.QUARTILES:
        ranks = window(n, q)
        assert 2 <= len(ranks) <= 3 and min(ranks) >= 0 and max(ranks) < n
        assert ranks == list(range(ranks[0], ranks[-1] + 1))


def test_quartiles_by_hand():
    # 5 values: ranks 0-2, 1-3, 2-4; 6 values: ranks 1-2, 2-3, 3-4.
    assert quartiles([4.0, 1.0, 2.0, 3.0, 5.0]) == (2.0, 3.0, 4.0)
    assert quartiles([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]) == (2.5, 3.5, 4.5)


def test_the_benchmark_shows_own_mean_beside_the_others_quartiles(client, auth, field, db,
                                                                  app):
    html = page(client, auth, field[0])
    row = html.split('data-dimension="kennismaken"')[1].split("</tr>")[0]
    # Own 1.00; the six others 1.33 2.00 2.33 3.00 3.33 4.00: ranks 1-2, 2-3, 3-4.
    assert "<td>1,00</td>" in row
    assert "<td>2,2</td><td>2,7</td><td>3,2</td>" in row
    assert "<td>6</td>" in row
    for other in field[1:]:
        assert f"Veld {other.id}" not in html
    assert benchmark.publication(db, "mini", YEAR,
                                 next(iter(benchmark.contributions(
                                     db, app.extensions["samenscan.catalogue"], 3, "mini",
                                     YEAR)))) is not None


def test_nothing_before_six_partnerships_took_part(client, auth, app, db, field):
    benchmark.set_choice(db, field[-1].id, "mini", False)
    benchmark.set_choice(db, field[-2].id, "mini", False)
    assert publish(app, db) == []
    html = page(client, auth, field[0])
    assert "Nog geen benchmark voor dit schooljaar" in html
    assert "<td>2,2</td>" not in html


def test_nothing_while_the_school_year_runs(app, db, field):
    assert publish(app, db, today=date(2025, 7, 31)) == []
    assert len(publish(app, db, today=date(2025, 8, 1))) == 1


def test_a_partnership_that_does_not_take_part_sees_nothing(client, auth, app, db, field):
    publish(app, db)
    benchmark.set_choice(db, field[0].id, "mini", False)
    html = page(client, auth, field[0])
    assert "<td>2,2</td>" not in html and "kennismaken" not in html


def test_the_publication_is_frozen_against_opt_ins_and_opt_outs(client, auth, app, db, field):
    publish(app, db)
    before = page(client, auth, field[0])
    catalogue = app.extensions["samenscan.catalogue"]
    newcomer = make_partnership(db, catalogue, 8, [1])
    benchmark.set_choice(db, field[3].id, "mini", False)
    assert publish(app, db) == []
    auth.logout()
    assert table(page(client, auth, field[0])) == table(before)
    # The newcomer (no member) sees the seven members' distribution; a partnership that
    # stopped sees nothing.
    auth.logout()
    late = page(client, auth, newcomer)
    assert "<td>7</td>" in late
    auth.logout()
    assert "<td>2,2</td>" not in page(client, auth, field[3])


def test_a_person_in_two_partnerships_sees_neither_among_the_others(client, auth, app, db,
                                                                   field):
    accounts.set_member(db, field[1].id, field[0].user, "viewer")
    publish(app, db)
    html = page(client, auth, field[0])
    row = html.split('data-dimension="kennismaken"')[1].split("</tr>")[0]
    # Others: 2.00 2.33 3.00 3.33 4.00 (not 1.33, Veld 2's): ranks 0-2, 1-3, 2-4.
    assert "<td>2,4</td><td>2,9</td><td>3,4</td>" in row and "<td>5</td>" in row


def test_fewer_than_five_others_shows_no_figure(client, auth, app, db, field):
    accounts.set_member(db, field[1].id, field[0].user, "viewer")
    accounts.set_member(db, field[2].id, field[0].user, "viewer")
    publish(app, db)
    html = page(client, auth, field[0])
    row = html.split('data-dimension="kennismaken"')[1].split("</tr>")[0]
    assert "minder dan 5" in row
    assert not any(f"<td>{x}</td>" in row for x in ("2.2", "2.7", "3.2", "2.9", "3.4"))


def test_one_dominant_partnership_withholds_the_theme(client, auth, app, db):
    catalogue = app.extensions["samenscan.catalogue"]
    members = [make_partnership(db, catalogue, n, [n % 4 + 1]) for n in range(1, 6)]
    big = make_partnership(db, catalogue, 6, [2, 3], people=16)
    publish(app, db)
    html = page(client, auth, members[0])
    row = html.split('data-dimension="kennismaken"')[1].split("</tr>")[0]
    assert "meer dan de helft" in row
    auth.logout()
    # Seen from the big partnership, the others are all small: shown.
    assert "<td>5</td>" in page(client, auth, big).split('data-dimension="kennismaken"')[1]


def test_only_coordinators_choose_and_the_choice_is_audited(client, auth, world, db):
    auth.login(world.a.emails["viewer"])
    assert client.post(f"/p/{world.a.id}/benchmark/mini/on").status_code == 403
    auth.logout()
    auth.login(world.a.emails["coordinator"])
    assert client.post(f"/p/{world.a.id}/benchmark/mini/on").status_code == 302
    assert benchmark.opted_in(db, world.a.id) == {"mini"}
    assert client.post(f"/p/{world.a.id}/benchmark/onbekend/on").status_code == 404
    assert client.post(f"/p/{world.a.id}/benchmark/mini/misschien").status_code in (404, 405)
    assert "benchmark on" in [r["action"] for r in accounts.audit_log(db, world.a.id)]
    assert benchmark.opted_in(db, world.b.id) == set()


def test_a_year_without_a_closed_round_is_404(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    assert client.get(f"/p/{world.a.id}/benchmark/mini/2025-2026").status_code == 404
    assert client.get(f"/p/{world.a.id}/benchmark/mini/1999-2000").status_code == 404

"""A workshop of people saving pages at the same moment loses no answer."""

import threading

import pytest

from scan import accounts, responses, rounds
from scan.database import connect

THREADS = 50


def test_fifty_respondents_saving_at_once_lose_nothing(app, world):
    path = app.config["DATABASE"]
    setup = connect(path)
    sets = rounds.round_sets(setup, world.catalogue, world.a.round)
    page = responses.pages(sets)[1]
    rounds.set_invited(setup, world.a.round, {world.a.link: THREADS})   # fifty expected
    people = [responses.respondent(setup, responses.start(setup, world.a.round, world.a.link))
              for _ in range(THREADS)]
    setup.conn.close()
    acknowledged, errors = [], []
    barrier = threading.Barrier(THREADS)

    def save(person, n):
        db = connect(path)  # one connection per request, as in the app
        answers = {item.id: 1 + (n + i) % 4 for i, item in enumerate(page.dimension.items)}
        try:
            barrier.wait()
            responses.save_page(db, person["id"], world.a.round, page, answers, f"nr {n}")
            acknowledged.append((person["id"], answers))
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            errors.append(repr(exc))
        finally:
            db.conn.close()

    threads = [threading.Thread(target=save, args=(p, n)) for n, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(acknowledged) == THREADS
    check = connect(path)
    rows = {(r["respondent_id"], r["item_id"]): r["value"]
            for r in check.query("select respondent_id, item_id, value from answer")}
    for person_id, answers in acknowledged:
        for item, value in answers.items():
            assert rows[(person_id, item)] == value
    assert check.execute("select count(*) from comment").fetchone()[0] == THREADS


def test_fifty_browsers_posting_pages_at_once_through_the_app(app, world, new_respondent, db):
    rounds.set_invited(db, world.a.round, {world.a.link: THREADS})   # fifty expected
    people = [new_respondent(world.a.token) for _ in range(THREADS)]
    for person in people:
        person.start()
    statuses, barrier = [], threading.Barrier(THREADS)

    def post(person, n):
        barrier.wait()
        response = person.save(0, "kennismaken", {"mini-k-1": str(1 + n % 4), "mini-k-2": "0"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(p, n)) for n, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * THREADS
    db = connect(app.config["DATABASE"])
    assert db.execute("select count(*) from answer").fetchone()[0] == 2 * THREADS


def test_a_read_left_half_way_holds_no_old_snapshot(app, world):
    """Each worker thread keeps its connection between requests (scan.db): a read
    whose rows were never used (an error in between) must not pin the database as it
    was, or the next requests on that thread would read old data and could not write."""
    path = app.config["DATABASE"]
    kept, other = connect(path), connect(path)
    unused = kept.query("select id, name from partnership")   # never iterated
    accounts.create_partnership(other, "Partnerschap C")       # another worker writes
    names = [r["name"] for r in kept.query("select name from partnership")]
    assert "Partnerschap C" in names
    accounts.create_partnership(kept, "Partnerschap D")        # and this one still can
    assert unused is not None
    kept.conn.close()
    other.conn.close()


def test_a_statement_without_rows_is_refused_before_it_runs(app, world, db):
    before = db.execute("select count(*) from partnership").fetchone()
    with pytest.raises(ValueError):
        db.query("delete from partnership")
    assert db.execute("select count(*) from partnership").fetchone() == before

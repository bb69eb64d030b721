"""Joint scoring (samen scoren) in the domain: steps, placements, anonymity, agreements."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from scan import joint, workshops

SCALE = (1, 2, 3, 4)


@pytest.fixture
def session(world, db):
    wid = workshops.create(db, world.a.id, "Samen scoren", date(2026, 3, 1), world.a.round,
                           ["mini-deck"], set_id="mini",
                           dimension_ids=("kennismaken", "afstemmen"))
    return wid


def _people(db, wid, types):
    tokens = [joint.join(db, wid, t, "schoolopleider") for t in types]
    return [joint.participant(db, wid, t) for t in tokens]


def test_a_session_goes_place_spread_agree_and_on(db, world, session):
    people = _people(db, session, ["school"] * 3 + ["instituut"] * 3)
    for person, value in zip(people, [1, 2, 2, 3, 3, 4], strict=True):
        joint.place(db, session, person, "kennismaken", value, SCALE)
    joint.place(db, session, people[0], "kennismaken", 2, SCALE)  # changed before the reveal
    assert joint.counts(db, workshops.workshop_of(db, world.a.id, session))["placed"] == 6
    joint.set_step(db, session, "spread")
    shown = joint.spread(db, session, "kennismaken")
    assert shown.counts == {2: 3, 3: 2, 4: 1}
    assert shown.by_type == {"school": {2: 3}, "instituut": {3: 2, 4: 1}}
    with pytest.raises(joint.NotNow):
        joint.place(db, session, people[1], "kennismaken", 4, SCALE)
    with pytest.raises(joint.NotNow):
        joint.set_step(db, session, "place")
    # Nobody, not even the database, links a placement to a person after the reveal.
    assert db.execute("select count(*) from placement where participant_id is not null"
                      ).fetchone()[0] == 0
    joint.set_step(db, session, "agree")
    joint.agree(db, session, "kennismaken", 3, "Beide kanten noemen dezelfde afspraken.", SCALE,
                ("Kennismakingsdag plannen", "Stuurgroep", date(2026, 4, 1)))
    joint.agree(db, session, "kennismaken", 3, "Beide kanten noemen dezelfde afspraken.", SCALE,
                ("Kennismakingsdag plannen", "Stuurgroep", date(2026, 4, 1)))  # double click
    actions = workshops.actions(db, world.a.id, workshop_id=session)
    assert [(a["text"], a["dimension_id"]) for a in actions] == [
        ("Kennismakingsdag plannen", "kennismaken")]
    agreed = joint.agreed_scores(db, world.a.round, "mini")
    assert agreed["kennismaken"]["score"] == 3
    joint.go_to(db, session, 1)
    here = joint.current(db, workshops.workshop_of(db, world.a.id, session))
    assert (here["dimension_id"], here["step"]) == ("afstemmen", "place")


def test_fewer_than_three_placements_are_not_shown(db, session):
    people = _people(db, session, ["school", "instituut"])
    for person in people:
        joint.place(db, session, person, "kennismaken", 2, SCALE)
    joint.set_step(db, session, "spread")
    shown = joint.spread(db, session, "kennismaken")
    assert (shown.placed, shown.counts, shown.mean) == (2, None, None)


def test_one_colour_when_a_partner_type_has_fewer_than_three(db, session):
    # Colouring by type with 4 school and 2 institute placements would show the
    # two institute placements; with one colour nothing is left to subtract.
    people = _people(db, session, ["school"] * 4 + ["instituut"] * 2)
    for person in people:
        joint.place(db, session, person, "kennismaken", 3, SCALE)
    joint.set_step(db, session, "spread")
    shown = joint.spread(db, session, "kennismaken")
    assert shown.counts == {3: 6} and shown.by_type is None


def test_bad_placements_store_nothing(db, world, session):
    person, other = _people(db, session, ["school", "school"])
    with pytest.raises(joint.OutOfScale):
        joint.place(db, session, person, "kennismaken", 5, SCALE)
    with pytest.raises(joint.NotNow):  # not the dimension on screen
        joint.place(db, session, person, "afstemmen", 2, SCALE)
    joint.place(db, session, person, "kennismaken", 2, SCALE)
    joint.place(db, session, person, "kennismaken", 2, SCALE)  # double tap
    assert db.execute("select count(*) from placement").fetchone()[0] == 1
    workshops.set_status(db, session, "closed")
    with pytest.raises(workshops.SessionClosed):
        joint.place(db, session, other, "kennismaken", 2, SCALE)


def test_agreeing_needs_a_revealed_spread_a_scale_point_and_evidence(db, session):
    with pytest.raises(joint.NotNow):
        joint.agree(db, session, "kennismaken", 3, "Gezien.", SCALE)
    joint.set_step(db, session, "spread")
    with pytest.raises(joint.OutOfScale):
        joint.agree(db, session, "kennismaken", 0, "Gezien.", SCALE)
    with pytest.raises(ValueError):
        joint.agree(db, session, "kennismaken", 3, "   ", SCALE)
    assert db.execute("select score from joint_dimension where dimension_id = 'kennismaken'"
                      ).fetchone()[0] is None


def test_notes_are_anonymous_and_kept_once(db, session):
    joint.add_note(db, session, "kennismaken", "Wie belt wie?")
    with pytest.raises(workshops.Duplicate):
        joint.add_note(db, session, "kennismaken", " Wie belt wie? ")
    with pytest.raises(ValueError):
        joint.add_note(db, session, "kennismaken", "x" * (joint.NOTE_MAX + 1))
    assert joint.notes(db, session, "kennismaken") == ["Wie belt wie?"]
    columns = {c.name for c in db["sticky_note"].columns}
    assert not columns & {"participant_id", "participant"}


def test_a_dot_vote_orders_what_is_left(db, world, session):
    wid = workshops.create(db, world.a.id, "Drie thema's", date(2026, 3, 2), world.a.round, [],
                           set_id="mini", dimension_ids=("kennismaken", "afstemmen", "x"))
    people = _people(db, wid, ["school"] * 3)
    with pytest.raises(joint.NotNow):
        joint.cast_dots(db, wid, people[0], {"x": 1})
    joint.start_vote(db, wid, 3)
    with pytest.raises(ValueError):
        joint.cast_dots(db, wid, people[0], {"x": 4})
    for person in people:
        joint.cast_dots(db, wid, person, {"x": 2, "afstemmen": 1})
    assert joint.end_vote(db, wid) == {"x": 6, "afstemmen": 3}
    assert [d["dimension_id"] for d in joint.dimensions(db, wid)] == [
        "kennismaken", "x", "afstemmen"]


def test_a_poll_reads_the_theme_on_screen_alone_and_gets_what_the_whole_list_says(
        db, world):
    """Polls read only the row on screen and the number of rows; every screen must still
    see the same state as from the whole list, also after a dot vote reordered the
    themes and at a position past the end."""
    wid = workshops.create(db, world.a.id, "Drie thema's", date(2026, 3, 2), world.a.round, [],
                           set_id="mini", dimension_ids=("kennismaken", "afstemmen", "x"))
    people = _people(db, wid, ["school"] * 3)
    joint.start_vote(db, wid, 3)
    for person in people:
        joint.cast_dots(db, wid, person, {"x": 2, "afstemmen": 1})
    joint.end_vote(db, wid)
    seen = []
    for position in (0, 1, 2, 7):
        db.execute("update workshop set position = ? where id = ?", [position, wid])
        workshop = workshops.workshop_of(db, world.a.id, wid)
        rows = joint.dimensions(db, wid)
        assert joint.state(db, workshop) == joint.state(db, workshop, rows)
        assert joint.counts(db, workshop) == joint.counts(db, workshop, rows)
        seen.append(joint.state(db, workshop)["dimension"])
    assert seen == ["kennismaken", "x", "afstemmen", "afstemmen"]


def test_the_timer_counts_on_the_server_clock(db, world, session):
    start = datetime(2026, 3, 1, 10, 0, tzinfo=joint.UTC)
    joint.set_timer(db, session, 5, now=start)
    workshop = workshops.workshop_of(db, world.a.id, session)
    assert joint.seconds_left(workshop, start + timedelta(minutes=1)) == 240
    assert joint.seconds_left(workshop, start + timedelta(minutes=9)) == 0
    with pytest.raises(ValueError):
        joint.set_timer(db, session, joint.TIMER_MAX_MINUTES + 1)


def test_dot_totals_appear_only_after_the_vote_and_keep_no_one_s_dots(db, world, session):
    people = _people(db, session, ["school"] * 3)
    joint.start_vote(db, session, 2)
    for person in people:
        joint.cast_dots(db, session, person, {"afstemmen": 2})
    assert joint.tally(db, session) is None  # a running total would show each new voter
    joint.end_vote(db, session)
    assert joint.tally(db, session) == {"afstemmen": 6}
    assert db.execute("select count(*) from dot").fetchone()[0] == 0
    with pytest.raises(joint.NotNow):  # a second tap on "end"
        joint.end_vote(db, session)


def test_closing_the_session_forgets_the_participants(db, session):
    people = _people(db, session, ["school", "instituut", "bestuur"])
    for person in people:
        joint.place(db, session, person, "kennismaken", 2, SCALE)
    joint.start_vote(db, session, 1)
    joint.cast_dots(db, session, people[0], {"afstemmen": 1})
    workshops.set_status(db, session, "closed")
    assert db.execute("select count(*) from participant").fetchone()[0] == 0
    assert db.execute("select count(*) from dot").fetchone()[0] == 0
    # Never revealed: the placements go, so a reopened session cannot show them (issue 21).
    assert db.execute("select count(*) from placement").fetchone()[0] == 0


def test_closing_keeps_revealed_placements_without_their_tie(db, session):
    people = _people(db, session, ["school", "instituut", "bestuur"])
    for person in people:
        joint.place(db, session, person, "kennismaken", 2, SCALE)
    joint.set_step(db, session, "spread")
    workshops.set_status(db, session, "closed")
    assert db.execute("select count(*) from placement where participant_id is null"
                      ).fetchone()[0] == 3


def test_notes_are_listed_alphabetically_not_in_the_order_written(db, session):
    for body in ["Zoveel afspraken", "Alleen op papier", "Misschien"]:
        joint.add_note(db, session, "kennismaken", body)
    assert joint.notes(db, session, "kennismaken") == [
        "Alleen op papier", "Misschien", "Zoveel afspraken"]

"""The years page says so when a theme's statements changed between years."""

from __future__ import annotations

import json

from answers import answer, released_report

from scan import rounds


def _earlier_year(world, db, item_ids, afstemmen):
    earlier = rounds.create_round(db, world.a.id, "2024-2025", "Vorig jaar",
                                  [world.catalogue.sets["mini"]], [world.a.school],
                                  ["schoolopleider"], expected=20)
    db.execute("update round_set set item_ids = ? where round_id = ?",
               [json.dumps(item_ids), earlier])
    link = rounds.links(db, earlier)[0]["id"]
    sets = rounds.round_sets(db, world.catalogue, earlier)
    for _ in range(3):
        answer(db, earlier, link, sets, ("school", "schoolopleider", (2, 2), afstemmen, ""))
    return released_report(db, earlier, world.catalogue)


def _years(client, auth, world) -> str:
    auth.login(world.a.emails["viewer"])
    client.set_cookie("lang", "en")
    return client.get(f"/p/{world.a.id}/years/mini").get_data(as_text=True)


def test_a_statement_asked_in_one_year_only_gets_a_note_with_that_years_report_mean(
        client, auth, world, db, scored):
    # Last year asked a third "afstemmen" statement this year's round no longer asks.
    db.execute("update round_set set item_ids = ? where round_id = ?",
               [json.dumps(["mini-k-1", "mini-k-2", "mini-a-1", "mini-a-2"]), world.a.round])
    last_year = _earlier_year(world, db, ["mini-k-1", "mini-k-2", "mini-a-1", "mini-a-2",
                                          "mini-a-3"], (2, 2, 4))
    reported = last_year.overall.means["afstemmen"]
    assert round(reported, 2) == 2.67
    html = _years(client, auth, world)
    note = html.split('id="statements-changed">')[1].split("</div>")[0]
    assert "the report of 2024-2025 shows 2.67" in note
    assert "<li>Aligning: the report of 2024-2025 shows 2.67.</li>" in note
    assert note.count("<li>") == 1   # getting acquainted: its statements stayed the same


def test_no_note_when_every_year_asked_the_same_statements(client, auth, world, db, scored):
    _earlier_year(world, db, ["mini-k-1", "mini-k-2", "mini-a-1", "mini-a-2", "mini-a-3"],
                  (2, 2, 4))
    assert 'id="statements-changed"' not in _years(client, auth, world)

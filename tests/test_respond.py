"""A respondent answers a round page by page, can leave and resume, and submits."""

import re

import pytest

from scan import rounds

FIRST = {"mini-k-1": "3", "mini-k-2": "0"}  # 0 is "don't know"
SECOND = {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "1"}


def stored(db, respondent_token=None):
    return {r["item_id"]: (r["value"], r["dont_know"])
            for r in db.query("select item_id, value, dont_know from answer")}


def test_group_link_shows_who_you_answer_as(client, world):
    page = client.get(f"/s/{world.a.token}").get_data(as_text=True)
    link = world.a.links[0]
    assert "Partnerschap A" in page and link["partner"] in page
    assert link["role"] == "instituutsopleider"
    assert "Instituutsopleider" in page


def test_start_gives_a_resume_link_and_a_cookie(respondent):
    response = respondent.start()
    assert response.status_code == 302 and respondent.resume
    welcome = respondent.client.get(response.location).get_data(as_text=True)
    assert f"/r/{respondent.resume}" in welcome
    assert respondent.client.get_cookie(f"resume_{1}") is not None


def test_whole_journey_stores_every_answer_and_ends_with_thanks(respondent, db):
    respondent.start()
    assert respondent.save(0, "kennismaken", FIRST, comment="Goed begin").status_code == 302
    response = respondent.save(1, "afstemmen", SECOND)
    assert response.location.endswith(f"/r/{respondent.resume}/review")
    response = respondent.submit()
    assert response.location.endswith("/thanks")
    assert respondent.client.get(response.location).status_code == 200
    assert stored(db) == {"mini-k-1": (3, 0), "mini-k-2": (None, 1), "mini-a-1": (4, 0),
                          "mini-a-2": (2, 0), "mini-a-3": (1, 0)}
    assert db.execute("select body from comment").fetchone()[0] == "Goed begin"
    assert db.execute("select submitted_at is not null from respondent").fetchone()[0] == 1


def test_resume_link_returns_to_the_first_unsaved_page_with_answers_filled(app, world,
                                                                          new_respondent):
    first_browser = new_respondent(world.a.token)
    first_browser.start()
    first_browser.save(0, "kennismaken", FIRST, comment="Eerste indruk")
    other_device = app.test_client()
    response = other_device.get(f"/r/{first_browser.resume}")
    assert response.location.endswith(f"/r/{first_browser.resume}/p/1")
    earlier = other_device.get(f"/r/{first_browser.resume}/p/0").get_data(as_text=True)
    checked = re.findall(r'<input checked [^>]*name="([\w-]+)"[^>]*value="(\d)"', earlier)
    assert checked == [("mini-k-1", "3"), ("mini-k-2", "0")]
    assert "Eerste indruk" in earlier


def test_group_link_in_the_same_browser_continues_instead_of_starting_again(respondent, db):
    respondent.start()
    again = respondent.client.get(f"/s/{respondent.group_token}").get_data(as_text=True)
    assert f"/r/{respondent.resume}" in again
    respondent.client.post(f"/s/{respondent.group_token}")  # a second click on "start"
    assert db.execute("select count(*) from respondent").fetchone()[0] == 1


def test_progress_bar_shows_where_you_are(respondent):
    respondent.start()
    page = respondent.page(1).status_code
    assert page == 302  # page 2 is not reachable before page 1 is saved
    html = respondent.page(0).get_data(as_text=True)
    assert '<progress id="progress" max="2" value="1">' in html
    assert "Pagina 1 van 2" in html


def test_the_welcome_page_and_the_progress_count_the_same_pages(respondent):
    landing = respondent.client.get(f"/s/{respondent.group_token}").get_data(as_text=True)
    assert "op 2 pagina's" in landing
    respondent.start()
    respondent.save(0, "kennismaken", FIRST)
    respondent.save(1, "afstemmen", {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "0"})
    review = respondent.client.get(f"/r/{respondent.resume}/review").get_data(as_text=True)
    assert '<progress id="progress" max="2" value="2">' in review
    assert "van 3" not in review


def test_saving_the_same_page_twice_changes_nothing(respondent, db):
    respondent.start()
    respondent.save(0, "kennismaken", FIRST, comment="x")
    before = (stored(db), list(db.query("select * from comment")),
              list(db.query("select next_page from respondent")))
    respondent.save(0, "kennismaken", FIRST, comment="x")
    after = (stored(db), list(db.query("select * from comment")),
             list(db.query("select next_page from respondent")))
    assert before == after


def test_going_back_saves_what_was_answered_without_requiring_the_rest(respondent, db):
    respondent.start()
    respondent.save(0, "kennismaken", FIRST)
    response = respondent.save(1, "afstemmen", {"mini-a-1": "2"}, button="back")
    assert response.location.endswith("/p/0")
    assert stored(db)["mini-a-1"] == (2, 0)


def test_next_without_every_item_answered_asks_for_the_rest(respondent, db):
    respondent.start()
    response = respondent.save(0, "kennismaken", {"mini-k-1": "2"})
    assert response.status_code == 400
    assert "weet ik niet" in response.get_data(as_text=True).lower()
    assert stored(db) == {}


@pytest.mark.parametrize("answers, extra", [
    ({"mini-k-1": "7", "mini-k-2": "1"}, {}),            # off the scale
    ({"mini-k-1": "-1", "mini-k-2": "1"}, {}),           # negative
    ({"mini-k-1": "drie", "mini-k-2": "1"}, {}),         # not a number
    ({"mini-k-1": "3", "mini-k-2": "1"}, {"mini-a-1": "3"}),  # an item of another page
    ({"mini-k-1": "3", "mini-k-2": "1"}, {"made-up-item": "3"}),  # an unknown item
    ({"mini-k-1": "3", "mini-k-2": "1"}, {"page": "afstemmen"}),  # tampered hidden field
])
def test_bad_answers_are_refused_and_stored_answers_stay(respondent, db, answers, extra):
    respondent.start()
    respondent.save(0, "kennismaken", FIRST)
    response = respondent.save(0, "kennismaken", answers, **extra)
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True)
    assert stored(db) == {"mini-k-1": (3, 0), "mini-k-2": (None, 1)}


def test_an_oversized_comment_is_refused_with_a_message(respondent, db):
    respondent.start()
    respondent.save(0, "kennismaken", FIRST, comment="kort")
    response = respondent.save(0, "kennismaken", FIRST, comment="x" * 4001)
    assert response.status_code == 400
    assert "4000" in response.get_data(as_text=True)
    assert db.execute("select body from comment").fetchone()[0] == "kort"


def test_a_request_body_over_the_limit_is_refused(respondent):
    respondent.start()
    response = respondent.save(0, "kennismaken", FIRST, comment="x" * 600_000)
    assert response.status_code == 413


def test_unknown_links_get_a_clear_404(client):
    assert client.get("/s/not-a-real-link").status_code == 404
    response = client.get("/r/not-a-real-resume-link")
    assert response.status_code == 404
    assert "link" in response.get_data(as_text=True).lower()


def test_a_closed_round_answers_links_with_410_and_stores_nothing(respondent, db, world):
    respondent.start()
    respondent.save(0, "kennismaken", FIRST)
    rounds.set_status(db, world.a.round, "closed")
    assert respondent.client.get(f"/s/{world.a.token}").status_code == 410
    response = respondent.save(1, "afstemmen", SECOND)
    assert response.status_code == 410
    assert "gesloten" in response.get_data(as_text=True)
    assert set(stored(db)) == {"mini-k-1", "mini-k-2"}


def test_after_submitting_answers_are_final(respondent, db):
    respondent.start()
    respondent.save(0, "kennismaken", FIRST)
    respondent.save(1, "afstemmen", SECOND)
    respondent.submit()
    response = respondent.save(0, "kennismaken", {"mini-k-1": "1", "mini-k-2": "1"})
    assert response.location.endswith("/thanks")
    assert stored(db)["mini-k-1"] == (3, 0)


def test_submit_before_the_last_page_is_not_possible(respondent, db):
    respondent.start()
    respondent.save(0, "kennismaken", FIRST)
    response = respondent.submit()
    assert response.status_code == 302
    assert respondent.client.get(response.location).location.endswith("/p/1")
    assert db.execute("select submitted_at from respondent").fetchone()[0] is None


def test_english_respondents_see_english_questions(respondent):
    respondent.start()
    respondent.client.get("/lang/en")
    html = respondent.page(0).get_data(as_text=True)
    assert "We know what the other partner does." in html
    assert '<html lang="en">' in html


def test_a_colleague_on_the_same_computer_can_start_afresh(respondent, db):
    respondent.start()
    first = respondent.resume
    respondent.save(0, "kennismaken", FIRST)
    response = respondent.client.post(f"/s/{respondent.group_token}", data={"fresh": "1"})
    assert "/welcome" in response.location and first not in response.location
    assert db.execute("select count(*) from respondent").fetchone()[0] == 2
    assert set(stored(db)) == {"mini-k-1", "mini-k-2"}  # the first person's answers stay

"""Agreements that are followed up: the theme an agreement takes by default, overdue
actions, the progress log, the review of open actions at the start of the next session,
and on the years page each theme's change beside its actions and trends per group."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from answers import answer, released_report

from scan import rounds, workshops

TODAY = date.today()


@pytest.fixture
def facilitator(client, auth, world):
    """A's facilitator, reading in English (the Dutch of new texts comes later)."""
    client.set_cookie("lang", "en")
    auth.login(world.a.emails["facilitator"])
    return client


def plan_url(world):
    return f"/p/{world.a.id}/actions/"


def progress_url(world, aid=None):
    return f"/p/{world.a.id}/actions/{aid or world.a.action}/progress"


def entry(**overrides):
    return {"progress-at": TODAY.isoformat(), "progress-status": "bezig",
            "progress-note": "Eerste overleg gehad", **overrides}


def log_rows(db, aid):
    return list(db.query("select * from action_log where action_id = ?", [aid]))


def agreement_form(html: str) -> str:
    return html.split('/agreements"')[1].split("</form>")[0]


def section(html: str, marker: str, end: str = "</section>") -> str:
    return html.split(marker, 1)[1].split(end, 1)[0]


# ---- the theme of an agreement ---------------------------------------------------------

def test_the_default_theme_is_the_cards_first_theme_the_round_asked():
    assert workshops.default_theme(("a", "b"), {"b", "c"}) == "b"
    assert workshops.default_theme(("a", "b"), {"x"}) == "a"
    assert workshops.default_theme(("a", "b"), set()) == "a"
    assert workshops.default_theme((), {"a"}) == ""


def test_an_agreement_on_a_drawn_card_takes_the_cards_theme(facilitator, world, db):
    page = facilitator.get(f"/p/{world.a.id}/workshops/{world.a.workshop}").text
    assert re.search(r'<option selected value="kennismaken">', agreement_form(page))
    workshops.add_card(db, world.a.workshop, "md-02")
    workshops.move(db, world.a.workshop, 1)
    page = facilitator.get(f"/p/{world.a.id}/workshops/{world.a.workshop}").text
    form = agreement_form(page)
    assert re.search(r'<option selected value="afstemmen">', form)
    assert 'selected value="kennismaken"' not in form


def test_a_refused_agreement_keeps_the_theme_that_was_chosen(facilitator, world):
    response = facilitator.post(
        f"/p/{world.a.id}/workshops/{world.a.workshop}/cards/{world.a.drawn}/agreements",
        data={"text": "", "owner": "x", "dimension": "afstemmen"})
    assert response.status_code == 400
    form = agreement_form(response.text)
    assert '<option selected value="afstemmen">' in form
    assert 'selected value="kennismaken"' not in form


def test_an_action_without_a_theme_shows_under_general_on_the_years_page(
        facilitator, world, db, scored):
    workshops.add_action(db, world.a.id, "Iedereen leest het rapport", "Stuurgroep", None,
                         None)
    page = facilitator.get(f"/p/{world.a.id}/years/mini").text
    general = section(page, 'id="general"', "</li>")
    assert "General" in general and "Iedereen leest het rapport" in general
    themed = section(page, 'id="followed"')
    assert "Afspraak a" in themed.split('id="general"')[0]   # under its own theme
    assert page.count("Iedereen leest het rapport") == 1
    plan = facilitator.get(plan_url(world)).text
    assert "General" in plan.split("Iedereen leest het rapport")[1].split("</tr>")[0]


# ---- overdue ---------------------------------------------------------------------------

def test_overdue_is_due_before_today_and_not_done():
    past = (TODAY - timedelta(days=1)).isoformat()
    assert workshops.is_overdue({"due_on": past, "status": "open"}, TODAY)
    assert workshops.is_overdue({"due_on": past, "status": "bezig"}, TODAY)
    assert not workshops.is_overdue({"due_on": past, "status": "klaar"}, TODAY)
    assert not workshops.is_overdue({"due_on": TODAY.isoformat(), "status": "open"}, TODAY)
    assert not workshops.is_overdue({"due_on": None, "status": "open"}, TODAY)


@pytest.fixture
def late(world, db):
    """One overdue action, one late but done, one due later."""
    ids = {}
    for text, days, status in (("Te laat", -3, "open"), ("Laat maar klaar", -3, "klaar"),
                               ("Nog tijd", 10, "bezig")):
        ids[text] = workshops.add_action(db, world.a.id, text, "Stuurgroep",
                                         TODAY + timedelta(days=days), "afstemmen")
        workshops.update_action(db, world.a.id, ids[text], status=status)
    return ids


def test_the_plan_marks_overdue_actions_in_words(facilitator, world, late):
    page = facilitator.get(plan_url(world)).text
    rows = {text: page.split(text, 1)[1].split("</tr>")[0] for text in late}
    assert "Te laat" in page and "overdue-mark" in rows["Te laat"]
    assert "Overdue" in rows["Te laat"].split("overdue-mark")[1]
    assert "overdue-mark" not in rows["Laat maar klaar"]
    assert "overdue-mark" not in rows["Nog tijd"]


def test_the_edit_page_says_an_action_is_overdue(facilitator, world, late):
    page = facilitator.get(f"/p/{world.a.id}/actions/{late['Te laat']}").text
    assert "overdue-mark" in page and "is not done" in page
    page = facilitator.get(f"/p/{world.a.id}/actions/{late['Laat maar klaar']}").text
    assert "overdue-mark" not in page


def test_the_plan_filters_overdue_actions(facilitator, world, late):
    page = facilitator.get(plan_url(world) + "?overdue=1").text
    assert "Te laat" in page
    assert "Laat maar klaar" not in page and "Nog tijd" not in page and "Afspraak a" not in page
    assert 'id="f-overdue" name="overdue" value="1" checked' in page


# ---- the progress log ------------------------------------------------------------------

def test_progress_is_logged_sets_the_status_and_shows_on_edit_page_and_plan(
        facilitator, world, db):
    response = facilitator.post(progress_url(world), data=entry())
    assert response.status_code == 302
    (row,) = log_rows(db, world.a.action)
    assert (row["at"], row["status"], row["note"]) == (TODAY.isoformat(), "bezig",
                                                       "Eerste overleg gehad")
    assert workshops.action_of(db, world.a.id, world.a.action)["status"] == "bezig"
    edit = facilitator.get(f"/p/{world.a.id}/actions/{world.a.action}").text
    assert "Eerste overleg gehad" in section(edit, 'class="progress-log"')
    plan = facilitator.get(plan_url(world)).text
    assert "Eerste overleg gehad" in plan.split("Afspraak a")[1].split("</tr>")[0]


def test_the_progress_form_starts_at_today_and_the_actions_status(facilitator, world):
    edit = facilitator.get(f"/p/{world.a.id}/actions/{world.a.action}").text
    form = section(edit, 'class="progress-log"')
    assert f'value="{TODAY.isoformat()}"' in form
    assert '<option selected value="open">' in form


@pytest.mark.parametrize("bad", [
    {"progress-at": "2026-13-45"},
    {"progress-at": ""},
    {"progress-at": (TODAY + timedelta(days=1)).isoformat()},
    {"progress-status": "weg"},
    {"progress-note": "x" * 201},
])
def test_bad_progress_is_refused_with_a_message_and_nothing_is_stored(
        facilitator, world, db, bad):
    response = facilitator.post(progress_url(world), data=entry(**bad))
    assert response.status_code == 400
    assert 'class="error"' in section(response.text, 'class="progress-log"')
    assert log_rows(db, world.a.action) == []
    assert workshops.action_of(db, world.a.id, world.a.action)["status"] == "open"


def test_a_note_of_200_characters_on_several_lines_is_kept_as_one_line(facilitator, world, db):
    note = "a" * 100 + "\n" + "b" * 99
    assert facilitator.post(progress_url(world), data=entry(**{"progress-note": note})
                            ).status_code == 302
    assert log_rows(db, world.a.action)[0]["note"] == "a" * 100 + " " + "b" * 99


def test_the_same_progress_sent_twice_is_stored_once(facilitator, world, db):
    assert facilitator.post(progress_url(world), data=entry()).status_code == 302
    again = facilitator.post(progress_url(world), data=entry(), follow_redirects=True)
    assert again.status_code == 200
    assert len(log_rows(db, world.a.action)) == 1


def test_progress_dated_before_the_latest_entry_does_not_reset_the_status(world, db):
    workshops.add_progress(db, world.a.id, world.a.action, TODAY, "klaar", "Afgerond")
    workshops.add_progress(db, world.a.id, world.a.action, TODAY - timedelta(days=7),
                           "bezig", "Nagekomen: gestart")
    assert workshops.action_of(db, world.a.id, world.a.action)["status"] == "klaar"
    log = workshops.progress(db, world.a.id, world.a.action)
    assert [e["note"] for e in log] == ["Afgerond", "Nagekomen: gestart"]   # newest first


def test_progress_needs_an_action_of_the_partnership(world, db):
    with pytest.raises(LookupError):
        workshops.add_progress(db, world.b.id, world.a.action, TODAY, "bezig", "")
    with pytest.raises(ValueError):
        workshops.add_progress(db, world.a.id, world.a.action, TODAY, "weg", "")
    with pytest.raises(ValueError):
        workshops.add_progress(db, world.a.id, world.a.action, TODAY, "open", "x" * 201)


def test_a_viewer_cannot_log_progress(client, auth, world, db):
    auth.login(world.a.emails["viewer"])
    assert client.post(progress_url(world), data=entry()).status_code == 403
    assert log_rows(db, world.a.action) == []


# ---- the review of open actions --------------------------------------------------------

@pytest.fixture
def next_session(world, db):
    return workshops.create(db, world.a.id, "Volgende werksessie", TODAY, world.a.round,
                            ["mini-deck"])


def review_of(html: str) -> str:
    return section(html, 'id="review"', "</details>")


def test_the_next_session_opens_with_the_open_actions_overdue_first(
        facilitator, world, db, late, next_session):
    page = facilitator.get(f"/p/{world.a.id}/workshops/{next_session}").text
    assert '<details class="review" id="review" open>' in page
    review = review_of(page)
    assert review.index("Te laat") < review.index("Nog tijd") < review.index("Afspraak a")
    assert "Laat maar klaar" not in review
    assert "overdue-mark" in review.split("Te laat")[1].split("</li>")[0]
    workshops.add_card(db, next_session, "md-01")
    page = facilitator.get(f"/p/{world.a.id}/workshops/{next_session}").text
    assert '<details class="review" id="review">' in page   # collapsed once cards are drawn


def test_a_sessions_own_agreements_are_not_in_its_review(facilitator, world):
    page = facilitator.get(f"/p/{world.a.id}/workshops/{world.a.workshop}").text
    assert 'id="review"' not in page   # its only open action was agreed in it


def test_the_joint_scoring_screen_opens_with_the_review(facilitator, world, db):
    url = f"/p/{world.a.id}/workshops/{world.a.joint}/joint"
    page = facilitator.get(url).text
    assert '<details class="review" id="review" open>' in page
    assert "Afspraak a" in review_of(page)
    assert page.index('id="review"') < page.index('id="joint-live"')  # not redrawn by polling
    db.execute("update workshop set position = 1 where id = ?", [world.a.joint])
    page = facilitator.get(url).text
    assert '<details class="review" id="review">' in page


def test_a_closed_session_keeps_its_review_collapsed(facilitator, world, db, next_session):
    workshops.set_status(db, next_session, "closed")
    page = facilitator.get(f"/p/{world.a.id}/workshops/{next_session}").text
    assert '<details class="review" id="review">' in page


def quick(world, status, aid=None):
    return f"/p/{world.a.id}/actions/{aid or world.a.action}/status/{status}"


def test_a_quick_status_change_logs_it_and_returns_to_the_session(
        facilitator, world, db, next_session):
    response = facilitator.post(quick(world, "klaar"), data={"from": str(next_session)})
    assert response.status_code == 302
    assert response.location.endswith(f"/workshops/{next_session}#review")
    assert workshops.action_of(db, world.a.id, world.a.action)["status"] == "klaar"
    facilitator.post(quick(world, "klaar"), data={"from": str(next_session)})
    assert [(r["status"], r["at"]) for r in log_rows(db, world.a.action)] == [
        ("klaar", TODAY.isoformat())]
    page = facilitator.get(f"/p/{world.a.id}/workshops/{next_session}").text
    assert 'id="review"' not in page   # nothing open is left


def test_a_quick_status_from_the_joint_screen_returns_there(facilitator, world):
    response = facilitator.post(quick(world, "bezig"), data={"from": str(world.a.joint)})
    assert response.location.endswith(f"/workshops/{world.a.joint}/joint#review")


@pytest.mark.parametrize("sent", ["", "abc", "99999", "²", "1" * 40])
def test_a_quick_status_without_a_known_session_returns_to_the_plan(facilitator, world, sent):
    response = facilitator.post(quick(world, "bezig"), data={"from": sent})
    assert response.status_code == 302 and response.location.endswith("/actions/")


def test_a_quick_status_must_be_known_and_needs_a_runner(client, auth, world, db):
    auth.login(world.a.emails["facilitator"])
    assert client.post(quick(world, "weg")).status_code == 404
    auth.logout()
    auth.login(world.a.emails["viewer"])
    assert client.post(quick(world, "klaar")).status_code == 403
    assert log_rows(db, world.a.action) == []


def test_the_quick_status_needs_the_forms_token(app_config, world, db):
    from scan import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login)[1]
    client.post("/login", data={"email": world.a.emails["facilitator"],
                                "password": "correct horse battery", "csrf_token": token})
    assert client.post(quick(world, "klaar")).status_code == 400
    assert log_rows(db, world.a.action) == []


# ---- tenancy ---------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["coordinator", "facilitator", "viewer"])
def test_members_of_b_get_404_on_as_new_routes(client, auth, world, db, role):
    auth.login(world.b.emails[role])
    a, b = world.a, world.b
    for url in (progress_url(world), quick(world, "klaar"),
                f"/p/{b.id}/actions/{a.action}/progress",
                f"/p/{b.id}/actions/{a.action}/status/klaar"):
        response = client.post(url, data={**entry(), "from": str(a.workshop)})
        expected = (404,) if f"/p/{a.id}/" in url or role != "viewer" else (403, 404)
        assert response.status_code in expected, url
    assert db.execute("select count(*) from action_log").fetchone()[0] == 0
    assert workshops.action_of(db, a.id, a.action)["status"] == "open"


def test_the_review_shows_only_the_partnerships_own_actions(facilitator, world, db,
                                                            next_session):
    page = facilitator.get(f"/p/{world.a.id}/workshops/{next_session}").text
    assert "Afspraak a" in review_of(page) and "Afspraak b" not in page


# ---- years: change beside actions, trends per group ------------------------------------

@pytest.fixture
def two_years(world, db, scored):
    """Last year three school-based teacher educators of school a answered all 1s."""
    earlier = rounds.create_round(db, world.a.id, "2024-2025", "Vorig jaar",
                                  [world.catalogue.sets["mini"]], [world.a.school],
                                  ["schoolopleider"], expected=20)
    link = rounds.links(db, earlier)[0]["id"]
    sets = rounds.round_sets(db, world.catalogue, earlier)
    for _ in range(3):
        answer(db, earlier, link, sets, ("school", "schoolopleider", (1, 1), (1, 1, 1), ""))
    return released_report(db, earlier, world.catalogue), scored


def test_each_theme_shows_its_change_beside_its_actions(facilitator, world, two_years):
    page = facilitator.get(f"/p/{world.a.id}/years/mini").text
    followed = section(page, 'id="followed"')
    kennismaken = followed.split("<li>")[1]
    assert "Afspraak a" in kennismaken and "▲" in kennismaken
    assert "table-scroll" not in followed and "<table" not in followed


def _group(report, kind, key):
    return next((g for g in report.groups if (g.kind, g.key) == (kind, key)), None)


def _cells(table: str, label: str) -> list[str]:
    """The cells of the row headed `label` (with or without a note such as "over 1 of
    2 themes" beside it)."""
    row = re.split(rf'<th scope="row">{re.escape(label)}(?:</th>| <span)', table)[1]
    return row.split("</tr>")[0].split("<td>")[1:]


LABELS = {"school": "School", "instituut": "Teacher-education institute",
          "bestuur": "School board", "schoolopleider": "School-based teacher educator",
          "instituutsopleider": "Institute-based teacher educator",
          "bestuurder": "Board member"}


def test_trends_per_group_show_only_what_each_released_report_shows(
        facilitator, world, two_years):
    page = facilitator.get(f"/p/{world.a.id}/years/mini").text
    trends = section(page, 'id="group-trends"')
    dashes = 0
    for kind in ("partner_type", "role"):
        table = trends.split(f'data-kind="{kind}"')[1].split("</table>")[0]
        keys = {g.key for report in two_years for g in report.groups if g.kind == kind}
        for key, label in LABELS.items():
            if key not in keys:   # hidden in every year (the one bestuurder): no row at all
                assert f">{label}<" not in table
                continue
            for report, cell in zip(two_years, _cells(table, label), strict=True):
                shown = _group(report, kind, key)
                if shown is None:
                    assert "–" in cell and "n=" not in cell
                    dashes += 1
                else:
                    means = [m for m in shown.means.values() if m is not None]
                    mean = sum(means) / len(means)
                    assert f"{mean:.2f}" in cell and f"n={shown.respondents}" in cell
    assert dashes   # this year hides the three school-based teacher educators
    assert "Board member" not in trends and "School board" not in trends
    school = _cells(trends.split('data-kind="partner_type"')[1], "School")
    assert "1.00" in school[0] and "(n=3)" in school[0]
    chart = json.loads(section(page, 'data-chart-for="trend-partner_type">', "</script>"))
    school_line = next(trace for trace in chart["data"] if trace["name"] == "School")
    assert school_line["x"] == ["2024-2025", "2025-2026"]
    assert school_line["y"][0] == 1.0


def test_a_single_year_has_trend_tables_but_no_trend_chart(facilitator, world, scored):
    page = facilitator.get(f"/p/{world.a.id}/years/mini").text
    assert 'id="group-trends"' in page and 'data-chart-for="trend-' not in page


def test_a_status_may_come_back_but_a_double_submit_is_kept_once(db, world):
    for status in ("bezig", "klaar", "bezig"):
        workshops.add_progress(db, world.a.id, world.a.action, TODAY, status, "")
    with pytest.raises(workshops.Duplicate):
        workshops.add_progress(db, world.a.id, world.a.action, TODAY, "bezig", "")
    assert [e["status"] for e in workshops.progress(db, world.a.id, world.a.action)].count(
        "bezig") == 2
    assert workshops.action_of(db, world.a.id, world.a.action)["status"] == "bezig"

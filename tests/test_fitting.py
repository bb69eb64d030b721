"""The scan fits each person and each partnership: routing by role, sector wording,
level descriptions, and a round the coordinator can steer while it runs."""

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Respondent

from scan import create_app, roles, rounds
from scan.cli import check_command
from scan.database import connect
from scan.question_files import QuestionFileError, load_catalogue
from scan.questions import minutes_to_answer

DATA = Path(__file__).parent / "data" / "questions"

# The mini set, routed: "kennismaken" asks institute educators only; one item of
# "afstemmen" asks the steering group only; one item has a po wording; both
# "kennismaken" describes all four levels of its scale.
ROUTED = [
    ("    tags: {mechanism: identificatie}\n",
     "    tags: {mechanism: identificatie}\n    roles: [instituutsopleider]\n"
     "    rubric:\n      lowest: {nl: \"Niemand weet iets.\", en: \"Nobody knows anything.\"}\n"
     "      between:\n        - {nl: \"Een paar mensen weten iets.\", en: \"A few know a bit.\"}\n"
     "        - {nl: \"De meesten weten veel.\", en: \"Most know a lot.\"}\n"
     "      highest: {nl: \"Iedereen weet alles.\", en: \"Everybody knows everything.\"}\n"),
    ("      - id: mini-a-3\n",
     "      - id: mini-a-3\n        roles: [stuurgroeplid]\n"),
    ("      - id: mini-a-2\n        text: {nl: \"Plaatsing van studenten loopt soepel.\", "
     "en: \"Placing students runs smoothly.\"}\n",
     "      - id: mini-a-2\n        text: {nl: \"Plaatsing van studenten loopt soepel.\", "
     "en: \"Placing students runs smoothly.\"}\n"
     "        sector:\n          po: {nl: \"Plaatsing van pabostudenten loopt soepel.\", "
     "en: \"Placing pabo students runs smoothly.\"}\n"
     "        first_person: {nl: \"Mijn plaatsing liep soepel.\", "
     "en: \"My placement ran smoothly.\"}\n"),
]


def routed_folder(tmp_path) -> Path:
    target = tmp_path / "routed"
    shutil.copytree(DATA, target)
    path = target / "mini.yaml"
    text = path.read_text()
    for old, new in ROUTED:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)
    return target


def answer_all(person: Respondent, value: str = "3") -> None:
    """Start, answer every statement on every page the way a browser would, send in."""
    assert person.start().status_code == 302
    number = 0
    while True:
        page = person.page(number)
        if page.status_code != 200:
            break
        html = page.get_data(as_text=True)
        dimension = re.search(r'name="page"[^>]*value="([^"]+)"', html)[1]
        items = dict.fromkeys(re.findall(r'type="radio" name="([\w-]+)"', html)
                              or re.findall(r'name="([\w-]+)" type="radio"', html))
        assert person.save(number, dimension, {i: value for i in items}).status_code == 302
        number += 1
    assert person.submit().status_code == 302


def problems(folder) -> list[str]:
    with pytest.raises(QuestionFileError) as caught:
        load_catalogue(folder)
    return [str(p) for p in caught.value.problems]


# --- the question file format ------------------------------------------------------------

def test_routing_rubrics_and_sector_wording_load(tmp_path):
    mini = load_catalogue(routed_folder(tmp_path)).sets["mini"]
    kennismaken, afstemmen = mini.dimensions
    assert kennismaken.rubric.lowest.en == "Nobody knows anything."
    assert afstemmen.rubric is None
    assert [i.id for i in mini.for_role("schoolopleider").items] == ["mini-a-1", "mini-a-2"]
    assert [i.id for i in mini.for_role("stuurgroeplid").items] == [
        "mini-a-1", "mini-a-2", "mini-a-3"]
    assert len(mini.for_role("instituutsopleider").items) == 4
    po = mini.for_role("schoolopleider", "po").dimension("afstemmen").items[1]
    assert po.text.nl == "Plaatsing van pabostudenten loopt soepel."
    vo = mini.for_role("schoolopleider", "vo").dimension("afstemmen").items[1]
    assert vo.text.nl == "Plaatsing van studenten loopt soepel."


@pytest.mark.parametrize("old, new, message", [
    ("      - id: mini-a-3\n", "      - id: mini-a-3\n        roles: [rector]\n",
     "unknown role 'rector'"),
    ("      - id: mini-a-3\n", "      - id: mini-a-3\n        roles: []\n",
     "roles must be a list of at least one role"),
    ("    tags: {mechanism: coordinatie}\n",
     "    tags: {mechanism: coordinatie}\n    roles: werkplekbegeleider\n",
     "roles must be a list"),
    ("      - id: mini-a-3\n",
     "      - id: mini-a-3\n        sector:\n          hbo: {nl: \"x\", en: \"y\"}\n",
     "unknown sector 'hbo'"),
    ("    tags: {mechanism: coordinatie}\n",
     "    tags: {mechanism: coordinatie}\n    rubric:\n      lowest: {nl: \"a\", en: \"b\"}\n",
     "rubric: missing 'highest'"),
    ("    tags: {mechanism: coordinatie}\n",
     "    tags: {mechanism: coordinatie}\n    rubric:\n      lowest: {nl: \"a\", en: \"b\"}\n"
     "      between:\n        - {nl: \"c\", en: \"d\"}\n      highest: {nl: \"e\", en: \"f\"}\n",
     "rubric.between must describe each of the 2 points"),
    ("    tags: {mechanism: coordinatie}\n",
     "    tags: {mechanism: coordinatie}\n    rubric:\n      lowest: {nl: \"a\", en: \"b\"}\n"
     "      between:\n        - {nl: \"c\", en: \"d\"}\n        - {nl: \"e\"}\n"
     "      highest: {nl: \"e\", en: \"f\"}\n",
     "rubric.between[1].level: the 'en' text is missing"),
])
def test_scan_check_rejects_bad_routing_sectors_and_rubrics(tmp_path, old, new, message):
    folder = tmp_path / "questions"
    shutil.copytree(DATA, folder)
    path = folder / "mini.yaml"
    path.write_text(path.read_text().replace(old, new, 1))
    assert any(message in p and p.startswith(str(path)) for p in problems(folder)), \
        problems(folder)
    result = CliRunner().invoke(check_command, [str(folder)])
    assert result.exit_code == 1 and message in result.output


def test_scan_check_stats_counts_statements_per_role_rubrics_and_cards(tmp_path):
    result = CliRunner().invoke(check_command, [str(routed_folder(tmp_path)), "--stats"])
    assert result.exit_code == 0, result.output
    assert "mini: 2 dimensions, 5 items" in result.output
    assert "role schoolopleider: 2 items, 1 pages" in result.output
    assert "role instituutsopleider: 4 items, 2 pages" in result.output
    assert ("dimension kennismaken: 2 items, rubric yes, 1 cards, levels described 4/4"
            in result.output)
    assert ("dimension afstemmen: 3 items, rubric NO, 1 cards, levels described 0/4"
            in result.output)
    assert "level descriptions: 4 of 8 levels; 1 of 2 themes describe every level" \
        in result.output


def test_the_time_estimate_grows_with_statements_and_pages(tmp_path):
    mini = load_catalogue(routed_folder(tmp_path)).sets["mini"]
    assert minutes_to_answer([mini.for_role("schoolopleider")]) == (1, 2)
    quick, careful = minutes_to_answer([mini] * 20)   # 100 statements on 40 pages
    assert 10 <= quick < careful
    assert careful >= 100 * 10 / 60   # a careful reader weighs each statement 10 s


def test_the_careful_end_counts_the_level_descriptions(tmp_path):
    from dataclasses import replace

    mini = load_catalogue(routed_folder(tmp_path)).sets["mini"]
    bare = replace(mini, dimensions=tuple(replace(d, rubric=None) for d in mini.dimensions))
    with_rubric, without = minutes_to_answer([mini] * 20), minutes_to_answer([bare] * 20)
    assert with_rubric[0] == without[0]   # a quick reader leaves them folded
    assert with_rubric[1] > without[1]


# --- a respondent sees what is meant for their role -------------------------------------

@pytest.fixture
def routed_app(app_config, tmp_path, world):
    return create_app({**app_config, "QUESTIONS": str(routed_folder(tmp_path))})


def link_for(db, round_id, role, partner_type):
    return next(x for x in rounds.links(db, round_id)
                if x["role"] == role and x["partner_type"] == partner_type)


def test_a_respondent_answers_only_their_roles_statements(routed_app, world, db):
    link = link_for(db, world.a.round, "schoolopleider", "school")
    person = Respondent(routed_app, link["token"])
    landing = person.client.get(f"/s/{link['token']}").get_data(as_text=True)
    estimate = re.search(r'<p id="estimate">(.*?)</p>', landing, re.S)[1]
    assert "2 stellingen op 1 pagina" in estimate and "1 tot 2 minuten" in estimate
    person.start()
    page = person.page(0).get_data(as_text=True)
    assert 'name="mini-a-1"' in page and 'name="mini-a-2"' in page
    assert 'name="mini-a-3"' not in page and 'name="mini-k-1"' not in page
    # A statement not meant for this role is refused as tampering, and nothing is stored.
    refused = person.save(0, "afstemmen", {"mini-a-1": "3", "mini-a-2": "2", "mini-a-3": "4"})
    assert refused.status_code == 400
    assert person.save(0, "afstemmen", {"mini-a-1": "3", "mini-a-2": "2"}).status_code == 302
    assert person.submit().status_code == 302   # one page was the whole questionnaire
    stored = db.execute("select item_id from answer order by item_id").fetchall()
    assert [r[0] for r in stored] == ["mini-a-1", "mini-a-2"]


def test_the_sector_of_the_partner_chooses_the_wording(routed_app, world, db):
    db.execute("update partner set sector = 'po' where id = ?", [world.a.school])
    link = link_for(db, world.a.round, "schoolopleider", "school")
    person = Respondent(routed_app, link["token"])
    person.start()
    assert "Plaatsing van pabostudenten loopt soepel." in person.page(0).get_data(as_text=True)


def test_a_student_teacher_reads_the_first_person_wording(routed_app, world, db):
    db.execute("update partner set sector = 'po' where id = ?", [world.a.school])
    rounds.add_pairs(db, world.a.round, [(world.a.school, "leraar-in-opleiding")])
    link = link_for(db, world.a.round, "leraar-in-opleiding", "school")
    person = Respondent(routed_app, link["token"])
    person.start()
    page = person.page(0).get_data(as_text=True)   # kennismaken is not theirs: one page
    assert "Mijn plaatsing liep soepel." in page   # before the po wording
    assert "Er is een jaarplanning." in page       # no first-person wording: the general one
    other = Respondent(routed_app, link_for(db, world.a.round, "schoolopleider", "school")["token"])
    other.start()
    assert "Mijn plaatsing" not in other.page(0).get_data(as_text=True)


def test_scan_check_counts_and_checks_first_person_wording(tmp_path):
    folder = routed_folder(tmp_path)
    output = CliRunner().invoke(check_command, [str(folder)]).output
    assert "1 of 2 statements for leraar-in-opleiding are not in the first person" in output
    path = folder / "mini.yaml"
    path.write_text(path.read_text().replace("Mijn plaatsing liep soepel.",
                                             "De plaatsing liep soepel."))
    result = CliRunner().invoke(check_command, [str(folder)])
    assert result.exit_code == 1
    assert "first_person: the Dutch text has no ik, mij, me or mijn" in result.output


def test_respondents_read_every_level_above_the_statements(routed_app, world, db):
    link = link_for(db, world.a.round, "instituutsopleider", "instituut")
    person = Respondent(routed_app, link["token"])
    person.start()
    page = person.page(0).get_data(as_text=True)
    rubric = re.search(r'<section class="rubric".*?</section>', page, re.S)[0]
    assert "<details" not in rubric   # open, not behind a link
    levels = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", rubric)
    assert levels == [("1 · Nog niet", "Niemand weet iets."),
                      ("2 · In ontwikkeling", "Een paar mensen weten iets."),
                      ("3 · Grotendeels", "De meesten weten veel."),
                      ("4 · Volledig en geborgd", "Iedereen weet alles.")]
    assert page.index('class="rubric"') < page.index('name="mini-k-1"')


def test_the_report_says_not_asked_where_a_role_was_not_asked(routed_app, world, db):
    for role, kind in [("schoolopleider", "school")] * 3 + [
            ("instituutsopleider", "instituut")] * 3:
        answer_all(Respondent(routed_app, link_for(db, world.a.round, role, kind)["token"]))
    client = routed_app.test_client()
    client.post("/login", data={"email": world.a.emails["coordinator"],
                                "password": "correct horse battery"})
    client.post(round_url(world, "/status/closed"))
    page = client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(
        as_text=True)
    assert "niet gevraagd" in page
    assert "Niemand weet iets." in page   # the rubric beside the score


# --- the coordinator steers an open round ------------------------------------------------

@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def round_url(world, tail=""):
    return f"/p/{world.a.id}/rounds/{world.a.round}{tail}"


def test_a_closing_date_closes_the_round_by_itself(coordinator, world, db, app, new_respondent):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert coordinator.post(round_url(world, "/closing-date"),
                            data={"closes_on": tomorrow}).status_code == 302
    landing = new_respondent(world.a.token).client.get(f"/s/{world.a.token}")
    assert "id=\"closes-on\"" in landing.get_data(as_text=True)
    # The day passes: the next request after it closes the round and releases it.
    db.execute("update round set closes_on = ? where id = ?",
               [(date.today() - timedelta(days=1)).isoformat(), world.a.round])
    app.extensions.pop("samenscan.swept", None)
    closed = new_respondent(world.a.token).client.get(f"/s/{world.a.token}")
    assert closed.status_code == 410
    assert rounds.round_of(db, world.a.id, world.a.round)["status"] == "closed"
    text = closed.get_data(as_text=True)
    assert "gesloten op" in text and "Foutcode" not in text
    # Reopened, it stays open: the date that passed is forgotten.
    coordinator.post(round_url(world, "/status/open"))
    app.extensions.pop("samenscan.swept", None)
    assert new_respondent(world.a.token).client.get(f"/s/{world.a.token}").status_code == 200
    assert rounds.round_of(db, world.a.id, world.a.round)["closes_on"] is None


@pytest.mark.parametrize("value", ["2020-01-01", "morgen", "2026-02-30",
                                   (date.today() + timedelta(days=400)).isoformat()])
def test_a_bad_closing_date_is_refused(coordinator, world, db, value):
    response = coordinator.post(round_url(world, "/closing-date"), data={"closes_on": value})
    assert response.status_code == 400
    assert re.search(r"datum|jaar", response.get_data(as_text=True).split('role="alert">')[1])
    assert rounds.round_of(db, world.a.id, world.a.round)["closes_on"] is None


def test_a_link_switched_off_starts_nothing_and_on_again_works(coordinator, world, db,
                                                              new_respondent):
    started = new_respondent(world.a.token)
    started.start()
    coordinator.post(round_url(world, f"/links/{world.a.link}/off"))
    stranger = new_respondent(world.a.token)
    assert "uitgezet" in stranger.client.get(f"/s/{world.a.token}").get_data(as_text=True)
    assert stranger.start().status_code == 409
    # Who had started can still finish.
    assert started.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "2"}).status_code == 302
    coordinator.post(round_url(world, f"/links/{world.a.link}/on"))
    assert new_respondent(world.a.token).start().status_code == 302


def test_links_are_added_to_an_open_round_only_where_they_exist(coordinator, world, db):
    page = coordinator.get(round_url(world)).get_data(as_text=True)
    assert f'value="{world.a.school}:werkplekbegeleider"' in page
    assert f'value="{world.a.institute}:werkplekbegeleider"' not in page
    for bad in ([f"{world.a.institute}:werkplekbegeleider"], [f"{world.b.school}:starter"],
                [f"{world.a.school}:schoolopleider"], []):   # not offered, other, present
        before = rounds.links(db, world.a.round)
        assert coordinator.post(round_url(world, "/links/add"),
                                data={"link": bad, "expected": "4"}).status_code == 400
        assert rounds.links(db, world.a.round) == before
    coordinator.post(round_url(world, "/links/add"),
                     data={"link": [f"{world.a.school}:werkplekbegeleider"], "expected": "4"})
    assert (world.a.school, "werkplekbegeleider") in {
        (x["partner_id"], x["role"]) for x in rounds.links(db, world.a.round)}


def test_the_response_rate_shows_only_from_k_completed(coordinator, world, db, new_respondent):
    data = {f"invited-{x['id']}": "10" for x in rounds.links(db, world.a.round)}
    assert coordinator.post(round_url(world, "/invited"), data=data).status_code == 302
    for _ in range(2):
        answer_all(new_respondent(world.a.token))
    page = coordinator.get(round_url(world)).get_data(as_text=True)
    assert "20%" not in page and "Respons:" not in page   # 2 of 10: fewer than k
    answer_all(new_respondent(world.a.token))
    page = coordinator.get(round_url(world)).get_data(as_text=True)
    assert '<td data-label="Respons">30%</td>' in page
    assert coordinator.post(round_url(world, "/invited"),
                            data={f"invited-{world.a.link}": "-4"}).status_code == 400
    assert rounds.link(db, world.a.round, world.a.link)["invited"] == 10


def test_a_reminder_names_the_link_and_the_closing_date(coordinator, world, db):
    rounds.set_closing_date(db, world.a.round, "2026-12-18")
    page = coordinator.get(round_url(world, f"/links/{world.a.link}/reminder")).get_data(
        as_text=True)
    assert f"/s/{world.a.token}" in page
    assert "18 december 2026" in page and "December 18, 2026" in page
    assert 'href="mailto:?subject=' in page


def test_closing_says_how_many_are_still_busy(coordinator, world, db, new_respondent):
    new_respondent(world.a.token).start()
    page = coordinator.get(round_url(world)).get_data(as_text=True)
    assert 'id="busy"' in page
    after = coordinator.post(round_url(world, "/status/closed"), follow_redirects=True)
    assert "1 persoon was begonnen" in after.get_data(as_text=True)


@pytest.mark.parametrize("method, tail", [
    ("post", "/closing-date"), ("post", "/links/{link}/off"), ("post", "/links/add"),
    ("post", "/invited"), ("get", "/links/{link}/reminder"),
])
def test_another_partnership_cannot_steer_this_round(client, auth, world, db, method, tail):
    auth.login(world.b.emails["coordinator"])
    url = round_url(world, tail.format(link=world.a.link))
    assert getattr(client, method)(url, data={"closes_on": "2030-01-01"}).status_code == 404
    auth.logout()
    auth.login(world.a.emails["viewer"])
    assert getattr(client, method)(url, data={"closes_on": "2030-01-01"}).status_code == 403
    assert rounds.round_of(connect(client.application.config["DATABASE"]), world.a.id,
                           world.a.round)["closes_on"] is None


def test_a_partnership_chooses_the_roles_of_each_partner_type(coordinator, world, db):
    page = coordinator.get(f"/p/{world.a.id}/roles").get_data(as_text=True)
    assert 'name="instituut" value="instituutsopleider" id="instituut-instituutsopleider" ' \
           'checked' in page
    chosen = {"school": ["schoolopleider"], "bestuur": ["bestuurder"],
              "instituut": ["instituutsopleider", "werkplekbegeleider"]}
    assert coordinator.post(f"/p/{world.a.id}/roles", data=chosen).status_code == 302
    new_round = coordinator.get(f"/p/{world.a.id}/rounds/new").get_data(as_text=True)
    assert f'value="{world.a.institute}:werkplekbegeleider"' in new_round
    assert f'value="{world.a.school}:werkplekbegeleider"' not in new_round
    for bad in ({**chosen, "school": []}, {**chosen, "bestuur": ["rector"]}):
        assert coordinator.post(f"/p/{world.a.id}/roles", data=bad).status_code == 400
    assert "werkplekbegeleider" in roles.roles_by_type(db, world.a.id)["instituut"]


def test_only_a_coordinator_of_this_partnership_sets_roles(client, auth, world, db):
    data = {"school": ["hr"], "bestuur": ["hr"], "instituut": ["hr"]}
    auth.login(world.b.emails["coordinator"])
    assert client.post(f"/p/{world.a.id}/roles", data=data).status_code == 404
    auth.logout()
    auth.login(world.a.emails["facilitator"])
    assert client.post(f"/p/{world.a.id}/roles", data=data).status_code == 403
    assert roles.roles_by_type(db, world.a.id) == roles.DEFAULT_ROLES


# --- edges a reviewer found -------------------------------------------------------------

def test_routing_that_changes_mid_round_still_asks_every_routed_page(app, routed_app, world,
                                                                    db):
    """Answered "kennismaken" before routing existed, then the files route it away and
    add nothing: the respondent must still answer "afstemmen" before sending in."""
    link = link_for(db, world.a.round, "schoolopleider", "school")
    before = Respondent(app, link["token"])
    before.start()
    assert before.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "2"}).status_code == 302
    after = Respondent(routed_app, link["token"])
    after.resume = before.resume
    assert after.client.get(f"/r/{after.resume}").location.endswith("/p/0")
    assert after.submit().status_code in (302, 400)
    assert db.execute("select count(*) from respondent where submitted_at is not null"
                      ).fetchone()[0] == 0
    assert 'name="mini-a-1"' in after.page(0).get_data(as_text=True)


def narrow_app(app_config, tmp_path):
    """The routed mini set with "afstemmen" asked of two roles only: a school's
    educators are asked nothing at all."""
    folder = routed_folder(tmp_path)
    path = folder / "mini.yaml"
    path.write_text(path.read_text().replace(
        "    tags: {mechanism: coordinatie}\n",
        "    tags: {mechanism: coordinatie}\n    roles: [instituutsopleider, stuurgroeplid]\n"))
    return create_app({**app_config, "QUESTIONS": str(folder)})


def test_a_role_asked_nothing_cannot_send_in_an_empty_questionnaire(app, app_config, tmp_path,
                                                                    world, db):
    narrow = narrow_app(app_config, tmp_path)
    link = link_for(db, world.a.round, "schoolopleider", "school")
    started = Respondent(app, link["token"])
    started.start()
    later = Respondent(narrow, link["token"])
    assert "niets aan jouw rol" in later.client.get(f"/s/{link['token']}").get_data(
        as_text=True)
    assert later.start().status_code == 409
    same = Respondent(narrow, link["token"])
    same.resume = started.resume
    assert same.submit().status_code == 409
    assert db.execute("select count(*) from respondent where submitted_at is not null"
                      ).fetchone()[0] == 0


def test_links_are_only_offered_for_roles_the_round_asks(app_config, tmp_path, world, db):
    narrow = narrow_app(app_config, tmp_path)
    client = narrow.test_client()
    client.post("/login", data={"email": world.a.emails["coordinator"],
                                "password": "correct horse battery"})
    page = client.get(round_url(world)).get_data(as_text=True)
    assert f'value="{world.a.school}:stuurgroeplid"' in page
    assert f'value="{world.a.school}:werkplekbegeleider"' not in page
    assert client.post(round_url(world, "/links/add"), data={
        "link": [f"{world.a.school}:werkplekbegeleider"], "expected": "4"}).status_code == 400
    nothing = client.post(f"/p/{world.a.id}/rounds/new", data={
        "school_year": "2026-2027", "sets": ["mini"], "expected": "4",
        "links": [f"{world.a.school}:werkplekbegeleider"]})
    assert nothing.status_code == 400
    assert len(rounds.rounds(db, world.a.id)) == 1


def test_the_overall_rate_waits_until_every_counted_link_shows_its_own(coordinator, world, db,
                                                                       new_respondent):
    links = rounds.links(db, world.a.round)
    coordinator.post(round_url(world, "/invited"),
                     data={f"invited-{links[0]['id']}": "10", f"invited-{links[1]['id']}": "10"})
    for _ in range(3):
        answer_all(new_respondent(links[0]["token"]))
    answer_all(new_respondent(links[1]["token"]))   # one person: the rate would name them
    page = coordinator.get(round_url(world)).get_data(as_text=True)
    overall = page.split('id="overall">')[1].split("</p>")[0]
    assert '<td data-label="Respons">30%</td>' in page and "uitgenodigden" not in overall


@pytest.mark.parametrize("path, data", [
    ("/invited", {"invited-{link}": "²"}), ("/cap", {"cap": "³"}),
])
def test_unusual_digits_are_refused_not_a_crash(coordinator, world, db, path, data):
    data = {k.format(link=world.a.link): v for k, v in data.items()}
    assert coordinator.post(round_url(world, path), data=data).status_code == 400


def test_a_role_ticked_twice_is_saved_once(coordinator, world, db):
    data = {"school": ["hr", "hr"], "bestuur": ["bestuurder"], "instituut": ["overig"]}
    assert coordinator.post(f"/p/{world.a.id}/roles", data=data).status_code == 302
    assert roles.roles_by_type(db, world.a.id)["school"] == ("hr",)


def test_sending_in_needs_every_routed_statement_answered(app, world, db):
    """The domain checks it, whoever calls it: pages count by what was answered."""
    from scan import responses

    sets = rounds.round_sets(db, world.catalogue, world.a.round)
    pages = responses.pages(sets)
    person = responses.respondent(db, responses.start(db, world.a.round, world.a.link))
    responses.save_page(db, person["id"], world.a.round, pages[0],
                        {"mini-k-1": 3, "mini-k-2": 2}, "")
    db.execute("update respondent set next_page = 2 where id = ?", [person["id"]])
    with pytest.raises(responses.Incomplete):   # page 2 was never answered
        responses.submit(db, person["id"], pages)
    with pytest.raises(responses.Incomplete):   # nothing to answer is not a response
        responses.submit(db, person["id"], [])
    responses.save_page(db, person["id"], world.a.round, pages[1],
                        {"mini-a-1": 1, "mini-a-2": 2, "mini-a-3": None}, "")
    responses.submit(db, person["id"], pages)
    assert db.execute("select count(submitted_at) from respondent").fetchone()[0] == 1

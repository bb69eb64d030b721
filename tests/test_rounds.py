"""Coordinators manage partners, open rounds, hand out links and close rounds."""

import csv
import io
import re

import pytest

from scan import partners, rounds


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def test_coordinator_adds_edits_and_deletes_a_partner(coordinator, world, db):
    coordinator.post(f"/p/{world.a.id}/partners",
                     data={"name": "Basisschool De Linde", "type": "school", "sector": "po"})
    added = next(p for p in partners.partners(db, world.a.id)
                 if p["name"] == "Basisschool De Linde")
    coordinator.post(f"/p/{world.a.id}/partners/{added['id']}",
                     data={"name": "IKC De Linde", "type": "school", "sector": "po"})
    assert partners.partner(db, world.a.id, added["id"])["name"] == "IKC De Linde"
    coordinator.post(f"/p/{world.a.id}/partners/{added['id']}/delete")
    assert partners.partner(db, world.a.id, added["id"]) is None


@pytest.mark.parametrize("data, status", [
    ({"name": "", "type": "school", "sector": "po"}, 400),
    ({"name": "X", "type": "kerk", "sector": "po"}, 400),
    ({"name": "X", "type": "school", "sector": "hbo"}, 400),
    ({"name": "x" * 201, "type": "school", "sector": "po"}, 400),
    ({"name": "school A", "type": "school", "sector": "vo"}, 409),  # same name, other case
])
def test_bad_partner_input_is_refused(coordinator, world, db, data, status):
    before = partners.partners(db, world.a.id)
    assert coordinator.post(f"/p/{world.a.id}/partners", data=data).status_code == status
    assert partners.partners(db, world.a.id) == before


def test_a_partner_with_links_cannot_be_deleted(coordinator, world, db):
    response = coordinator.post(f"/p/{world.a.id}/partners/{world.a.school}/delete")
    assert response.status_code == 409
    assert partners.partner(db, world.a.id, world.a.school) is not None


def test_opening_a_round_makes_a_link_per_partner_and_role(coordinator, world, db):
    school, institute = world.a.school, world.a.institute
    response = coordinator.post(f"/p/{world.a.id}/rounds/new", data={
        "school_year": "2026-2027", "title": "", "sets": ["mini"], "expected": "7",
        "links": [f"{school}:stuurgroeplid", f"{school}:schoolopleider",
                  f"{school}:werkplekbegeleider", f"{institute}:instituutsopleider"]})
    assert response.status_code == 302
    rid = int(response.location.rstrip("/").split("/")[-1])
    links = rounds.links(db, rid)
    assert {(x["partner_id"], x["role"]) for x in links} == {
        (school, "stuurgroeplid"), (school, "schoolopleider"), (school, "werkplekbegeleider"),
        (institute, "instituutsopleider")}
    assert len({x["token"] for x in links}) == 4
    assert {x["invited"] for x in links} == {7}   # every link expects the number given
    assert rounds.round_of(db, world.a.id, rid)["title"]  # a default title is filled in
    page = coordinator.get(response.location).get_data(as_text=True)
    assert all(f"/s/{x['token']}" in page for x in links)


@pytest.mark.parametrize("field, value", [
    ("school_year", "2025"), ("school_year", "2025-2027"), ("school_year", "abcd-efgh"),
    ("sets", ["does-not-exist"]), ("sets", []), ("links", []), ("links", ["1:rector"]),
    ("links", ["x"]), ("closes_on", "2020-01-01"), ("closes_on", "tomorrow"),
    ("expected", ""), ("expected", "0"), ("expected", "many"), ("expected", "100001"),
])
def test_a_round_with_bad_input_is_not_opened(coordinator, world, db, field, value):
    data = {"school_year": "2026-2027", "sets": ["mini"], "expected": "5",
            "links": [f"{world.a.school}:schoolopleider"], field: value}
    before = rounds.rounds(db, world.a.id)
    assert coordinator.post(f"/p/{world.a.id}/rounds/new", data=data).status_code == 400
    assert rounds.rounds(db, world.a.id) == before


def test_a_partner_of_another_partnership_cannot_be_put_in_a_round(coordinator, world, db):
    data = {"school_year": "2026-2027", "sets": ["mini"], "expected": "5",
            "links": [f"{world.b.school}:schoolopleider"]}
    assert coordinator.post(f"/p/{world.a.id}/rounds/new", data=data).status_code == 400


def test_only_partner_and_role_combinations_that_exist_are_offered(coordinator, world, db):
    """An institute has no mentors and no student teachers: no such link is offered,
    and one sent anyway is refused."""
    page = coordinator.get(f"/p/{world.a.id}/rounds/new").get_data(as_text=True)
    assert f'value="{world.a.school}:werkplekbegeleider"' in page
    assert f'value="{world.a.institute}:werkplekbegeleider"' not in page
    assert f'value="{world.a.institute}:leraar-in-opleiding"' not in page
    data = {"school_year": "2026-2027", "sets": ["mini"], "expected": "5",
            "links": [f"{world.a.institute}:werkplekbegeleider"]}
    assert coordinator.post(f"/p/{world.a.id}/rounds/new", data=data).status_code == 400


def test_the_new_round_form_names_the_sets_in_the_readers_language(coordinator, world):
    for lang, title in (("nl", world.catalogue.sets["mini"].title.nl),
                        ("en", world.catalogue.sets["mini"].title.en)):
        coordinator.get(f"/lang/{lang}")
        page = coordinator.get(f"/p/{world.a.id}/rounds/new").get_data(as_text=True)
        labels = re.findall(r'<label for="set-[\w-]+"><strong>([^<]*)</strong></label>', page)
        assert labels and labels[0].startswith(title), labels
        assert not any("Text(" in x for x in labels)


def test_links_download_as_csv(coordinator, world):
    response = coordinator.get(f"/p/{world.a.id}/rounds/{world.a.round}/links.csv")
    assert response.mimetype == "text/csv"
    # In Dutch (the default) a CSV is separated by ';', as a Dutch Excel reads it
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))
    assert len(rows) == 1 + len(world.a.links)
    assert {r[4].rsplit("/", 1)[1] for r in rows[1:]} == {x["token"] for x in world.a.links}


def test_a_partner_name_that_looks_like_a_formula_is_neutralised_in_csv(coordinator, world, db):
    db.execute("update partner set name = '=HYPERLINK(\"http://x\")' where id = ?",
               [world.a.school])
    text = coordinator.get(f"/p/{world.a.id}/rounds/{world.a.round}/links.csv").get_data(
        as_text=True)
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_every_link_has_a_qr_code_that_encodes_its_url(coordinator, world):
    a = world.a
    response = coordinator.get(f"/p/{a.id}/rounds/{a.round}/links/{a.link}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    # a standalone SVG without its namespace is unknown XML to a browser: nothing is drawn
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    workshop = coordinator.get(f"/p/{a.id}/workshops/{a.workshop}/qr.svg")
    assert workshop.mimetype == "image/svg+xml"
    assert 'xmlns="http://www.w3.org/2000/svg"' in workshop.get_data(as_text=True)


def test_response_counts_per_partner_and_role(coordinator, world, db, new_respondent):
    for _ in range(2):
        new_respondent(world.a.token).start()
    counts = {x["token"]: (x["started"], x["completed"]) for x in rounds.links(db, world.a.round)}
    assert counts[world.a.token] == (2, 0)
    assert sum(started for started, _ in counts.values()) == 2
    page = coordinator.get(f"/p/{world.a.id}/rounds/{world.a.round}").get_data(as_text=True)
    page = re.sub(r"<td [^>]*>", "<td>", page)   # cells carry their column name for phones
    assert "<td>minder dan 3</td><td>0</td>" in page   # 2 started: too few to name


def test_closing_a_round_stops_new_answers(coordinator, world, db, new_respondent):
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/closed")
    assert rounds.round_of(db, world.a.id, world.a.round)["status"] == "closed"
    person = new_respondent(world.a.token)
    assert person.client.get(f"/s/{world.a.token}").status_code == 410
    assert person.start().status_code == 410
    assert db.execute("select count(*) from respondent").fetchone()[0] == 0
    coordinator.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/open")
    assert new_respondent(world.a.token).start().status_code == 302


def test_an_unknown_status_is_404(coordinator, world):
    assert coordinator.post(
        f"/p/{world.a.id}/rounds/{world.a.round}/status/paused").status_code == 404


def test_a_double_click_opens_one_round(coordinator, world, db):
    data = {"school_year": "2026-2027", "title": "Zelfscan", "sets": ["mini"],
            "expected": "5", "links": [f"{world.a.school}:schoolopleider"]}
    assert coordinator.post(f"/p/{world.a.id}/rounds/new", data=data).status_code == 302
    assert coordinator.post(f"/p/{world.a.id}/rounds/new", data=data).status_code == 409
    assert [r["title"] for r in rounds.rounds(db, world.a.id)].count("Zelfscan") == 1


def test_a_new_link_needs_an_expected_number_and_the_page_says_why(coordinator, world, db):
    """Every group link expects a number of people: adding one without it is refused,
    and a link from before the rule shows a notice saying its new questionnaires do
    not count until it has one (docs/privacy.md, "who counts")."""
    url = f"/p/{world.a.id}/rounds/{world.a.round}"
    pair = f"{world.a.school}:werkplekbegeleider"
    before = rounds.links(db, world.a.round)
    for bad in ("", "0", "veel"):
        refused = coordinator.post(f"{url}/links/add", data={"link": [pair], "expected": bad})
        assert refused.status_code == 400
        assert "verwacht" in refused.get_data(as_text=True)
        assert rounds.links(db, world.a.round) == before
    assert coordinator.post(f"{url}/links/add",
                            data={"link": [pair], "expected": "4"}).status_code == 302
    added = [x for x in rounds.links(db, world.a.round) if x["role"] == "werkplekbegeleider"]
    assert [x["invited"] for x in added] == [4]
    page = coordinator.get(url).get_data(as_text=True)
    assert 'id="unnumbered"' not in page
    assert "Verwacht aantal mensen per nieuwe link" in page
    rounds.set_invited(db, world.a.round, {added[0]["id"]: None})
    page = coordinator.get(url).get_data(as_text=True)
    assert 'id="unnumbered"' in page
    assert "telt niet mee voor de anonimiteitsdrempel" in page.split('id="unnumbered"')[1]

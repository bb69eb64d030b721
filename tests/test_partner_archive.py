"""A partner with answers is archived instead of deleted: nothing lost, not offered again."""

import re

import pytest

from scan import create_app, partners, releases, rounds, scoring


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def url(world, action, partner_id=None):
    return f"/p/{world.a.id}/partners/{partner_id or world.a.school}/{action}"


def archived(db, partner_id) -> int:
    return db.execute("select archived from partner where id = ?", [partner_id]).fetchone()[0]


def kept(db, round_id):
    """What must survive archiving: the round's links and every answer."""
    return (rounds.links(db, round_id),
            list(db.query("select * from answer order by rowid")),
            list(db.query("select * from respondent order by rowid")))


def report_page(client, world) -> str:
    """The round's report as shown, without the CSRF token (it carries a timestamp)."""
    response = client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini")
    assert response.status_code == 200
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))


def test_deleting_a_partner_with_links_offers_to_archive_it(coordinator, world, db):
    response = coordinator.post(url(world, "delete"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f'action="{url(world, "archive")}"' in page  # the way out, as a POST form
    assert partners.partner(db, world.a.id, world.a.school) is not None
    assert not archived(db, world.a.school)


def test_archiving_keeps_links_answers_and_the_report(coordinator, world, db, scored):
    before = kept(db, world.a.round)
    report = report_page(coordinator, world)
    assert "School a" in report  # the partner is one of the report's groups
    assert coordinator.post(url(world, "delete")).status_code == 409
    response = coordinator.post(url(world, "archive"))
    assert response.status_code == 302
    coordinator.get(response.location)  # shows (and so clears) the flash message
    assert archived(db, world.a.school) == 1
    assert kept(db, world.a.round) == before
    release = releases.latest(db, world.a.round)
    assert scoring.round_report(db, release, world.catalogue.sets["mini"], 3) == scored
    assert report_page(coordinator, world) == report


def test_an_archived_partner_is_not_offered_for_new_rounds_and_listed_apart(coordinator,
                                                                              world, db):
    response = coordinator.post(url(world, "archive"))
    assert "School a" in coordinator.get(response.location).get_data(as_text=True)  # flash
    active = [p["id"] for p in partners.active_partners(db, world.a.id)]
    assert active == [world.a.institute]
    assert world.a.school in [p["id"] for p in partners.partners(db, world.a.id)]
    page = coordinator.get(f"/p/{world.a.id}/partners").get_data(as_text=True)
    active_part, archived_part = page.split('id="archived-partners"')
    assert "School a" not in active_part and "Instituut a" in active_part
    assert "School a" in archived_part and url(world, "restore") in archived_part


def test_an_archived_partner_can_be_restored(coordinator, world, db):
    coordinator.post(url(world, "archive"))
    assert coordinator.post(url(world, "restore")).status_code == 302
    assert archived(db, world.a.school) == 0
    assert world.a.school in [p["id"] for p in partners.active_partners(db, world.a.id)]
    page = coordinator.get(f"/p/{world.a.id}/partners").get_data(as_text=True)
    assert 'id="archived-partners"' not in page


def test_a_partner_without_links_is_still_deleted_outright(coordinator, world, db):
    unused = partners.add_partner(db, world.a.id, "Nieuwe school", "school", "po")
    assert coordinator.post(url(world, "delete", unused)).status_code == 302
    assert partners.partner(db, world.a.id, unused) is None


@pytest.mark.parametrize("action", ["archive", "restore"])
def test_another_partnerships_coordinator_gets_404(client, auth, world, db, action):
    partners.archive_partner(db, world.a.id, world.a.institute)  # something to restore
    before = partners.partners(db, world.a.id)
    auth.login(world.b.emails["coordinator"])
    for partner_id in (world.a.school, world.a.institute):
        assert client.post(url(world, action, partner_id)).status_code == 404
        # B's own address with A's partner: the partner is not B's, so also 404
        own = f"/p/{world.b.id}/partners/{partner_id}/{action}"
        assert client.post(own).status_code == 404
    assert partners.partners(db, world.a.id) == before


@pytest.mark.parametrize("role", ["viewer", "facilitator"])
@pytest.mark.parametrize("action", ["archive", "restore"])
def test_members_without_the_coordinator_role_get_403(client, auth, world, db, role, action):
    partners.archive_partner(db, world.a.id, world.a.institute)
    before = partners.partners(db, world.a.id)
    auth.login(world.a.emails[role])
    for partner_id in (world.a.school, world.a.institute):
        assert client.post(url(world, action, partner_id)).status_code == 403
    assert partners.partners(db, world.a.id) == before


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


@pytest.fixture
def guarded(app_config, world):
    """The coordinator of A signed in on the app with CSRF protection on, as in use."""
    client = create_app({**app_config, "WTF_CSRF_ENABLED": True}).test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": world.a.emails["coordinator"],
                                "password": "correct horse battery", "csrf_token": token})
    return client


@pytest.mark.parametrize("data", [{}, {"csrf_token": "tampered"}])
def test_archive_and_restore_without_a_valid_csrf_token_change_nothing(guarded, world, db,
                                                                       data):
    assert guarded.post(url(world, "archive"), data=data).status_code == 400
    assert archived(db, world.a.school) == 0
    partners.archive_partner(db, world.a.id, world.a.school)
    assert guarded.post(url(world, "restore"), data=data).status_code == 400
    assert archived(db, world.a.school) == 1


def test_the_offered_archive_form_works_with_csrf_on(guarded, world, db):
    token = csrf_token(guarded.get(f"/p/{world.a.id}/partners").get_data(as_text=True))
    refused = guarded.post(url(world, "delete"), data={"csrf_token": token})
    assert refused.status_code == 409
    offered = csrf_token(refused.get_data(as_text=True))
    assert guarded.post(url(world, "archive"), data={"csrf_token": offered}).status_code == 302
    assert archived(db, world.a.school) == 1

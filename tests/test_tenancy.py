"""Nobody sees what is not theirs: every partnership route, tried from outside."""

import pytest


def partnership_routes(app):
    """Every (method, rule) of the app that touches a partnership (has <pid>)."""
    for rule in app.url_map.iter_rules():
        if "pid" in rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule


def url_for_rule(rule, target):
    """Fill a rule's arguments with ids that belong to partnership `target`."""
    values = {"pid": target.id, "rid": target.round, "lid": target.link,
              "partner_id": target.school, "user_id": target.users["viewer"],
              "status": "closed", "set_id": "mini", "what": "answers", "state": "off",
              "wid": target.joint if "/joint" in rule.rule else target.workshop,
              "row_id": target.drawn, "aid": target.action, "step": "spread",
              "framework_id": "mini-kader", "standard_id": "elkaar-kennen",
              "link_id": target.panel, "school_year": "2025-2026",
              "iid": 1, "cid": 1, "invitation_id": 1}
    unknown = rule.arguments - values.keys()
    assert not unknown, f"{rule.rule}: teach this test the argument(s) {unknown}"
    return rule.build(values, append_unknown=False)[1]


# A form that would change something if a route forgot to check membership.
HOSTILE_FORM = {"name": "x", "role": "viewer", "to": "0", "notes": "overwritten", "version": "0",
                "text": "x", "owner": "x", "status": "klaar", "mode": "random", "count": "1",
                "card": "md-02", "type": "school", "sector": "po", "closes_on": "2030-01-01",
                "school": "hr", "bestuur": "hr", "instituut": "hr", "link": "1:hr",
                "invited-1": "5", "minutes": "5", "dots": "3", "score": "4",
                "evidence": "x", "dimension": "kennismaken", "title": "x",
                "held_on": "2026-01-01", "source": "1:mini",
                "body": "overwritten", "days": "30", "years": "2025-2026",
                "addresses": "buiten@staan.nl", "lang": "nl", "expected": "1", "locked": "y"}


def snapshot(db):
    tables = ["partner", "membership", "round", "group_link", "respondent", "answer",
              "workshop", "workshop_card", "action", "role_setting", "joint_dimension",
              "participant", "placement", "sticky_note", "dot", "round_invitation", "mail",
              "invitation", "comment", "dossier_reflection", "panel_link", "benchmark_choice"]
    return {t: list(db.query(f"select * from {t} order by rowid")) for t in tables}


def test_there_are_partnership_routes_to_check(app):
    assert len(list(partnership_routes(app))) >= 12


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "viewer"])
def test_members_of_another_partnership_get_404_everywhere(app, client, auth, world, db, role):
    auth.login(world.b.emails[role])
    before = snapshot(db)
    for method, rule in partnership_routes(app):
        url = url_for_rule(rule, world.a)
        response = client.open(url, method=method, data=HOSTILE_FORM)
        assert response.status_code in (403, 404), f"{method} {url}: {response.status_code}"
    assert snapshot(db) == before


def test_ids_of_another_partnership_inside_ones_own_are_404(app, client, auth, world, db):
    """B's coordinator uses their own pid with A's round, partner, link and member ids."""
    auth.login(world.b.emails["coordinator"])
    before = snapshot(db)
    for method, rule in partnership_routes(app):
        if not rule.arguments - {"pid", "set_id", "what", "status", "state", "framework_id",
                                 "standard_id", "school_year"}:
            continue  # nothing in the address belongs to partnership A
        url = url_for_rule(rule, world.a).replace(f"/p/{world.a.id}/", f"/p/{world.b.id}/")
        response = client.open(url, method=method, data=HOSTILE_FORM)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
    assert snapshot(db) == before


COORDINATOR_ONLY = ["/p/{pid}/partners", "/p/{pid}/members", "/p/{pid}/rounds/new",
                    "/p/{pid}/roles", "/p/{pid}/rounds/{rid}/links/{lid}/reminder",
                    "/p/{pid}/rounds/{rid}/links.csv", "/p/{pid}/rounds/{rid}/links/print",
                    "/p/{pid}/rounds/{rid}/links/{lid}/qr.svg"]


@pytest.mark.parametrize("role", ["facilitator", "viewer"])
def test_members_without_the_coordinator_role_get_403(client, auth, world, role):
    auth.login(world.a.emails[role])
    for pattern in COORDINATOR_ONLY:
        url = pattern.format(pid=world.a.id, rid=world.a.round, lid=world.a.link)
        assert client.get(url).status_code == 403, url
    closing = client.post(f"/p/{world.a.id}/rounds/{world.a.round}/status/closed")
    assert closing.status_code == 403


def test_a_viewer_reads_the_response_but_not_the_links(client, auth, world):
    auth.login(world.a.emails["viewer"])
    page = client.get(f"/p/{world.a.id}/rounds/{world.a.round}").get_data(as_text=True)
    assert "School a" in page
    assert world.a.token not in page


def test_signed_out_visitors_are_sent_to_sign_in(app, client, world):
    for method, rule in partnership_routes(app):
        response = client.open(url_for_rule(rule, world.a), method=method)
        assert response.status_code == 302 and "/login" in response.location, rule.rule


def test_the_home_page_lists_only_ones_own_partnerships(client, auth, world):
    auth.login(world.b.emails["coordinator"])
    page = client.get("/").get_data(as_text=True)
    assert "Partnerschap B" in page and "Partnerschap A" not in page


def test_admin_pages_are_for_administrators_only(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    assert client.get("/admin/").status_code == 403
    assert client.post(f"/admin/users/{world.a.users['viewer']}/reset-password").status_code == 403

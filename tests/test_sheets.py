"""The one-page summary sheet per set: only what the released report shows, for members only."""

import pytest

from scan import workshops


def sheet(p, set_id="mini"):
    return f"/p/{p.id}/rounds/{p.round}/sheet/{set_id}"


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def test_the_sheet_shows_released_means_and_the_open_actions_on_the_set(member, world, db,
                                                                         scored):
    done = workshops.add_action(db, world.a.id, "Al afgerond", "Stuurgroep", None,
                                "afstemmen")
    workshops.update_action(db, world.a.id, done, status="klaar")
    workshops.add_action(db, world.a.id, "Buiten deze set", "Stuurgroep", None, None)
    workshops.add_action(db, world.b.id, "Afspraak van B", "Stuurgroep", None, "afstemmen")
    html = member.get(sheet(world.a)).get_data(as_text=True)
    means = html.split('class="sheet-means"')[1].split("</table>")[0]
    assert "3,00" in means and "2,50" in means   # all respondents, Dutch decimals
    assert "(n=8)" in means and "(n=4)" in means  # all, and school
    assert "estuur" not in means   # left out in the release (folded into the school side)
    assert "Afspraak a" in html
    assert "Al afgerond" not in html and "Buiten deze set" not in html
    assert "Afspraak van B" not in html
    assert "Bestuur a" not in html


def test_the_sheet_shows_no_numbers_before_a_release(member, world):
    html = member.get(sheet(world.a)).get_data(as_text=True)
    assert member.get(sheet(world.a)).status_code == 200
    assert 'class="sheet-means"' not in html and "(n=" not in html
    assert "Afspraak a" in html   # the action plan is not a survey result


def test_only_members_see_a_sheet(client, auth, world, scored):
    auth.login(world.b.emails["coordinator"])
    assert client.get(sheet(world.a)).status_code == 404
    assert client.get(f"/p/{world.b.id}/rounds/{world.a.round}/sheet/mini").status_code == 404
    assert client.get(sheet(world.b, "unknown")).status_code == 404
    auth.logout()
    assert client.get(sheet(world.a)).status_code in (302, 401)


def test_the_report_links_to_its_sheet(member, world, scored):
    html = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").get_data(
        as_text=True)
    assert f'href="{sheet(world.a)}"' in html

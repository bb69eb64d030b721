"""What people trip over on their way through Samenscan, where the markup shows it (the
browser walks are in test_browser_walk.py)."""

import pytest


@pytest.fixture
def coordinator(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    return client


def test_the_group_reminder_points_to_the_reminders_samenscan_sends(coordinator, world):
    """The copy-it-yourself reminder used to say Samenscan sends no mail, while it does
    send personal invitations and their reminders: a coordinator looked in vain."""
    page = coordinator.get(f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}"
                           "/reminder").get_data(as_text=True)
    assert "verstuurt zelf geen mail" not in page
    people = f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}/people"
    assert f'href="{people}"' in page

"""The field's own words: one name per set and deck, the seed instrument's name, no
"mentor" for a werkplekbegeleider, the steering group's read-only role by its name."""

import re
from pathlib import Path

from scan.question_files import load_catalogue
from scan.questions import for_respondent

QUESTIONS = Path(__file__).parent.parent / "questions"


def test_a_set_and_its_deck_carry_one_name():
    catalogue = load_catalogue(QUESTIONS)
    shared = set(catalogue.sets) & set(catalogue.decks)
    assert shared
    for name in shared:
        assert catalogue.sets[name].title == catalogue.decks[name].title, name
    assert catalogue.sets["samen-opleiden"].title.nl == "Scan opleiden in de school"


def test_no_dutch_text_calls_a_werkplekbegeleider_a_mentor():
    for path in QUESTIONS.rglob("*.yaml"):
        for dutch in re.findall(r'nl: "([^"]*)"', path.read_text()):
            # A class's mentor (leerlingen ... hun mentor) is the one right use in vo.
            if "mentor" in dutch.lower():
                assert "leerlingen" in dutch.lower(), (path.name, dutch[:80])


def test_a_programme_leader_is_asked_what_the_steering_group_is_asked():
    catalogue = load_catalogue(QUESTIONS)
    qset = catalogue.sets["samen-opleiden"]
    leader = for_respondent([qset], "programmaleider", None)
    steering = for_respondent([qset], "stuurgroeplid", None)
    assert [i.id for s in leader for i in s.items] == [i.id for s in steering for i in s.items]


def test_members_see_the_read_only_steering_group_role_by_its_name(client, auth, world):
    auth.login(world.a.emails["coordinator"])
    page = client.get(f"/p/{world.a.id}/members").get_data(as_text=True)
    assert "Stuurgroeplid (alleen lezen)" in page and "Meelezer" not in page
    roles = client.get(f"/p/{world.a.id}/roles").get_data(as_text=True)
    assert 'value="programmaleider"' in roles and "Programmaleider" in roles


def test_grid_and_axis_labels_are_capitalised(app):
    from scan.web.report_figures import tag_value

    catalogue = app.extensions["samenscan.catalogue"]
    with app.test_request_context():
        assert tag_value(catalogue.sets["mini"], "level", "institutioneel", "nl")[0].isupper()

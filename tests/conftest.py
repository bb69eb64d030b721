"""Fixtures: an app on a fresh database, two partnerships, and helpers that act like users."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from scan import accounts, create_app, partners, rounds, workshops
from scan.database import connect

DATA = Path(__file__).parent / "data"
PASSWORD = "correct horse battery"


@pytest.fixture
def app_config(tmp_path):
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE": str(tmp_path / "test.db"),
        "QUESTIONS": str(DATA / "questions"),
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(app_config):
    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    yield database
    database.conn.close()


def _partnership(db, catalogue, name: str, prefix: str) -> SimpleNamespace:
    pid = accounts.create_partnership(db, name)
    people = {}
    for role in accounts.MEMBER_ROLES:
        email = f"{role}@partnerschap-{prefix}.nl"
        people[role] = accounts.create_user(db, email, f"{role.title()} {prefix}", PASSWORD)
        accounts.set_member(db, pid, people[role], role)
    school = partners.add_partner(db, pid, f"School {prefix}", "school", "vo")
    institute = partners.add_partner(db, pid, f"Instituut {prefix}", "instituut", "vo")
    rid = rounds.create_round(db, pid, "2025-2026", f"Scan {prefix}", [catalogue.sets["mini"]],
                              [school, institute], ["schoolopleider", "instituutsopleider"])
    links = rounds.links(db, rid)
    workshop = workshops.create(db, pid, f"Werksessie {prefix}", date(2026, 1, 15), rid,
                                ["mini-deck"])
    drawn = workshops.add_card(db, workshop, "md-01")
    joint = workshops.create(db, pid, f"Samen scoren {prefix}", date(2026, 2, 1), rid, [],
                             set_id="mini", dimension_ids=("kennismaken", "afstemmen"))
    action = workshops.add_action(db, pid, f"Afspraak {prefix}", "Stuurgroep", None,
                                  "kennismaken", workshop, "md-01")
    return SimpleNamespace(id=pid, round=rid, school=school, institute=institute, links=links,
                           token=links[0]["token"], link=links[0]["id"], workshop=workshop,
                           joint=joint,
                           drawn=drawn, action=action,
                           workshop_token=workshops.workshop_of(db, pid, workshop)["token"],
                           emails={r: f"{r}@partnerschap-{prefix}.nl" for r in people},
                           users=people)


@pytest.fixture
def world(app, db):
    """Two partnerships, A and B, each with a coordinator, facilitator and viewer,
    two partners and an open round on the mini set."""
    catalogue = app.extensions["samenscan.catalogue"]
    admin = accounts.create_user(db, "admin@samenscan.nl", "Admin", PASSWORD, is_admin=True)
    return SimpleNamespace(a=_partnership(db, catalogue, "Partnerschap A", "a"),
                           b=_partnership(db, catalogue, "Partnerschap B", "b"),
                           admin=admin, catalogue=catalogue)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


class Respondent:
    """A person answering through a group link, in their own browser (test client)."""

    def __init__(self, app, token: str):
        self.client = app.test_client()
        self.group_token = token
        self.resume = None

    def start(self):
        response = self.client.post(f"/s/{self.group_token}")
        match = re.search(r"/r/([\w-]+)/welcome", response.location or "")
        self.resume = match[1] if match else None
        return response

    def page(self, number: int):
        return self.client.get(f"/r/{self.resume}/p/{number}")

    def key(self) -> str:
        """The form key the respondent's pages carry (as a browser would post it)."""
        from scan.web.respond import form_key

        with self.client.application.test_request_context():
            return form_key(self.resume)

    def save(self, number: int, dimension: str, answers: dict, comment: str = "",
             button: str = "next", **extra):
        data = {"page": dimension, "comment": comment, button: "1", "key": self.key(),
                **answers, **extra}
        return self.client.post(f"/r/{self.resume}/p/{number}", data=data)

    def submit(self):
        return self.client.post(f"/r/{self.resume}/review", data={"key": self.key()})


@pytest.fixture
def respondent(app, world):
    return Respondent(app, world.a.token)


@pytest.fixture
def new_respondent(app):
    return lambda token: Respondent(app, token)


@pytest.fixture(scope="session")
def browser():
    from browser import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def live(app_config, world):
    """The app with CSRF on, as people use it, served over HTTP."""
    from browser import LiveServer

    with LiveServer(create_app({**app_config, "WTF_CSRF_ENABLED": True})) as server:
        yield server


@pytest.fixture
def scored(world, db):
    """Round A answered by eight people (see answers.py); returns its report."""
    from answers import fill_round_a

    return fill_round_a(world, db)


@pytest.fixture
def demo_app(app_config):
    """The app on the real question files with the demo loaded (CSRF on)."""
    from scan import demo

    config = {**app_config, "WTF_CSRF_ENABLED": True}
    config.pop("QUESTIONS")
    demo_app = create_app(config)
    database = connect(config["DATABASE"])
    demo.build(database, demo_app.extensions["samenscan.catalogue"])
    database.conn.close()
    return demo_app


@pytest.fixture
def demo_live(demo_app):
    from browser import LiveServer

    with LiveServer(demo_app) as server:
        yield server


@pytest.fixture
def demo_world(demo_app):
    """Ids in the demo that the page-by-page browser tests visit."""
    from scan import responses

    database = connect(demo_app.config["DATABASE"])
    catalogue = demo_app.extensions["samenscan.catalogue"]
    open_round = 2  # Rivierenland 2025-2026, open
    link = rounds.links(database, open_round)[0]
    workshop = workshops.create(database, 1, "Demo-werksessie", date(2026, 12, 1), open_round,
                                ["samen-opleiden"])
    drawn = workshops.add_card(database, workshop, catalogue.decks["samen-opleiden"].cards[0].id)
    action = workshops.add_action(database, 1, "Jaarplanning delen", "Stuurgroep", None,
                                  "opleiden-visie", workshop, None)
    joint = workshops.create(database, 1, "Demo: samen scoren", date(2026, 12, 2), 1, [],
                             set_id="samen-opleiden",
                             dimension_ids=("opleiden-visie", "opleiden-realisatie"))
    joint_token = workshops.workshop_of(database, 1, joint)["token"]
    sets = rounds.round_sets(database, catalogue, open_round)
    finished = responses.start(database, open_round, link["id"])
    person = responses.respondent(database, finished)
    for page in responses.pages(sets):
        responses.save_page(database, person["id"], open_round, page,
                            {i.id: 2 for i in page.dimension.items}, "")
    submitted = responses.start(database, open_round, link["id"])
    someone = responses.respondent(database, submitted)
    for page in responses.pages(sets):
        responses.save_page(database, someone["id"], open_round, page,
                            {i.id: 3 for i in page.dimension.items}, "")
    responses.submit(database, someone["id"], responses.pages(sets))
    from scan import invitations

    invited = invitations.invite(database, 1, "nieuw@demo.samenscan.nl", "Nieuw lid",
                                 "viewer", 1)
    database.conn.close()
    return SimpleNamespace(round=open_round, token=link["token"], link=link["id"],
                           workshop=workshop, joint=joint,
                           joint_token=joint_token,
                           drawn=drawn, action=action, finished=finished, submitted=submitted,
                           invitation=invited,
                           closed_token=rounds.links(connect(demo_app.config["DATABASE"]),
                                                     1)[0]["token"],
                           workshop_token=workshops.workshop_of(
                               connect(demo_app.config["DATABASE"]), 1, workshop)["token"])


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free local port; .mailbox holds what arrives."""
    from smtp_server import SMTPServer

    with SMTPServer() as server:
        yield server


@pytest.fixture
def mail_config(app_config, smtp):
    """The app's settings with SCAN_MAIL_SERVER pointing at the test's SMTP server."""
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port,
            "MAIL_SENDER": "Samenscan <scan@samenscan.test>", "MAIL_TIMEOUT": 5}

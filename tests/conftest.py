"""Fixtures: an app on a fresh database, two partnerships, and helpers that act like users."""

from __future__ import annotations

import functools
import os
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from scan import accounts, create_app, panels, partners, passwords, rounds, workshops
from scan.database import backup, connect

DATA = Path(__file__).parent / "data"
PASSWORD = "correct horse battery"


def _shared_folder(tmp_path_factory, name: str) -> Path:
    """A folder every worker of this run shares (pytest-xdist runs one process per core,
    each with its own temporary folder inside the run's)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    return root / name


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes():
    """Passwords hashed with scrypt at 1/32 of Werkzeug's cost (N=1024 instead of 32768).

    At full cost each hash and each sign-in takes ~0.1 s of CPU, and `world` makes seven
    accounts per test: a third of the suite's time went to scrypt. The hashes are still
    real scrypt hashes, checked by Werkzeug as in production (the cost is in the hash).
    """
    quick = functools.partial(generate_password_hash, method="scrypt:1024:8:1")
    with pytest.MonkeyPatch.context() as patch:
        for module in (accounts, passwords):
            patch.setattr(module, "generate_password_hash", quick)
        yield


@pytest.fixture(scope="session")
def compressed_plotly(tmp_path_factory) -> list[Path]:
    """plotly.js compressed once per run for all workers (zopfli takes ~5 s of CPU, brotli
    ~1 s), instead of once per test's instance folder."""
    import importlib.resources

    from scan.precompressed import compressed, encoders
    from scan.web.reports import PLOTLY_URL

    source = Path(str(importlib.resources.files("plotly") / "package_data" / "plotly.min.js"))
    folder = _shared_folder(tmp_path_factory, "vendor")
    return [compressed(source, PLOTLY_URL.rsplit("/", 1)[1], folder, encoding)
            for encoding in encoders()]


@pytest.fixture
def app_config(tmp_path, compressed_plotly):
    """A fresh instance folder and database; the instance holds plotly.js compressed
    already, as it would after the first report anyone opened."""
    vendor = tmp_path / "instance" / "vendor"
    vendor.mkdir(parents=True)
    for kept in compressed_plotly:
        os.link(kept, vendor / kept.name)
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE": str(tmp_path / "test.db"),
        "QUESTIONS": str(DATA / "questions"),
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """An empty database with every migration applied, made once per worker: each test's
    app starts on a copy instead of running the migrations again (~0.09 s of CPU per
    app, ~1,000 apps per run). The migrations themselves are tested on their own."""
    from scan.database import migrate

    path = tmp_path_factory.mktemp("migrated") / "empty.db"
    database = connect(str(path))
    migrate(database)
    database.conn.close()
    return path


@pytest.fixture
def app(app_config, migrated_database):
    if not Path(app_config["DATABASE"]).exists():
        backup(migrated_database, app_config["DATABASE"])
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


# People each test round's group links expect: their questionnaires count towards k
# up to this number (docs/privacy.md, "who counts"), and links stop there.
EXPECTED = 20


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
                              [school, institute], ["schoolopleider", "instituutsopleider"],
                              expected=EXPECTED)
    links = rounds.links(db, rid)
    workshop = workshops.create(db, pid, f"Werksessie {prefix}", date(2026, 1, 15), rid,
                                ["mini-deck"])
    drawn = workshops.add_card(db, workshop, "md-01")
    joint = workshops.create(db, pid, f"Samen scoren {prefix}", date(2026, 2, 1), rid, [],
                             set_id="mini", dimension_ids=("kennismaken", "afstemmen"))
    action = workshops.add_action(db, pid, f"Afspraak {prefix}", "Stuurgroep", None,
                                  "kennismaken", workshop, "md-01")
    panel_token = panels.create(db, pid, "mini-kader", ["2025-2026"],
                                {"nl": f"<p>Kopie {prefix}</p>", "en": f"<p>Copy {prefix}</p>"},
                                14, people["coordinator"])
    return SimpleNamespace(id=pid, round=rid, school=school, institute=institute, links=links,
                           panel_token=panel_token, panel=panels.by_token(db, panel_token)["id"],
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


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo built once per run for all workers (building takes seconds of CPU); each
    test gets its own copy. One worker builds it aside while the others wait on the lock,
    then copies it into place: a build that fails leaves no demo behind."""
    import fcntl

    from scan import demo

    folder = _shared_folder(tmp_path_factory, "demo")
    folder.mkdir(parents=True, exist_ok=True)
    built = folder / "demo.db"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            aside = folder / f"building-{os.getpid()}.db"
            app = create_app({"TESTING": True, "INSTANCE_PATH": str(folder / "instance"),
                              "DATABASE": str(aside)})
            database = connect(str(aside))
            demo.build(database, app.extensions["samenscan.catalogue"])
            database.conn.close()
            backup(aside, built)
    return built


@pytest.fixture
def demo_app(app_config, demo_database):
    """The app on the real question files with the demo loaded (CSRF on)."""
    config = {**app_config, "WTF_CSRF_ENABLED": True}
    config.pop("QUESTIONS")
    backup(demo_database, config["DATABASE"])
    return create_app(config)


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


@pytest.fixture(autouse=True)
def close_what_the_test_opened_in_chromium(request):
    """The pages a test opened in the shared Chromium close when the test ends. Left
    open, each kept its renderer process (and the joint pages their polling every 2 s)
    for the rest of the worker's run, costing CPU and memory in every later test."""
    chromium = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    if chromium is not None:
        for context in chromium.contexts:
            context.close()

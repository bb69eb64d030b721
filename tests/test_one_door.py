"""One door for published numbers (issue 21): every view reaches results through
scan.results, and the results layer has no import circle.

The views are enumerated from the app's URL map, so a new view that publishes a
number is checked the day it is added: its module may read results only through
scan.results (which owns the audit of scan.releases), never the layers behind it,
and may not query answers, releases or stored reports itself.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest
from flask import url_for

import scan

SCAN = Path(scan.__file__).parent
BEHIND_THE_DOOR = {"scan.scoring", "scan.stored", "scan.releases", "scan.disclosure",
                   "scan.release_types"}
DB_FUNCTIONS = {"answer_rows", "rows_left_out"}   # scan.anonymised functions reading answers
RAW_TABLES = re.compile(r"\b(from|join)\s+(answer|release|released_report|comment)\b", re.I)


def _imports(path: Path) -> set[str]:
    """Every scan module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("scan")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scan"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names
                      if (SCAN / node.module.removeprefix("scan.").replace(".", "/")
                          / f"{a.name}.py").exists() or node.module == "scan"}
    return {m for m in found if m != "scan"}


def _domain_graph() -> dict[str, set[str]]:
    modules = {f"scan.{p.stem}": p for p in SCAN.glob("*.py") if p.stem != "__init__"}
    return {name: _imports(path) & modules.keys() for name, path in modules.items()}


def test_the_domain_layer_has_no_import_circle():
    graph = _domain_graph()
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != "open", " -> ".join([*path, node, nxt])
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert "scan.releases" in graph["scan.results"]   # the door owns the audit


def test_the_results_layer_runs_one_way():
    graph = _domain_graph()
    assert "scan.releases" not in graph["scan.stored"] | graph["scan.scoring"]
    assert "scan.stored" not in graph["scan.scoring"]
    assert graph["scan.release_types"] <= {"scan.database"}


def test_blueprints_take_what_they_share_from_the_context_module():
    """A blueprint that imported a name from the package registering it would make a
    circle (scan.web -> blueprint -> scan.web); shared names live in scan.web.context."""
    web = SCAN / "web"
    modules = {p.stem for p in web.glob("*.py")}
    for path in web.glob("*.py"):
        if path.stem == "__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "scan.web":
                names = {a.name for a in node.names}
                assert names <= modules, f"{path.name} imports {names - modules} from scan.web"


def _blueprint_modules() -> set[str]:
    """The modules of scan/web that make a blueprint (one per user job)."""
    found = set()
    for path in (SCAN / "web").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Blueprint"):
                found.add(f"scan.web.{path.stem}")
    return found


def test_no_blueprint_imports_another():
    """A blueprint is imported only by the package that registers it: what two of them
    share lives in a module beside them (scan.web.released, sessions, joint_session,
    questionnaire, signing_in, context), and those modules import no blueprint either.
    A reader who starts at a route walks downhill, never sideways into another job."""
    blueprints = _blueprint_modules()
    assert {"scan.web.reports", "scan.web.mirror", "scan.web.joint"} <= blueprints
    for path in (SCAN / "web").glob("*.py"):
        if path.stem == "__init__":
            continue
        module = f"scan.web.{path.stem}"
        sideways = (_imports(path) & blueprints) - {module}
        assert not sideways, f"{module} imports the blueprint module(s) {sorted(sideways)}"


def _view_modules(app) -> dict[str, set[str]]:
    """Module -> endpoints, for every view in the URL map."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        while hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        found.setdefault(view.__module__, set()).add(rule.endpoint)
    return found


def test_every_view_reaches_results_only_through_the_door(app):
    views = _view_modules(app)
    for module_name in ("scan.web.reports", "scan.web.exports", "scan.web.sheets",
                        "scan.web.summaries", "scan.web.joint", "scan.web.workshops",
                        "scan.web.rounds", "scan.web.comments", "scan.web.mirror"):
        assert module_name in views, module_name   # the views that publish numbers
    checked = set(views) | {f"scan.web.{p.stem}" for p in (SCAN / "web").glob("*.py")}
    for module_name in sorted(checked):
        module = importlib.import_module(module_name)
        source = Path(inspect.getfile(module))
        assert source.parent == SCAN / "web", f"{module_name}: a view outside scan/web"
        text = source.read_text()
        behind = _imports(source) & BEHIND_THE_DOOR
        assert not behind, f"{module_name} imports {behind}: go through scan.results"
        assert not RAW_TABLES.search(text), f"{module_name} reads results tables itself"
        for name in DB_FUNCTIONS:
            assert f"anonymised.{name}" not in text, f"{module_name}: {name} via scan.results"


# ---- the run-time proof: every page a reader opens, every read of the answer tables --

# A read of the answer tables must happen on a call that came in through scan.results:
# the door, and whatever it calls, is the only way to them.
ANSWER_TABLES = {"answer", "release", "released_report", "comment"}
# Arguments no signed-in reader can fill from the demo, and why their routes are left:
SKIPPED = {
    "name": "an outbox message's file name: administrators only, and mail holds no results",
    "token": "filled below for group links and workshops; a respondent's resume token, a "
             "personal or member invitation, a password reset or a panel link is a secret "
             "handed to one person, not a reader's page: a respondent's pages read only "
             "their own answers (scan.responses), a panel shows a copy frozen when made",
}
TOKEN_ROUTES = {"respond.landing", "participate.follow", "participate.follow_state"}
LEFT_OUT_ROUTES = {"admin.outbox_message", "accounts.invitation", "accounts.reset_password",
                   "panel.view", "personal.landing", "respond.page", "respond.resume",
                   "respond.review", "respond.thanks", "respond.welcome",
                   "mirror.mirror_page",   # its reads: tests/test_mirror.py
                   "participate.back_to_session"}   # a redirect to the session; reads nothing


def _read_recorder(monkeypatch) -> list[tuple[str, tuple[str, ...]]]:
    """Every read of an answer table on any connection opened from now on: (table, the
    scan modules on the Python stack, innermost first). SQLite asks the authorizer when
    it prepares a statement; with the statement cache off, that is every execution."""
    import sqlite3
    import sys

    reads: list[tuple[str, tuple[str, ...]]] = []
    real_connect = sqlite3.connect

    def authorize(action, table, _column, _db, _trigger):
        if action == sqlite3.SQLITE_READ and table in ANSWER_TABLES:
            frame, modules = sys._getframe(1), []
            while frame is not None:
                name = frame.f_globals.get("__name__", "")
                if name.startswith("scan.") and (not modules or modules[-1] != name):
                    modules.append(name)
                frame = frame.f_back
            reads.append((table, tuple(modules)))
        return sqlite3.SQLITE_OK

    def connect(*args, **kwargs):
        conn = real_connect(*args, **{**kwargs, "cached_statements": 0})
        conn.set_authorizer(authorize)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return reads


def _arguments(db, catalogue, pid: int) -> dict[str, list]:
    """Values for a partnership's URL arguments, from the demo (None: depends on rid)."""
    rounds_ = [r["id"] for r in db.query("select id from round where partnership_id = ?",
                                         [pid])]
    frameworks = list(catalogue.frameworks.values())
    return {
        "pid": [pid], "rid": rounds_,
        "wid": [r["id"] for r in db.query("select id from workshop where partnership_id = ?",
                                          [pid])],
        "aid": [r["id"] for r in db.query("select id from action where partnership_id = ?",
                                          [pid])][:2],
        "partner_id": [r["id"] for r in db.query(
            "select id from partner where partnership_id = ? limit 1", [pid])],
        "framework_id": [f.id for f in frameworks],
        "standard_id": [f.standards[0].id for f in frameworks][:1],
        "school_year": sorted({r["school_year"] for r in db.query(
            "select school_year from round where partnership_id = ?", [pid])}),
        "deck_id": sorted(catalogue.decks), "job": ["coordinator", "steering-group"],
        "code": ["nl"], "status": ["open", "closed"], "partnership_id": [pid],
        "what": ["summary", "answers", "comments", "joint"],
    }


def _urls(app, db, pid: int) -> tuple[list[str], set[str]]:
    """Every GET URL of the URL map a reader of partnership `pid` could open, and the
    endpoints left out (SKIPPED says why)."""
    from itertools import product

    catalogue = app.extensions["samenscan.catalogue"]
    values = _arguments(db, catalogue, pid)
    urls, skipped = [], set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.endpoint in TOKEN_ROUTES:
            urls += _token_urls(app, db, rule, pid)
            continue
        names = sorted(rule.arguments)
        if any(n in SKIPPED for n in names):
            skipped.add(rule.endpoint)
            continue
        for combo in product(*(values.get(n, [None]) for n in names)):
            args = dict(zip(names, combo, strict=True))
            for extra in _per_round(db, catalogue, rule, args):
                with app.test_request_context():
                    urls.append(url_for(rule.endpoint, **{**args, **extra}))
    return urls, skipped


def _per_round(db, catalogue, rule, args: dict) -> list[dict]:
    """Arguments that depend on the round: its sets and its first group link."""
    if "rid" in args:
        sets = [r["set_id"] for r in db.query(
            "select set_id from round_set where round_id = ? order by position", [args["rid"]])]
    else:
        sets = sorted({r["set_id"] for r in db.query(
            "select s.set_id from round_set s join round r on r.id = s.round_id "
            "where r.partnership_id = ?", [args.get("pid", 0)])})
    options = [{}]
    if "set_id" in rule.arguments:
        options = [{"set_id": s} for s in (sets or sorted(catalogue.sets)[:1])]
    if "lid" in rule.arguments:
        first = db.execute("select min(id) from group_link where round_id = ?",
                           [args["rid"]]).fetchone()[0]
        options = [{**o, "lid": first} for o in options] if first else []
    return options


def _token_urls(app, db, rule, pid: int) -> list[str]:
    found = (db.query("select l.token from group_link l join round r on r.id = l.round_id "
                      "where r.partnership_id = ? group by l.round_id", [pid])
             if rule.endpoint == "respond.landing" else
             db.query("select token from workshop where partnership_id = ?", [pid]))
    with app.test_request_context():
        return [url_for(rule.endpoint, token=r["token"]) for r in found]


def _outside_the_door(reads) -> list[tuple[str, tuple[str, ...]]]:
    """Reads of an answer table on a call that did not come in through scan.results."""
    return sorted({(table, modules) for table, modules in reads
                   if "scan.results" not in modules})


@pytest.mark.parametrize("email", ["stuurgroep@demo.samenscan.nl",
                                   "coordinator@demo.samenscan.nl"])
def test_every_page_a_reader_opens_reads_answers_only_through_the_door(demo_app, email,
                                                                       monkeypatch):
    """Run time, not source text: every GET route of the URL map is requested with the
    demo's ids as a viewer and as a coordinator, while SQLite's authorizer records each
    read of the answer tables with the Python stack. Each read must happen in scan.results
    or a module behind it, on a call that came in through scan.results."""
    from scan.database import connect

    db = connect(demo_app.config["DATABASE"])
    partnerships = [r["id"] for r in db.query("select id from partnership order by id")][:2]
    reads = _read_recorder(monkeypatch)
    client = demo_app.test_client()
    token = client.get("/login").data.decode().split('name="csrf_token" type="hidden" value="')
    client.post("/login", data={"email": email, "password": "demo-samenscan",
                                "csrf_token": token[1].split('"')[0]})
    statuses: dict[str, int] = {}
    skipped: set[str] = set()
    outside = []
    for pid in partnerships:
        urls, left = _urls(demo_app, db, pid)
        skipped |= left
        for url in urls:
            before = len(reads)
            response = client.get(url)
            statuses[url] = response.status_code
            response.close()
            assert statuses[url] < 500, url
            outside += [(url, *read) for read in _outside_the_door(reads[before:])]
    assert not outside, "\n".join(f"{url} read {table} outside scan.results: {modules}"
                                   for url, table, modules in outside[:10])
    assert skipped == LEFT_OUT_ROUTES, skipped
    # Meaningful: the pages that publish numbers were opened and read through the door.
    opened = [u for u, code in statuses.items() if code == 200]
    assert any("/report/" in u for u in opened) and any("/years/" in u for u in opened)
    assert {table for table, _m in reads} >= {"release", "released_report"}
    if email.startswith("coordinator"):
        assert any(u.endswith("export.json") for u in opened)
        assert {table for table, _m in reads} >= {"answer", "comment"}

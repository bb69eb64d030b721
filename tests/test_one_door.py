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

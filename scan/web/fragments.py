"""Parts of report pages rendered once until what they show changes.

The heavy part of a report page (figures, grids, per-statement tables) is kept
in SQLite by `scan.rendered`, shared by every worker, and in a small per-worker
cache in front of it. A fragment's key names everything it shows besides the
page itself: the caller adds what changes its numbers (the stored release,
partner names, joint scores); language, role, the anonymity threshold, the
address the app is served under and the app's own build (its code, templates,
translations, question files and the versions of the libraries that render
them) are always part of it, so a new version never serves an old fragment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from importlib import metadata
from pathlib import Path

from flask import Flask, current_app, g, request
from flask_babel import get_locale
from markupsafe import Markup

from scan import rendered
from scan.caches import Bounded
from scan.db import get_db

# The package's code (scan/): its files can change a rendered fragment. Found from this
# file, not by importing the package, which imports the web layer (no import circle).
PACKAGE = Path(__file__).resolve().parents[1]
# Files whose change can change a rendered fragment.
BUILD_FILES = ("*.py", "*.html", "*.mo", "*.yaml", "*.yml", "*.json", "*.md")
# Libraries whose upgrade can change one (templates, escaping, dates, addresses).
BUILD_LIBRARIES = ("Flask", "Jinja2", "MarkupSafe", "Werkzeug", "Babel", "Flask-Babel")


def build_digest(*folders: str | Path) -> str:
    """A digest of every file under the folders that a rendering depends on, and of the
    versions of the libraries that render it."""
    digest = hashlib.sha256()
    for library in BUILD_LIBRARIES:
        digest.update(f"{library} {metadata.version(library)}".encode())
    for folder in map(Path, folders):
        for path in sorted(p for pattern in BUILD_FILES for p in folder.rglob(pattern)):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def init_app(app: Flask) -> None:
    app.extensions["samenscan.build"] = build_digest(
        PACKAGE, app.template_folder, app.config["QUESTIONS"])


def kept(partnership_id: int, page: str, key: Hashable, render: Callable[[], str]) -> Markup:
    """The page's fragment for this key, rendered only when no worker has kept it
    (always, with KEEP_RENDERED off: what the first reader after a release waits for,
    which the benchmark measures so)."""
    return kept_and_stored(partnership_id, page, key, render)[0]


def kept_and_stored(partnership_id: int, page: str, key: Hashable,
                    render: Callable[[], str]) -> tuple[Markup, bool]:
    """`kept`, and whether SQLite holds the fragment now (False: rendering is off, or
    the database was too busy to keep it): a page built around a fragment that is
    not stored is not kept either, so the next reader stores it for every worker."""
    if not current_app.config["KEEP_RENDERED"]:
        return Markup(render()), False
    variant = f"{get_locale()} {g.role}"
    key_digest = rendered.digest((partnership_id, page, current_app.extensions["samenscan.build"],
                                  request.script_root, variant,
                                  current_app.config["ANONYMITY_THRESHOLD"], key))

    def from_store() -> tuple[str, bool]:
        html = rendered.fetch(get_db(), partnership_id, page, variant, key_digest)
        if html is not None:
            return html, True
        html = str(render())
        return html, rendered.keep(get_db(), partnership_id, page, variant, key_digest, html)

    # Per worker in front of SQLite, keyed by the digest (so never stale), bounded;
    # only what SQLite holds too, so a body this worker could not keep is kept by the
    # next reader for every worker.
    cache = Bounded.of_app(current_app, "samenscan.fragments", entries=128,
                           max_bytes=16 * 2**20, size=lambda found: len(found[0]))
    html, stored = cache.get(key_digest, from_store, keep=lambda found: found[1])
    return Markup(html), stored

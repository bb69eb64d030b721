"""Samenscan: self-scans and dialogue-card workshops for teacher-education partnerships."""

from __future__ import annotations

import os
import secrets
import sqlite3
import tempfile
from pathlib import Path

from flask import Flask

try:   # under gunicorn, a refusal stops it with the sentence instead of a traceback per worker
    from gunicorn.errors import AppImportError as _StopsGunicorn
except ImportError:   # gunicorn is not a dependency of the app itself
    class _StopsGunicorn(Exception):
        pass

PACKAGE = Path(__file__).parent


class StartupRefused(RuntimeError, _StopsGunicorn):
    """Why the app will not start, in one sentence an operator can act on: `scan`
    prints it without a traceback, gunicorn prints it and stops (its AppImportError)."""


def _data_folder(name: str) -> Path:
    """templates/ and questions/ live at the top of the source tree and inside
    the installed package (the wheel maps them there)."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name


MIN_SECRET_KEY = 32


def _secret_key(instance: Path) -> str:
    """The key from the instance folder, made once.

    Every worker reads the same file, so sessions and CSRF tokens stay valid
    whichever worker answers. The key is written to a temporary file and linked
    into place, so no worker ever reads a half-written (empty) key, and only
    the first of several processes starting at once gets to place it.
    """
    path = instance / "secret_key"
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=instance, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            os.link(temporary, path)       # fails if another process placed it first
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    try:
        key = path.read_text().strip()
    except OSError as error:
        raise StartupRefused(f"Samenscan cannot read its secret key {path} ({error.strerror}): "
                             "give the user that runs Samenscan read access, or set "
                             "SCAN_SECRET_KEY") from error
    if len(key) < MIN_SECRET_KEY:
        raise StartupRefused(f"{path} holds no usable secret key (empty or under "
                           f"{MIN_SECRET_KEY} characters): remove it to make a new one, "
                           "or set SCAN_SECRET_KEY")
    return key


def _check_writable(database: str) -> None:
    """Refuse to start on a database the app cannot write, rather than serve pages
    that fail at every save."""
    path = Path(database)
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        raise StartupRefused(f"The database {path} is read-only for this user: Samenscan "
                           "cannot store answers. Fix its owner or permissions.")
    if not os.access(folder, os.W_OK):
        raise StartupRefused(f"The folder {folder} is read-only for this user: SQLite needs "
                           "to write its journal there. Fix its owner or permissions.")


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("SCAN_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path,
                template_folder=str(_data_folder("templates")))
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE=str(instance / "samenscan.db"),
        QUESTIONS=str(_data_folder("questions")),
        MAX_CONTENT_LENGTH=512 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # a questionnaire left open for hours must still save
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 60,
        BABEL_DEFAULT_LOCALE="nl",
        ANONYMITY_THRESHOLD=3,
        PROXY_FIX=False,
        KEEP_RENDERED=True,
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SCAN")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)

    from scan import cli, db, web

    _check_writable(app.config["DATABASE"])
    try:
        db.init_app(app)
    except (OSError, sqlite3.DatabaseError) as error:
        raise StartupRefused(
            f"Samenscan cannot open the database {app.config['DATABASE']} ({error}): check "
            "that it is a Samenscan database and that it, its -wal and -shm files and its "
            "folder belong to the user that runs Samenscan") from error
    cli.init_app(app)
    web.init_app(app)
    return app

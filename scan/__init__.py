"""Samenscan: self-scans and dialogue-card workshops for teacher-education partnerships."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

PACKAGE = Path(__file__).parent


def _data_folder(name: str) -> Path:
    """templates/ and questions/ live at the top of the source tree and inside
    the installed package (the wheel maps them there)."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name


def _secret_key(instance: Path) -> str:
    """The key from the instance folder, made once.

    Every worker reads the same file, so sessions and CSRF tokens stay valid
    whichever worker answers; O_EXCL makes sure only one process writes it.
    """
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()


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
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SCAN")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)

    from scan import cli, db, web

    db.init_app(app)
    cli.init_app(app)
    web.init_app(app)
    return app

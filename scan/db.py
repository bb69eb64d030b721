"""The app's database connection: one per request, on `g`, closed on teardown."""

from __future__ import annotations

import os
import weakref

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from sqlite_utils import Database

from scan import releases
from scan.database import connect, hold_in_use, migrate


def get_db() -> Database:
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring its schema up to date (and its results: rounds
    closed before releases existed are released once)."""
    migrate(get_db())
    released = releases.release_closed_rounds(
        get_db(), current_app.extensions["samenscan.catalogue"],
        int(current_app.config["ANONYMITY_THRESHOLD"]))
    if released:
        click.echo(f"Released the results of {len(released)} closed rounds")
    click.echo(f"Database ready: {current_app.config['DATABASE']}")


def release_in_use(app: Flask) -> None:
    release = app.extensions.pop("samenscan.in_use", None)
    if release is not None:
        release()


def init_app(app: Flask) -> None:
    # Held while the app lives: `scan restore` refuses while any app holds it.
    fd = hold_in_use(app.config["DATABASE"])
    app.extensions["samenscan.in_use"] = weakref.finalize(app, os.close, fd)
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
    finally:
        db.conn.close()

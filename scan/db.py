"""The app's database connection: one per worker thread, lent to each request on `g`."""

from __future__ import annotations

import os
import threading
import weakref

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from sqlite_utils import Database

from scan import results
from scan.database import connect, hold_in_use, migrate


def get_db() -> Database:
    if "db" not in g:
        g.db = _kept_connection(current_app)
    return g.db


def _kept_connection(app: Flask) -> Database:
    """This thread's connection to the app's database, opened once and kept.

    Opening a connection and setting its pragmas was a third of a small request's
    time (a phone's poll). Kept per app and thread (SQLite connections are not shared
    between threads) and per process (a fork gets its own); a thread's connection
    closes when the thread ends or the app goes.
    """
    kept = app.extensions["samenscan.connections"]
    key = (os.getpid(), app.config["DATABASE"])
    if getattr(kept, "key", None) != key:
        kept.db, kept.key = connect(app.config["DATABASE"]), key
    return kept.db


def close_db(_exc: BaseException | None = None) -> None:
    """Give the connection back: a request that failed half-way through a write never
    leaves its transaction open for the next request on this thread."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.execute("rollback")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring its schema up to date (and its results: rounds
    closed before releases existed are released once)."""
    migrate(get_db())
    released = results.publish_closed_rounds(
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
    app.extensions["samenscan.connections"] = threading.local()
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
    finally:
        db.conn.close()

"""The `scan` command: Flask's own commands plus ours."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from scan import StartupRefused, _data_folder, accounts, create_app
from scan.database import backup, exclusive_use, integrity_problem, new_generation
from scan.db import get_db, release_in_use
from scan.question_files import QuestionFileError, load_catalogue
from scan.questions import (
    FIRST_PERSON_ROLES,
    RESPONDENT_ROLES,
    first_person_sector_gaps,
    levels_described,
    minutes_to_answer,
    not_in_first_person,
    short_help_missing,
)


def _stats(catalogue) -> list[str]:
    """The content statistics an author checks coverage with: per set its size, the
    statements and minutes per role, and per dimension its rubric and cards."""
    cards = catalogue.cards_per_dimension()
    lines = []
    for qset in catalogue.sets.values():
        lines.append(f"{qset.id}: {len(qset.dimensions)} dimensions, {len(qset.items)} items")
        for role in RESPONDENT_ROLES:
            routed = qset.for_role(role)
            quick, careful = minutes_to_answer([routed])
            lines.append(f"  role {role}: {len(routed.items)} items, "
                         f"{len(routed.dimensions)} pages, {quick}-{careful} min")
        for dim in qset.dimensions:
            described, levels = levels_described(dim, qset.scale)
            lines.append(f"  dimension {dim.id}: {len(dim.items)} items, "
                         f"rubric {'yes' if dim.rubric else 'NO'}, {cards[dim.id]} cards, "
                         f"levels described {described}/{levels}")
        for role in FIRST_PERSON_ROLES:
            lines += [f"  not in the first person for {role}: {item.id}: {item.text('nl')}"
                      for item in not_in_first_person(qset, role)]
            lines += [f"  no first-person {sector} wording for {role}: {item.id}: "
                      f"{item.sector[sector].nl}"
                      for item, sector in first_person_sector_gaps(qset, role)]
        lines += [f"  no short_help for dimension {dim.id} ({len(dim.items)} items): "
                  + ", ".join(f"{role} gets {asked}" for role, asked in few)
                  for dim, few in short_help_missing(qset)]
    return [*lines, _level_coverage(catalogue), *_first_person_coverage(catalogue)]


def _level_coverage(catalogue) -> str:
    """How many of the scale's levels the themes describe, over every set."""
    counts = [levels_described(d, s.scale) for s in catalogue.sets.values()
              for d in s.dimensions]
    complete = sum(1 for described, levels in counts if described == levels)
    return (f"level descriptions: {sum(c[0] for c in counts)} of {sum(c[1] for c in counts)} "
            f"levels; {complete} of {len(counts)} themes describe every level")


def _sector_wordings(catalogue, role: str) -> list[tuple]:
    """(item, sector) for every sector wording of a statement the role reads in the first
    person: each needs a first-person form (or `same`)."""
    return [(i, sector) for s in catalogue.sets.values() for i in s.items
            if i.asks(role) and i.first_person for sector in i.sector]


def _first_person_coverage(catalogue) -> list[str]:
    """Per role that judges its own experience: statements in the first person, and sector
    wordings with a first-person form, over every set."""
    lines = []
    for role in FIRST_PERSON_ROLES:
        asked = [i for s in catalogue.sets.values() for i in s.for_role(role).items]
        missing = [i for s in catalogue.sets.values() for i in not_in_first_person(s, role)]
        wordings = _sector_wordings(catalogue, role)
        gaps = [g for s in catalogue.sets.values() for g in first_person_sector_gaps(s, role)]
        lines.append(f"first person for {role}: {len(asked) - len(missing)} of {len(asked)} "
                     f"statements; {len(wordings) - len(gaps)} of {len(wordings)} po/vo/mbo "
                     f"wordings have a first-person form")
    return lines


def _first_person_notes(catalogue) -> list[str]:
    """Per role that judges its own experience: statements not in the first person, and
    sector wordings the first-person text would hide."""
    notes = []
    for role in FIRST_PERSON_ROLES:
        asked = [i for s in catalogue.sets.values() for i in s.for_role(role).items]
        missing = [i for s in catalogue.sets.values() for i in not_in_first_person(s, role)]
        if missing:
            notes.append(f"note: {len(missing)} of {len(asked)} statements for {role} are not "
                         f"in the first person (--stats lists them)")
        gaps = [g for s in catalogue.sets.values() for g in first_person_sector_gaps(s, role)]
        if gaps:
            statements = len({item.id for item, _sector in gaps})
            notes.append(f"note: po/vo/mbo wordings without a first-person form for {role}: "
                         f"{len(gaps)} in {statements} of {len(asked)} statements (--stats "
                         f"lists them); write one under first_person_sector, or 'same'")
    return notes


def _short_help_notes(catalogue, folder: Path) -> list[str]:
    """Themes that routing gives some role only a few statements of, without a short
    introduction: that role reads the whole introduction for one or two statements."""
    return [f"{folder / (qset.id + '.yaml')}:{dim.line}: note: dimension {dim.id} has no "
            f"short_help, and routing gives {_few_statements(few, len(dim.items))}"
            for qset in catalogue.sets.values() for dim, few in short_help_missing(qset)]


def _few_statements(few: list[tuple[str, int]], items: int) -> str:
    """"1 of its 5 statements to bestuurder, hr; 2 to werkplekbegeleider"."""
    counts = sorted({asked for _role, asked in few})
    parts = [f"{asked} to " + ", ".join(role for role, n in few if n == asked) for asked in counts]
    return f"{parts[0].replace(' to ', f' of its {items} statements to ', 1)}" + "".join(
        f"; {part}" for part in parts[1:])


@click.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--stats", is_flag=True, help="Also print statements per role, rubrics and cards.")
def check_command(folder: Path | None, stats: bool) -> None:
    """Validate the question sets and card decks (default: the bundled questions/)."""
    folder = folder or _data_folder("questions")
    try:
        catalogue = load_catalogue(folder)
    except QuestionFileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.exceptions.Exit(1) from None
    items = sum(len(s.items) for s in catalogue.sets.values())
    if stats:
        click.echo("\n".join(_stats(catalogue)))
    for note in [*_first_person_notes(catalogue), *_short_help_notes(catalogue, folder)]:
        click.echo(note)
    click.echo(f"OK: {len(catalogue.sets)} sets, {items} items, "
               f"{len(catalogue.decks)} decks, {len(catalogue.cards())} cards, "
               f"{len(catalogue.frameworks)} frameworks in {folder}")


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--admin", is_flag=True, help="An instance administrator.")
@with_appcontext
def create_user_command(email: str, name: str, password: str, admin: bool) -> None:
    """Create an account (use --admin for the instance administrator)."""
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {accounts.MIN_PASSWORD_LENGTH} characters",
                                 param_hint="--password")
    db = get_db()
    if accounts.user_by_email(db, email):
        raise click.BadParameter(f"{email} already has an account", param_hint="--email")
    accounts.create_user(db, email, name, password, is_admin=admin)
    click.echo(f"Created {'administrator' if admin else 'user'} {email}")


@click.command("demo")
@click.option("--seed", default=2026, help="Random seed, for a repeatable demo.")
@with_appcontext
def demo_command(seed: int) -> None:
    """Fill the database with two demo partnerships, rounds and answers."""
    from scan import demo

    logins = demo.build(get_db(), current_app.extensions["samenscan.catalogue"], seed)
    click.echo("Demo ready. Sign in at http://127.0.0.1:5000 with:")
    for email, password, what in logins:
        click.echo(f"  {email} / {password}   ({what})")
    if not current_app.config.get("MAIL_SERVER"):
        click.echo("No mail server is set (SCAN_MAIL_SERVER): every invitation, reminder "
                   "and password link goes to the outbox. Read it as the administrator at "
                   "http://127.0.0.1:5000/admin/outbox")


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Copy the database to DESTINATION, safely while the app is writing."""
    if destination.exists():
        raise click.BadParameter(f"{destination} exists; choose a new file",
                                 param_hint="DESTINATION")
    copied = backup(current_app.config["DATABASE"], destination)
    click.echo(f"Backed up {copied} pages to {destination}")


def _what_would_be_lost(current: Path, source: Path) -> str:
    """Respondents and answers in the current database that the backup lacks."""
    def counts(path: Path) -> tuple[int, int]:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return tuple(conn.execute("select (select count(*) from respondent), "
                                      "(select count(*) from answer)").fetchone())
        finally:
            conn.close()
    (people_now, answers_now), (people_then, answers_then) = counts(current), counts(source)
    return (f"{max(people_now - people_then, 0)} respondents and "
            f"{max(answers_now - answers_then, 0)} answers more than the backup")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Restore even though the app is running.")
@click.confirmation_option(prompt="Replace the current database with this backup?")
@with_appcontext
def restore_command(source: Path, force: bool) -> None:
    """Replace the database with a backup made by `scan backup` (stop the app first).

    The replaced database is kept beside it as <name>.replaced-<time>.
    """
    problem = integrity_problem(source)
    if problem:
        raise click.ClickException(f"{source} is not a sound backup: {problem}")
    target = Path(current_app.config["DATABASE"])
    release_in_use(current_app)   # this command's own app does not count as serving
    with exclusive_use(target) as alone:
        running = target.exists() and not alone
        if running and not force:
            raise click.ClickException(
                f"{target} is in use by a running Samenscan: stop it first. It now holds "
                f"{_what_would_be_lost(target, source)}, which the restore would lose. "
                "Use --force to restore anyway.")
        # Held until the copy is done: an app starting meanwhile waits for it.
        if target.exists():
            kept = target.with_name(f"{target.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}")
            backup(target, kept)
            click.echo(f"The replaced database is kept as {kept}")
        backup(source, target)
        # A new generation: running workers see a different database and read afresh.
        new_generation(target)
    click.echo(f"Restored {source} to {target}")
    if running:
        click.echo("The running Samenscan now serves the restored database: its workers "
                   "read afresh, since the restored database has a new generation.")


def init_app(app) -> None:
    """Commands that work on an app's database, so `flask` and tests find them too."""
    for command in (create_user_command, demo_command, backup_command, restore_command):
        app.cli.add_command(command)


def main() -> None:
    # `check` sits on the group itself: it must work when the files are so broken
    # that the app cannot start.
    cli = FlaskGroup(create_app=create_app, help="Samenscan: self-scans and dialogue cards.")
    cli.add_command(check_command)
    try:
        cli.main()
    except StartupRefused as refused:
        click.echo(f"Samenscan cannot start: {refused}", err=True)
        raise SystemExit(1) from None

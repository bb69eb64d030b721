"""The `scan` command: users, the demo, backups."""

import sqlite3
import threading

from scan import accounts
from scan.database import connect


def test_create_user_makes_an_administrator(runner, db):
    result = runner.invoke(args=["create-user", "--email", "beheer@samenscan.nl", "--name",
                                 "Beheer", "--password", "een-lang-wachtwoord", "--admin"])
    assert result.exit_code == 0, result.output
    assert accounts.user_by_email(db, "beheer@samenscan.nl")["is_admin"] == 1


def test_create_user_refuses_a_short_password_and_a_duplicate(runner, db):
    args = ["create-user", "--email", "x@samenscan.nl", "--name", "X", "--password"]
    assert runner.invoke(args=[*args, "kort"]).exit_code != 0
    assert runner.invoke(args=[*args, "lang-genoeg-wachtwoord"]).exit_code == 0
    assert runner.invoke(args=[*args, "lang-genoeg-wachtwoord"]).exit_code != 0


def test_init_db_twice_is_harmless(runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0


def test_backup_while_the_app_writes_and_restore(runner, app, world, db, tmp_path):
    stop = threading.Event()

    def keep_writing():
        writer = connect(app.config["DATABASE"])
        n = 0
        while not stop.is_set():
            accounts.create_partnership(writer, f"Druk {n}")
            n += 1
        writer.conn.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "backup.db")])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "backup.db")
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert copy.execute("select count(*) from user where email like '%partnerschap-a.nl'"
                        ).fetchone()[0] == 3
    copy.close()

    db.execute("delete from action")
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "backup.db")])
    assert result.exit_code == 0, result.output
    assert db.execute("select count(*) from action").fetchone()[0] == 2


def test_backup_never_overwrites_and_restore_refuses_a_broken_file(runner, tmp_path):
    (tmp_path / "exists.db").write_text("x")
    assert runner.invoke(args=["backup", str(tmp_path / "exists.db")]).exit_code != 0
    (tmp_path / "broken.db").write_text("not a database")
    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "broken.db")])
    assert result.exit_code != 0 and "not a sound backup" in result.output

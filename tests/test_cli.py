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


def _big_database(db, rows: int = 60_000) -> None:
    """Enough pages (several MB) that a copy in small steps would meet many commits."""
    db.conn.execute("begin")
    db.conn.executemany(
        "insert into audit (action, detail) values (?, ?)",
        [("filler", "x" * 120) for _ in range(rows)])
    db.conn.execute("commit")


def test_backup_finishes_while_respondents_keep_committing(runner, app, world, db, tmp_path):
    """A copy in 256-page steps restarted at every commit and never finished under load."""
    _big_database(db)
    stop, commits = threading.Event(), []

    def keep_committing():
        writer = connect(app.config["DATABASE"])
        while not stop.is_set():
            accounts.record(writer, "load")
            commits.append(1)
        writer.conn.close()

    def run_backup(result: list):
        result.append(runner.invoke(args=["backup", str(tmp_path / "loaded.db")]))

    writer, done = threading.Thread(target=keep_committing), []
    writer.start()
    copier = threading.Thread(target=run_backup, args=(done,))
    copier.start()
    copier.join(timeout=120)
    stop.set()
    writer.join()
    assert done and done[0].exit_code == 0, "the backup did not finish under load"
    assert len(commits) > 10   # the load really ran alongside
    copy = sqlite3.connect(tmp_path / "loaded.db")
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_restore_refuses_while_the_app_runs_and_keeps_the_replaced_file(
        runner, app, world, db, tmp_path, app_config):
    import json
    import subprocess
    import sys

    assert runner.invoke(args=["backup", str(tmp_path / "before.db")]).exit_code == 0
    db.execute("insert into partnership (name) values ('Na de backup')")
    serving = subprocess.Popen(
        [sys.executable, "-c", "import json, sys, time; from scan import create_app; "
         "create_app(json.loads(sys.argv[1])); print('up', flush=True); time.sleep(60)",
         json.dumps({k: v for k, v in app_config.items() if isinstance(v, str | bool)})],
        stdout=subprocess.PIPE, text=True)
    try:
        assert serving.stdout.readline().strip() == "up"
        refused = runner.invoke(args=["restore", "--yes", str(tmp_path / "before.db")])
        assert refused.exit_code != 0
        assert "in use by a running Samenscan" in refused.output
        assert "--force" in refused.output
        assert db.execute("select count(*) from partnership where name = 'Na de backup'"
                          ).fetchone()[0] == 1
        forced = runner.invoke(args=["restore", "--yes", "--force", str(tmp_path / "before.db")])
        assert forced.exit_code == 0, forced.output
        assert "now serves the restored database" in forced.output   # read afresh
    finally:
        serving.kill()
        serving.wait()
        serving.stdout.close()
    kept = list(tmp_path.glob("test.db.replaced-*"))
    assert len(kept) == 1
    old = sqlite3.connect(kept[0])
    assert old.execute("select count(*) from partnership where name = 'Na de backup'"
                       ).fetchone()[0] == 1
    old.close()

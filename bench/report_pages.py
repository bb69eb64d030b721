"""Every report page of the demo, rendered and written to a folder: to diff before and
after a change to how reports are rendered, so a speed-up changes nothing a reader sees.

Builds the demo in a temporary folder, signs in as each demo role (coordinator of both
partnerships, viewer and facilitator of Rivierenland) and fetches, in Dutch and in
English, each round's report and summary sheet for every set the round asked, the years
page of every set and the benchmark's year pages. Bodies are rendered for every
request (KEEP_RENDERED off), as the first reader after a release gets them.

    .venv/bin/python bench/report_pages.py /tmp/before
    (change something)
    .venv/bin/python bench/report_pages.py /tmp/after && diff -r /tmp/before /tmp/after

Each session's form token is replaced by "TOKEN": it differs per sign-in, nothing else
should.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from scan import create_app, demo, rounds
from scan.database import connect

ROLES = {"coordinator": "coordinator@demo.samenscan.nl", "viewer": "stuurgroep@demo.samenscan.nl",
         "facilitator": "gespreksleider@demo.samenscan.nl"}
TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


def demo_app(folder: Path):
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "KEEP_RENDERED": False,
              "INSTANCE_PATH": str(folder / "instance"), "DATABASE": str(folder / "demo.db")}
    app = create_app(config)
    database = connect(config["DATABASE"])
    demo.build(database, app.extensions["samenscan.catalogue"])
    database.conn.close()
    return app


def page_paths(app, partnerships: list[int]) -> list[str]:
    """The report pages of the partnerships: per round and set, and per set over years."""
    database = connect(app.config["DATABASE"])
    catalogue = app.extensions["samenscan.catalogue"]
    found = []
    for pid in partnerships:
        asked = set()
        for r in rounds.rounds(database, pid):
            for qset in rounds.round_sets(database, catalogue, r["id"]):
                asked.add(qset.id)
                found += [f"/p/{pid}/rounds/{r['id']}/report/{qset.id}",
                          f"/p/{pid}/rounds/{r['id']}/sheet/{qset.id}"]
                if r["status"] == "closed":
                    found.append(f"/p/{pid}/benchmark/{qset.id}/{r['school_year']}")
        found += [f"/p/{pid}/years/{set_id}" for set_id in sorted(asked)]
    database.conn.close()
    return found


def signed_in(app, email: str, lang: str):
    client = app.test_client()
    client.set_cookie("lang", lang)
    answer = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert answer.status_code == 302, email
    return client


def write_pages(app, out: Path) -> int:
    written = 0
    for role, email in ROLES.items():
        partnerships = [1, 2] if role == "coordinator" else [1]
        for lang in ("nl", "en"):
            client = signed_in(app, email, lang)
            for path in page_paths(app, partnerships):
                response = client.get(path)
                if response.status_code == 404 and "/benchmark/" in path:
                    continue   # a set outside the benchmark
                assert response.status_code == 200, (role, lang, path, response.status_code)
                html = TOKEN.sub(r"\1TOKEN\2", response.get_data(as_text=True))
                name = f"{role}-{lang}{path.replace('/', '_')}.html"
                (out / name).write_text(html, encoding="utf-8")
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        print(f"{write_pages(demo_app(Path(folder)), out)} pages written to {out}")


if __name__ == "__main__":
    main()

"""Respondents half-way through the open rounds, for measuring a page save.

Starts RESPONDENTS respondents (default 3,000) spread over the open rounds'
group links of the bench database, each through `responses.start` as the app
does, and writes bench/out/respondents.lua for bench/save_page.lua: per
respondent the address of their first page, the form key the page carries
(derived from the resume token and the app's secret, so it needs the same
instance folder as the server: SCAN_INSTANCE_PATH) and the items on that page
as routed to their role. Idempotent: when the file exists and its first
respondent is in the database, nothing changes. Prints the first respondent's
page path and a form body answering every item, for a check with curl.

    SCAN_DATABASE=bench/out/bench.db SCAN_INSTANCE_PATH=bench/out/instance \\
        .venv/bin/python bench/respondents.py bench/out/respondents.lua
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from scan import create_app, responses, rounds
from scan.database import connect
from scan.questions import for_respondent
from scan.web.respond import form_key


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the Lua file to write")
    parser.add_argument("--respondents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


FIRST = re.compile(r'\{"(/r/([\w-]+)/p/0)", "(\w+)", "([\w-]+)", \{([^}]*)\}\}')


def _exists(db, out: Path) -> bool:
    found = FIRST.search(out.read_text()) if out.exists() else None
    return bool(found) and responses.respondent(db, found[2]) is not None


def _first(out: Path) -> str:
    path, _token, key, page, items = FIRST.search(out.read_text()).groups()
    ids = re.findall(r'"([\w-]+)"', items)
    answers = "".join(f"&{item}=3" for item in ids)
    return f"{path} page={page}&key={key}&next=1&comment={answers}"


def main() -> None:
    args = parse_args()
    app = create_app()
    db = connect(app.config["DATABASE"])
    if _exists(db, args.out):
        print(_first(args.out))
        return
    catalogue = app.extensions["samenscan.catalogue"]
    rng = random.Random(args.seed)
    links = list(db.query("""select l.id, l.round_id, l.role, p.sector from group_link l
                             join round r on r.id = l.round_id
                             join partner p on p.id = l.partner_id
                             where r.status = 'open' and l.active order by l.id"""))
    lines = ["-- Written by bench/respondents.py: {page path, form key, item ids}.",
             "respondents = {"]
    with app.test_request_context():
        for _n in range(args.respondents):
            link = rng.choice(links)
            sets = for_respondent(rounds.round_sets(db, catalogue, link["round_id"]),
                                  link["role"], link["sector"])
            if not sets:
                continue
            first = responses.pages(sets)[0]
            token = responses.start(db, link["round_id"], link["id"])
            items = ", ".join(f'"{i.id}"' for i in first.dimension.items)
            lines.append(f'  {{"/r/{token}/p/0", "{form_key(token)}", "{first.dimension.id}", '
                         f"{{{items}}}}},")
    lines.append("}")
    db.conn.execute("pragma wal_checkpoint(truncate)")
    db.conn.close()
    args.out.write_text("\n".join(lines) + "\n")
    print(_first(args.out))


if __name__ == "__main__":
    main()

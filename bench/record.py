"""Write one `make bench` run into docs/performance.md: the aims, the server table and
the phones' table together, with the date and a note on the machine.

bench/run.sh (the server beside its yardstick) marks the start of the run in
bench/out/run-started and writes bench/out/results.md and bench/out/wrk/; then
bench/phone.py (Lighthouse) writes bench/out/phone/results.md and results.json.
This refuses tables that are not from that run (older than its start), so the doc
never puts a server table beside phone scores of another day. The block between
`<!-- bench:start -->` and `<!-- bench:end -->` is replaced.

    .venv/bin/python bench/record.py
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import table

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def from_this_run(path: Path, started: float) -> Path:
    if not path.exists() or path.stat().st_mtime < started:
        raise SystemExit(f"bench/record.py: {path.relative_to(ROOT)} is not from the run that "
                         "started at bench/out/run-started: run `make bench`")
    return path


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "?")
    return f"{os.cpu_count()} cores ({model})"


def block() -> str:
    marker = OUT / "run-started"
    if not marker.exists():
        raise SystemExit("bench/record.py: no bench/out/run-started: run `make bench`")
    started = marker.stat().st_mtime
    load_at_start = marker.read_text().strip()
    server = from_this_run(OUT / "results.md", started).read_text().strip()
    phones = from_this_run(OUT / "phone" / "results.md", started).read_text().strip()
    scores = json.loads(from_this_run(OUT / "phone" / "results.json", started).read_text())
    aims = table.aims(OUT / "wrk")
    when = datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%d %H:%M")
    load_now = os.getloadavg()[0]
    lines = [
        f"`make bench`, started {when} UTC on {machine()}, a virtual machine shared with "
        f"other work: load average {load_at_start} at the start and {load_now:.1f} at the "
        "end (above the number of cores, the CPU was shared). Ratios to the yardstick hold "
        "within one run; absolute req/s and the phone's simulated times do not.",
        "",
        "| aim | wanted | this run | met |",
        "| --- | --- | --- | --- |",
        *[f"| {what} | {aim} | {ratio} | {'yes' if met else '**no**'} |"
          for what, aim, ratio, met in aims],
        f"| Lighthouse mobile performance, every report page and the years page "
        f"| ≥ {scores['aim']:.2f} | lowest {scores['lowest']:.2f} "
        f"| {'yes' if scores['met'] else '**no**'} |",
        "",
        "**Server** (bench/run.sh; ratios to the yardstick's matching route):",
        "",
        server,
        "",
        "**Phones** (bench/phone.py):",
        "",
        phones,
    ]
    return "\n".join(lines)


def record(text: str) -> None:
    doc = DOC.read_text()
    new = f"{START}\n{text}\n{END}"
    if START in doc:
        doc = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: new, doc, flags=re.S)
    else:
        doc += f"\n## Latest run (`make bench`)\n\n{new}\n"
    DOC.write_text(doc)


if __name__ == "__main__":
    text = block()
    record(text)
    print(text if len(sys.argv) < 2 else "")

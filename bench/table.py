"""Turn the wrk outputs of one bench run into a markdown table with ratios.

Each of our routes is compared with the ceiling's matching route from the same
run: throughput as ours / ceiling (higher is better; the aim is >= 0.5 for the
round report), latency as ours / ceiling (how many times slower).

    .venv/bin/python bench/table.py bench/out/wrk
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# (file name, what was measured, ceiling file it is compared with)
ROWS = [
    ("ceiling-hello", "ceiling `/hello` (the server's own ceiling)", None),
    ("ceiling-report", "ceiling `/report/<id>`, one round", None),
    ("ceiling-report-random", "ceiling `/report/<id>`, a random round each time", None),
    ("ceiling-report-cold", "ceiling `/report/<id>`, a random round each time, before the "
     "cold report", None),
    ("ceiling-report-again", "ceiling `/report/<id>`, one round, again before the years page",
     None),
    ("ceiling-submit", "ceiling `/submit` (submit.lua, 12 answers)", None),
    ("scan-joint-poll", "Samenscan joint scoring, a phone's poll `/w/<token>/state.json` "
     "(no login; vs `/hello`)", "ceiling-hello"),
    ("scan-projector-poll", "Samenscan joint scoring, the projector's poll (signed in, with "
     "counts; vs `/hello`)", "ceiling-hello"),
    ("scan-report", "Samenscan round report, one round (cache warm)", "ceiling-report"),
    ("scan-report-random", "Samenscan round report, first view after a change: a random round "
     "each time (this worker's cache mostly cold; the body kept since the release's first "
     "reader)", "ceiling-report-random"),
    ("scan-report-cold", "Samenscan round report, first view after a release: a random round "
     "each time, body rendered (SCAN_KEEP_RENDERED=false)", "ceiling-report-cold"),
    ("scan-years", "Samenscan years page, 10 rounds (no such page in the ceiling: vs its report)",
     "ceiling-report-again"),
    ("scan-save", "Samenscan respondent saves a page (save_page.lua: all items answered, a "
     "random one of 3,000 respondents each time; vs `/submit`)", "ceiling-submit"),
]
# The aims of issue 28 (docs/performance.md): (what, our file, the ceiling's, the least
# req/s ÷ ceiling, the most p99 × ceiling or None).
AIMS = [
    ("round report, read again", "scan-report", "ceiling-report", 0.7, None),
    ("round report, first view after a change", "scan-report-random", "ceiling-report-random",
     0.5, None),
    ("round report, first view after a release", "scan-report-cold", "ceiling-report-cold",
     0.25, None),
    ("years page, 10 rounds", "scan-years", "ceiling-report-again", 0.4, None),
    ("joint scoring, a phone's poll (vs `/hello`)", "scan-joint-poll", "ceiling-hello", 0.5,
     None),
    ("respondent saves a page (vs `/submit`)", "scan-save", "ceiling-submit", 0.8, 1.5),
]
# A room of phones polling the joint scoring state (docs/performance.md).
PHONES, POLL_SECONDS = 60, 2
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def parse(text: str) -> dict:
    """Requests/sec, p50 and p99 (ms), and failed requests from `wrk --latency`."""
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    timeouts = re.search(r"timeout (\d+)", text)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1]),
        "p50": milliseconds(re.search(r"\s50%\s+(\S+)", text)[1]),
        "p99": milliseconds(re.search(r"\s99%\s+(\S+)", text)[1]),
        "failed": errors + (int(non_2xx[1]) if non_2xx else 0),
        "timeouts": int(timeouts[1]) if timeouts else 0,
    }


def _results(folder: Path) -> dict:
    return {name: parse(path.read_text()) for name, _, _ in ROWS
            if (path := folder / f"{name}.txt").exists()}


def aims(folder: Path) -> list[tuple[str, str, str, bool]]:
    """Per aim measured in this run: what, the aim, this run's ratios, met."""
    results, found = _results(folder), []
    for what, ours, ceiling, least, most_p99 in AIMS:
        if ours not in results or ceiling not in results:
            continue
        rps = results[ours]["rps"] / results[ceiling]["rps"]
        p99 = results[ours]["p99"] / results[ceiling]["p99"]
        aim = f"≥ {least:.2f}" + (f"; p99 ≤ {most_p99:.1f} ×" if most_p99 else "")
        ratio = f"{rps:.2f}" + (f"; p99 {p99:.1f} ×" if most_p99 else "")
        met = rps >= least and (most_p99 is None or p99 <= most_p99)
        found.append((what, aim, ratio, met and results[ours]["failed"] == 0))
    return found


def table(folder: Path) -> str:
    results = _results(folder)
    lines = ["| route | req/s | p50 ms | p99 ms | failed (of which timeouts) "
             "| req/s ÷ ceiling | p50 × ceiling | p99 × ceiling |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, label, ceiling in ROWS:
        if name not in results:
            continue
        r = results[name]
        ratios = ["", "", ""]
        if ceiling in results:
            c = results[ceiling]
            ratios = [f"{r['rps'] / c['rps']:.2f}", f"{r['p50'] / c['p50']:.1f}",
                      f"{r['p99'] / c['p99']:.1f}"]
        lines.append(f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
                     f"| {r['failed']} ({r['timeouts']}) | " + " | ".join(ratios) + " |")
    if "scan-joint-poll" in results:
        need = PHONES / POLL_SECONDS
        lines += ["", f"Joint scoring needs {PHONES} phones polling every {POLL_SECONDS} s = "
                  f"{need:.0f} req/s; the phones' poll was measured at "
                  f"{results['scan-joint-poll']['rps']:,.0f} req/s, "
                  f"{results['scan-joint-poll']['rps'] / need:.0f} × that need."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/wrk")))

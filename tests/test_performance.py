"""What a reader's browser downloads, and what a worker keeps in memory.

The benchmark (bench/, docs/performance.md) measures speed; these tests hold
the two bounds that are not a matter of machine speed: the first report view's
transfer size with plotly.js compressed, and a worker's memory while reports
are read and respondents keep starting.
"""

from __future__ import annotations

import gzip
import importlib.resources
import os

import pytest

from scan import rounds
from scan.db import get_db

PLOTLY = (importlib.resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def _plotly_url(html: str) -> str:
    return "/vendor/" + html.split('data-plotly="/vendor/')[1].split('"')[0]


def test_the_first_report_view_transfers_at_most_1_5_mb_with_gzip(member, world, scored):
    html = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini").data
    with member.get(_plotly_url(html.decode()), headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.cache_control.max_age >= 365 * 24 * 3600
        assert len(html) + len(response.data) <= 1_500_000
        assert gzip.decompress(response.data) == PLOTLY


def test_plotly_is_compressed_once_and_served_as_is_without_accept_encoding(app, member, world,
                                                                              scored):
    url = _plotly_url(member.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini")
                      .get_data(as_text=True))
    member.get(url, headers={"Accept-Encoding": "gzip, deflate"}).close()
    kept = os.path.join(app.instance_path, "vendor", url.rsplit("/", 1)[1] + ".gz")
    made = os.stat(kept).st_mtime_ns
    with member.get(url, headers={"Accept-Encoding": "gzip"}) as again:
        assert os.stat(kept).st_mtime_ns == made and gzip.decompress(again.data) == PLOTLY
    with member.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"}) as plain:
        assert "Content-Encoding" not in plain.headers and plain.data == PLOTLY
        assert "Accept-Encoding" in plain.headers["Vary"]


def test_plotly_in_brotli_when_the_browser_asks(member, world, scored):
    brotli = pytest.importorskip("brotli")
    url = _plotly_url(member.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini")
                      .get_data(as_text=True))
    with member.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert len(response.data) < 1_300_000 and brotli.decompress(response.data) == PLOTLY


def _rss() -> int:
    """This process's resident memory in bytes (Linux: /proc/self/statm)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_memory_stays_bounded_over_1000_reports_with_respondents_starting(app, member, world,
                                                                          scored, db):
    """1,000 report reads, each after a new respondent started (so the response counts
    on the page change every time). The caches are bounded at 256 reports / 8 MB of
    stored JSON and 128 fragments / 16 MB of HTML (docs/performance.md), so growth past
    the warm-up must stay under 50 MB: the bounds plus the allocator's slack. Before,
    every start added a rendered body that was never read again; now the counts are
    outside the kept body, which stays one row in SQLite."""
    page = f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"
    app.config.update(START_LIMIT="100000 per minute", START_LIMIT_PER_LINK="100000 per minute")
    rounds.set_cap_at_expected(db, world.a.round, False)   # 1,100 starts through one link
    starter = app.test_client()
    group_link = f"/s/{world.a.token}"

    def read(n: int) -> None:
        for _ in range(n):
            # a respondent starts: new counts, so a new body
            assert starter.post(group_link, data={"fresh": "1"}).status_code == 302
            response = member.get(page)
            assert response.status_code == 200
            response.close()

    read(100)   # warm-up: templates compiled, caches filling
    before = _rss()
    read(1000)
    grown = _rss() - before
    assert len(app.extensions["samenscan.fragments"]) <= 128
    with app.app_context():   # one kept body for this page and variant, however many starts
        assert get_db().execute("select count(*) from rendered_fragment").fetchone() == (1,)
    print(f"RSS {before / 2**20:.0f} MB after the warm-up, grew {grown / 2**20:.1f} MB")
    assert grown <= 50 * 2**20, f"RSS grew {grown / 2**20:.1f} MB over 1,000 reports"
    assert "1109" in member.get(page).get_data(as_text=True)   # 9 + 1,100 started

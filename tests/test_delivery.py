"""What a browser downloads before anyone can read: pages and static files compressed,
an icon and a description for every page, and plotly.js only where a chart is drawn."""

import gzip
import re

import pytest

brotli = pytest.importorskip("brotli")


@pytest.fixture
def member(client, auth, world):
    auth.login(world.a.emails["viewer"])
    return client


def without_csrf_token(html: bytes) -> bytes:
    """Each render masks the form token anew; the rest of a page is the same."""
    return re.sub(rb'name="csrf_token" value="[^"]*"', b"", html)


def report_url(world):
    return f"/p/{world.a.id}/rounds/{world.a.round}/report/mini"


@pytest.mark.parametrize("accept, encoding, decode", [
    ("gzip, deflate", "gzip", gzip.decompress),
    ("gzip, deflate, br, zstd", "br", brotli.decompress),
])
def test_a_report_page_arrives_compressed(member, world, scored, accept, encoding, decode):
    plain = member.get(report_url(world)).data
    with member.get(report_url(world), headers={"Accept-Encoding": accept}) as response:
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(response.data) < len(plain) / 4
        assert without_csrf_token(decode(response.data)) == without_csrf_token(plain)


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0, br;q=0", "deflate"])
def test_a_page_stays_plain_when_the_browser_takes_no_offered_encoding(member, world, scored,
                                                                       accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    with member.get(report_url(world), headers=headers) as response:
        assert "Content-Encoding" not in response.headers
        assert b"</html>" in response.data


def test_style_sheets_arrive_compressed_and_revalidate(client):
    with client.get("/static/style.css", headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        css = gzip.decompress(response.data)
        etag = response.headers["ETag"]
    assert b":root" in css and etag.startswith('W/"')
    with client.get("/static/style.css", headers={"Accept-Encoding": "gzip",
                                                  "If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.data == b""


def test_small_answers_are_sent_as_they_are(client):
    """A redirect, or a body smaller than a packet, gains nothing by compressing."""
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 302 and "Content-Encoding" not in response.headers


def test_every_page_has_an_icon_and_a_description(app, member, world, scored):
    stranger = app.test_client()
    pages = [member.get(report_url(world)), member.get(f"/p/{world.a.id}/years/mini"),
             stranger.get("/login"), stranger.get(f"/s/{world.a.token}")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert 'rel="icon" href="/static/favicon.svg"' in html
        assert '<meta name="description" content="Samenscan: een jaarlijkse zelfscan' in html
    stranger.set_cookie("lang", "en")
    assert "a yearly self-scan and dialogue-card workshops" in stranger.get(
        "/login").get_data(as_text=True)


def test_the_icon_is_served_where_browsers_look_for_it(client):
    with client.get("/favicon.ico") as icon, client.get("/static/favicon.svg") as static:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.data == static.data and b"<svg" in icon.data


def test_plotly_is_named_only_on_pages_that_draw_a_chart(member, client, world, scored):
    """The report and the years page name plotly.js for charts.js to fetch later; no page
    loads it with a script tag of its own (that would hold up the text)."""
    for path in (report_url(world), f"/p/{world.a.id}/years/mini"):
        html = member.get(path).get_data(as_text=True)
        assert 'defer data-plotly="/vendor/plotly-' in html, path
        assert '<script src="/vendor/' not in html, path
    sheet = member.get(f"/p/{world.a.id}/rounds/{world.a.round}/sheet/mini")
    assert sheet.status_code == 200 and b"/vendor/plotly" not in sheet.data
    assert b"/vendor/plotly" not in client.get(f"/s/{world.a.token}").data

"""Pages, style sheets, scripts and data compressed on their way out.

A report page is 80 KB of HTML, a tenth of that gzipped; on a phone's network that
is the difference between text at once and text after a second. Behind a reverse
proxy that compresses, this does no harm: the proxy sees Content-Encoding and
passes the response on.

Built on the machinery that serves plotly.js (scan.precompressed) rather than
Flask-Compress: the same reading of Accept-Encoding (a q=0 refuses an encoding,
which Flask-Compress 1.25 does not honour), the same encodings, and no streaming
path. plotly.js itself arrives here already encoded and is left alone. Quick
settings: brotli 5 and gzip 6 take well under a millisecond for a page.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

from scan.precompressed import brotli, choose

COMPRESSIBLE = frozenset({"text/html", "text/css", "text/javascript", "application/json",
                          "text/csv", "text/markdown", "text/plain", "image/svg+xml"})
MIN_SIZE = 1024   # below a packet, compressing gains nothing


def _encoders() -> dict:
    found = {"gzip": lambda data: gzip.compress(data, compresslevel=6, mtime=0)}
    if brotli is not None:
        found = {"br": lambda data: brotli.compress(data, quality=5), **found}
    return found


ENCODERS = _encoders()


def _worth_it(response: Response) -> bool:
    # Size first: a small answer (every poll) is let go before the headers are searched
    # (werkzeug raises and catches an exception for each header it does not find).
    return ((response.content_length is None or response.content_length >= MIN_SIZE)
            and response.status_code == 200 and request.method != "HEAD"
            and response.mimetype in COMPRESSIBLE
            and "Content-Encoding" not in response.headers
            and not (response.is_streamed and not response.direct_passthrough))


def compress(response: Response) -> Response:
    if not _worth_it(response):
        return response
    response.vary.add("Accept-Encoding")
    encoding = choose(request.headers.get("Accept-Encoding"), list(ENCODERS))
    if encoding is None:
        return response
    response.direct_passthrough = False   # a static file: read it to compress it
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(ENCODERS[encoding](data))
    response.headers["Content-Encoding"] = encoding
    # The same tag for every encoding of a file, as a weak tag may be: a browser's
    # If-None-Match still gets its 304 from send_file.
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)

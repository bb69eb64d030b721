"""QR codes for links people open on their phone (group links, workshop and joint scoring joins).

A QR code is served as an SVG document of its own (an `<img>` or a link opened
in a tab) or embedded in a printed sheet. Either way it carries the SVG
namespace: without `xmlns` a browser treats a standalone SVG as unknown XML and
draws nothing, which is what segno's `svg_inline` leaves out.
"""

from __future__ import annotations

import io
from functools import lru_cache
from urllib.parse import urlsplit

import segno

SVG_TYPE = "image/svg+xml"


@lru_cache(maxsize=4096)
def svg(url: str, scale: int = 4, border: int = 2) -> str:
    """The QR code for `url` as SVG markup with its namespace, drawable on its own or inline.

    Error correction M survives a smudged print or a glare on a projector screen.
    """
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=border,
                                    xmldecl=False, svgns=True, nl=False)
    return buffer.getvalue().decode("utf-8")


def short_url(url: str) -> str:
    """A join link as people type it from a wall: no scheme, nothing after the path."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"

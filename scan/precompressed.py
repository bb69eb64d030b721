"""Large static files served precompressed: compressed once, kept next to the instance.

plotly.min.js is 4.8 MB; gzip makes it about 1.4 MB (zopfli, when installed) and
brotli about 1.2 MB. Compressing it per request would cost a second of CPU each
time, so each encoding is written once into a folder (the app's instance
folder) and served from there as a file, by every worker and after restarts.
A file lock makes one worker compress while the others wait for the result;
the file appears whole (written aside, then renamed).
"""

from __future__ import annotations

import fcntl
import gzip
import os
import re
from collections.abc import Callable
from pathlib import Path

try:   # optional: gzip falls back to the standard library; brotli is left out
    import brotli
except ImportError:   # pragma: no cover - depends on the installation
    brotli = None
try:
    from zopfli import gzip as zopfli_gzip
except ImportError:   # pragma: no cover
    zopfli_gzip = None

BROTLI_QUALITY = 9        # 11 saves another 10 % but takes ~25 s for plotly.js
SUFFIX = {"br": ".br", "gzip": ".gz"}


def _gzip(data: bytes) -> bytes:
    if zopfli_gzip is not None:   # ~4 % smaller than zlib's best, same format
        return zopfli_gzip.compress(data, numiterations=1)
    return gzip.compress(data, compresslevel=9, mtime=0)


def _brotli(data: bytes) -> bytes:
    return brotli.compress(data, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)


def encoders() -> dict[str, Callable[[bytes], bytes]]:
    """The encodings this installation can make, best first."""
    found = {"gzip": _gzip}
    if brotli is not None:
        found = {"br": _brotli, **found}
    return found


def choose(accept_encoding: str | None, offered: list[str]) -> str | None:
    """The first offered encoding the client accepts (q > 0), or None for the file as is."""
    accepted = {}
    for part in (accept_encoding or "").lower().split(","):
        match = re.fullmatch(r"\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([\d.]+))?\s*", part)
        if match:
            try:
                accepted[match[1]] = float(match[2]) if match[2] is not None else 1.0
            except ValueError:
                continue
    for encoding in offered:
        if accepted.get(encoding, accepted.get("*", 0)) > 0:
            return encoding
    return None


def compressed(source: Path, name: str, folder: Path, encoding: str) -> Path:
    """The source compressed with `encoding`, in `folder` as `name` and the encoding's
    suffix (made once, then reused): `name` must change with the source's contents
    (plotly's version is in it)."""
    target = folder / (name + SUFFIX[encoding])
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # another worker may be compressing it now
        if not target.exists():
            aside = target.with_name(f".{target.name}.{os.getpid()}")
            aside.write_bytes(encoders()[encoding](source.read_bytes()))
            os.replace(aside, target)
    return target

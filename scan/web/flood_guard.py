"""A flood guard for polls: counted in the worker, added to the shared count in batches.

Phones following a workshop poll every 2 seconds without an account, and a whole
room usually shares one school address, so their limit (SCAN_POLL_LIMIT) is a
flood guard, high enough for 200 phones: it stops one client hammering the
server, it does not stop anyone guessing anything. Counting every poll in Redis
(as Flask-Limiter does for every limit) cost a round trip on every poll, most of
a poll's time under load.

So each worker counts an address's polls itself and adds them to the shared
count (Flask-Limiter's storage, Redis with several workers) once a batch of a
hundredth of the limit is full, and at the first poll after a second without sharing
(a count under a batch that no poll follows is never shared). What we weighed:

- Counting in the worker alone (memory://) with the whole limit per worker
  lets a flood through as many times as there are workers; with a share of the
  limit per worker (limit ÷ workers) a room can be refused, because gunicorn
  does not spread one address's polls evenly over its workers (an idle worker
  that wakes first takes the next request, so at a room's pace one worker may
  answer most polls).
- Batches keep one limit for all workers: a flood from one address is refused
  after at most limit + workers × batch polls (2 % over with two workers), and
  no room under the limit is refused whichever worker answers. Until the batch
  is full the worker answers from its own count; once the shared count says
  no, the worker refuses the address without asking again until the shared
  window lets it through (Retry-After says when).

Sign-in, password and start limits are brute-force guards: they stay counted in
the shared storage on every attempt (scan.web.security's Flask-Limiter).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import lru_cache, wraps

from flask import abort, current_app, g
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from scan.web.security import limiter

SHARE_EVERY = 1.0   # seconds: an address's count reaches the shared storage at least this often
BATCH_SHARE = 100   # a batch is this fraction of the limit (a hundredth)
MAX_ADDRESSES = 10_000   # per worker; beyond, addresses quiet for a second are forgotten


@lru_cache(maxsize=32)
def _items(limit: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limit))


def batch_size(item: RateLimitItem) -> int:
    """How many polls a worker answers from its own count before sharing them."""
    return max(1, item.amount // BATCH_SHARE)


class _Count:
    """One address's polls in this worker for one limit."""

    __slots__ = ("pending", "shared_at", "refused_until")

    def __init__(self) -> None:
        self.pending, self.shared_at, self.refused_until = 0, float("-inf"), 0.0


class FloodGuard:
    """Per address, at most `limit` (Flask-Limiter notation, e.g. "6000 per minute")
    over all workers; see the module's docstring for how it is counted."""

    def __init__(self, scope: str, limit: Callable[[], str]) -> None:
        self.scope, self.limit = scope, limit

    def __call__(self, view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            self.check()
            return view(*args, **kwargs)
        return guarded

    def check(self) -> None:
        """Refuse the request (429, with Retry-After) when its address is over the limit."""
        if not limiter.enabled:   # SCAN_RATELIMIT_ENABLED=false turns every limit off
            return
        address = get_remote_address()
        for item in _items(self.limit()):
            wait = self._hit(item, address)
            if wait is not None:
                g.retry_after = max(1, int(wait + 0.999))
                abort(429)

    def _counts(self) -> tuple[dict, threading.Lock]:
        kept = current_app.extensions.setdefault("samenscan.flood_guard", {})
        if self.scope not in kept:
            kept.setdefault(self.scope, ({}, threading.Lock()))
        return kept[self.scope]

    def _hit(self, item: RateLimitItem, address: str) -> float | None:
        """None when the poll may be answered, else the seconds until it may."""
        counts, lock = self._counts()
        now = time.monotonic()
        with lock:
            count = counts.get((item, address))
            if count is None:
                if len(counts) >= MAX_ADDRESSES:
                    _forget_quiet(counts, now)
                count = counts[(item, address)] = _Count()
            if count.refused_until > now:
                return count.refused_until - now
            count.pending += 1
            if count.pending < batch_size(item) and now - count.shared_at < SHARE_EVERY:
                return None
            cost, count.pending, count.shared_at = count.pending, 0, now
        identifiers = (self.scope, address)
        if limiter.limiter.hit(item, *identifiers, cost=cost):
            return None
        wait = max(1.0, limiter.limiter.get_window_stats(item, *identifiers).reset_time
                   - time.time())
        with lock:
            count.refused_until = now + wait
        return wait


def _forget_quiet(counts: dict, now: float) -> None:
    """Keep the table bounded: addresses not shared for a second hold less than a batch
    (forgetting them lets at most that through once more); with none quiet, start over."""
    quiet = [key for key, count in counts.items()
             if now - count.shared_at >= SHARE_EVERY and count.refused_until <= now]
    for key in quiet or list(counts):
        del counts[key]

"""Per-worker caches with a bound in entries and in bytes.

Every cache of the app that holds results is one of these (docs/performance.md
lists them with their worst case). Keys must be reusable: made of what the
cached value shows, never of a count that only grows.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


def _no_generation() -> Hashable:
    return None


# What every key is made under: the database's generation (scan.database.generation),
# supplied by the web layer. A restored database gets a new one, so no cache answers
# it from what was read out of the database it replaced.
_generation: Callable[[], Hashable] = _no_generation


def key_on(generation: Callable[[], Hashable]) -> None:
    """Make every cache's keys include generation() from now on."""
    global _generation
    _generation = generation


class Bounded:
    """A least-recently-used cache bounded in entries and in (estimated) bytes.

    `size(value)` estimates an entry's bytes; an entry larger than the whole
    bound is returned but not kept.
    """

    def __init__(self, entries: int, max_bytes: int | None = None,
                 size: Callable[[object], int] | None = None):
        """Without `max_bytes`, bounded in entries only (for values of a fixed, small size)."""
        self.entries = entries
        self.max_bytes = max_bytes if max_bytes is not None else float("inf")
        self.size = size or (lambda _value: 0)
        self._data: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0

    def get(self, key: Hashable, make: Callable[[], object],
            keep: Callable[[object], bool] | None = None) -> object:
        """The cached value, else make() (kept unless `keep(value)` says not to)."""
        key = (_generation(), key)
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                return found[0]
        value = make()   # outside the lock: another thread may make the same meanwhile
        cost = self.size(value)
        if cost > self.max_bytes or (keep is not None and not keep(value)):
            return value
        with self._lock:
            if key in self._data:
                return self._data[key][0]
            self._data[key] = (value, cost)
            self.bytes += cost
            while len(self._data) > self.entries or self.bytes > self.max_bytes:
                _key, (_value, dropped) = self._data.popitem(last=False)
                self.bytes -= dropped
        return value

    @classmethod
    def of_app(cls, app, name: str, entries: int, max_bytes: int | None = None,
               size: Callable[[object], int] | None = None) -> Bounded:
        """The app's own cache of this name (made on first use): nothing is shared
        between two apps in one process (tests), so no key needs the app in it."""
        found = app.extensions.get(name)
        if found is None:
            found = app.extensions.setdefault(name, cls(entries, max_bytes, size))
        return found

    def __len__(self) -> int:
        return len(self._data)

    def cache_clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.bytes = 0


def bounded(entries: int, max_bytes: int, size: Callable[[object], int] = len):
    """Like functools.lru_cache, bounded in entries and in bytes (`size` of a value).
    The arguments are the key, so they must be hashable."""
    def decorate(function):
        cache = Bounded(entries, max_bytes, size)

        @functools.wraps(function)
        def cached(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            return cache.get(key, lambda: function(*args, **kwargs))
        cached.cache = cache
        cached.cache_clear = cache.cache_clear
        return cached
    return decorate

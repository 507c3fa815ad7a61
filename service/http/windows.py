"""Moving-window rate-limit counters kept in this process, for ``memory://``.

The ``limits`` package's own memory storage expires its counters from a timer thread
that it starts again whenever none is running; the timer runs 10 ms, so with requests
farther apart than that every request starts a thread (a tenth of the server's CPU for
a profile read, measured with py-spy). These counters expire lazily instead: a key's old
hits are dropped when it is hit again, and keys whose newest hit is older than the
window are swept on the request path, at most once per ``_SWEEP_SECONDS``.

Same meaning as ``limits``' moving window: at most ``item.amount`` hits in any
``item.get_expiry()`` seconds, and the reset time is when the oldest hit in the window
leaves it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from limits import RateLimitItem
from limits.util import WindowStats

__all__ = ["MovingWindows"]

_SWEEP_SECONDS = 60.0


class MovingWindows:
    """Exact moving windows per (limit, identifiers), in memory, thread-safe, no threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # key -> (its window in seconds, the times of the hits still in it, oldest first)
        self._hits: dict[str, tuple[float, deque[float]]] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def __len__(self) -> int:
        """How many counters are kept (expired ones go at the next sweep)."""
        return len(self._hits)

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        """Count ``cost`` hits unless that would exceed the limit; return whether counted."""
        window = float(item.get_expiry())
        key = item.key_for(*identifiers)
        with self._lock:
            now = self._clock()
            self._sweep(now)
            if key not in self._hits:
                self._hits[key] = (window, deque())
            hits = self._hits[key][1]
            _drop_before(hits, now - window)
            if len(hits) + cost > item.amount:
                return False
            hits.extend([now] * cost)
            return True

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        """Return when the window frees a place (seconds since the epoch) and what remains."""
        window = float(item.get_expiry())
        with self._lock:
            now = self._clock()
            hits = self._hits.get(item.key_for(*identifiers), (window, deque()))[1]
            _drop_before(hits, now - window)
            oldest = hits[0] if hits else now
            remaining = max(0, item.amount - len(hits))
        return WindowStats(time.time() + (oldest + window - now), remaining)

    def _sweep(self, now: float) -> None:
        if now - self._swept < _SWEEP_SECONDS:
            return
        self._swept = now
        idle = [
            key for key, (window, hits) in self._hits.items() if not hits or hits[-1] < now - window
        ]
        for key in idle:
            del self._hits[key]


def _drop_before(hits: deque[float], horizon: float) -> None:
    while hits and hits[0] < horizon:
        hits.popleft()

"""Where a match request's work runs: on the event loop while it is short and waits on
nothing, else in the thread pool, a few at a time.

The work (find the asker, rank, read the partners' public profiles) holds the GIL nearly
all the time, so a thread gains it no parallelism. Handing it to a thread and its answer
back did cost CPU: the event loop and the thread took turns at the GIL at each query and
each NumPy call, a dozen context switches a request, and at 1,000 profiles two workers
spent 4.1 ms of CPU a request with the thread against 3.3 ms without (docs/benchmark.md).
On the event loop the work runs in one go, but nothing else of that worker runs
meanwhile (a probe, another request's reading): so only while a ranking is short (an index
of at most ``ON_LOOP_MAX_PROFILES``, a ranking of at most ~10 ms) and the database answers
in this process (SQLite: its queries are CPU work, never a wait on the network). With
PostgreSQL, or a larger index, the work goes to the thread pool, ``MATCH_TRIPS`` at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio
from sqlalchemy import Engine
from sqlmodel import Session

from service.institutions.index import MatchIndex

__all__ = ["MATCH_TRIPS", "ON_LOOP_MAX_PROFILES", "MatchRequests"]

P = ParamSpec("P")
T = TypeVar("T")

# Match requests in the thread pool at once, per worker. Ranking holds the GIL most of the
# time, so more threads only take turns at it (each switch costs CPU); the requests beyond
# wait in the event loop, which costs nothing. One worker with eight clients at 1k:
# 218/194 -> 248/265 req/s (5.9/6.2 -> 4.7 ms CPU a request); two workers unchanged
# (docs/benchmark.md). Two, not one: NumPy and SciPy release the GIL in their loops.
MATCH_TRIPS = 2
# Up to this many indexed profiles a ranking takes at most ~10 ms on a 2-core server
# (a median of 7 ms at 100k): short enough to hold the event loop for.
ON_LOOP_MAX_PROFILES = 150_000


class MatchRequests:
    """Runs each match request's whole work where it costs least (see the module)."""

    def __init__(self, *, index: MatchIndex, engine: Engine) -> None:
        self._index = index
        self._database_in_process = engine.dialect.name == "sqlite"
        self._trips = anyio.CapacityLimiter(MATCH_TRIPS)

    @property
    def on_event_loop(self) -> bool:
        """Whether a match request's work runs on the event loop, as the index is now."""
        return self._database_in_process and len(self._index) <= ON_LOOP_MAX_PROFILES

    async def run(
        self, session: Session, work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Return ``work(*args, **kwargs)``, the request's whole work, and give ``session``'s
        connection back in the same go: in the thread pool, each further trip costs CPU."""

        def run() -> T:
            try:
                return work(*args, **kwargs)
            finally:
                session.close()

        if self.on_event_loop:
            return run()
        return await anyio.to_thread.run_sync(run, limiter=self._trips)

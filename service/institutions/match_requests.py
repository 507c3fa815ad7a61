"""A match request's whole work, and where it runs: on the event loop while it is short
and waits on nothing, else in the thread pool, a few at a time.

The work (find the asker, rank, read the partners' public profiles) holds the GIL nearly
all the time, so a thread gains it little parallelism. Handing it to a thread and its
answer back does cost CPU: the event loop and the thread take turns at the GIL at each
query and each NumPy call, a dozen context switches a request; at 1,000 profiles two
workers spent 4.1 ms of CPU a request with the thread against 3.3 ms without
(docs/benchmark.md). On the event loop the work runs in one go, but nothing else of that
worker runs meanwhile (a probe, another request's reading, another ranking's sparse
products, which release the GIL): so only while a ranking is short (an index of at most
``ON_LOOP_MAX_PROFILES``) and the database answers in this process (SQLite in a file: its
queries are CPU work, never a wait on the network), through a connection of the loop's
own, which no other request can be holding. With PostgreSQL, or a larger index, the work
goes to the thread pool, ``MATCH_TRIPS`` at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from sqlalchemy import Engine
from sqlmodel import Session

from service.db import in_a_file, open_session, own_connection_engine
from service.institutions.index import MatchIndex
from service.institutions.schemas import MatchFilters, MatchList
from service.institutions.suggestions import suggest_for

__all__ = ["MATCH_TRIPS", "ON_LOOP_MAX_PROFILES", "MatchRequests"]

T = TypeVar("T")

# Match requests in the thread pool at once, per worker. Ranking holds the GIL most of the
# time, so more threads only take turns at it (each switch costs CPU); the requests beyond
# wait in the event loop, which costs nothing. One worker with eight clients at 1k:
# 218/194 -> 248/265 req/s (5.9/6.2 -> 4.7 ms CPU a request); two workers unchanged
# (docs/benchmark.md). Two, not one: NumPy and SciPy release the GIL in their loops.
MATCH_TRIPS = 2
# Up to this many indexed profiles the work runs on the event loop. Measured with two
# workers and eight clients (docs/benchmark.md): on the loop 7% and 26% more requests a
# second at 1k (two runs), 14% more at 10k; at 100k a tenth fewer (medians of three runs,
# noisy): rankings of ~7 ms hold the loop, where in the pool two overlap their sparse
# products. Between 10k and 100k nothing was measured: this is the middle.
ON_LOOP_MAX_PROFILES = 30_000


class MatchRequests:
    """Answers match requests, running each one's whole work where it costs least (see the
    module); partners resting after a declined or withdrawn request (``rest_days``) are
    left out."""

    def __init__(self, *, index: MatchIndex, engine: Engine, rest_days: int) -> None:
        self._index = index
        self._engine = engine
        self._rest_days = rest_days
        self._loop_engine = own_connection_engine(engine) if in_a_file(engine) else None
        # One session for the loop's work, kept between requests: a warm request reads
        # nothing (its asker, partners and resting partners are kept in memory), and
        # opening and closing a session was a fortieth of its CPU. Only the loop's thread
        # uses it, one request's work at a time (the work never waits).
        self._loop_session = (
            open_session(self._loop_engine) if self._loop_engine is not None else None
        )
        self._trips = anyio.CapacityLimiter(MATCH_TRIPS)

    def _session_on_the_loop(self) -> Session | None:
        """The loop's own session if the work runs on the event loop, as the index is now."""
        return self._loop_session if len(self._index) <= ON_LOOP_MAX_PROFILES else None

    @property
    def on_event_loop(self) -> bool:
        """Whether a match request's work runs on the event loop, as the index is now."""
        return self._session_on_the_loop() is not None

    async def suggestions(
        self, *, institution_id: int, filters: MatchFilters, language: str
    ) -> MatchList:
        """Return the best partners for a stored institution (``suggest_for``)."""
        return await self.run(
            lambda session: suggest_for(
                session=session,
                index=self._index,
                institution_id=institution_id,
                filters=filters,
                language=language,
                rest_days=self._rest_days,
            )
        )

    async def run(self, work: Callable[[Session], T]) -> T:
        """Return ``work(session)``, the request's whole work, its session closed in the same
        go (in the thread pool, each further trip costs CPU)."""
        if (session := self._session_on_the_loop()) is not None:
            try:
                return work(session)
            finally:
                if session.in_transaction() or session.identity_map:
                    session.close()  # what it read is not kept into the next request

        def run() -> T:
            with open_session(self._engine) as session:
                return work(session)

        return await anyio.to_thread.run_sync(run, limiter=self._trips)

    def close(self) -> None:
        """Close the event loop's own session and connection."""
        if self._loop_session is not None:
            self._loop_session.close()
        if self._loop_engine is not None:
            self._loop_engine.dispose()

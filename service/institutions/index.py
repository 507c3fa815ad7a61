"""The one owner of the in-memory matching index and of its freshness.

How the index stays fresh:

* On start it is built from the database (``load``).
* Every committed write is applied at once (``catch_up`` after the commit, ``sync`` of the
  written ids): the changed profile is transformed with the fitted vocabulary and
  appended, its old row is hidden, a deleted profile disappears; the very next match
  request sees it. Other workers on this host are woken to catch up at once
  (``wakeups``); other instances find it at their next poll of the change log.
* Terms the fitted vocabulary has never seen are not indexed until a refit, which comes
  when changes since the last fit pile up (``refit_after_changes``) or unseen terms pass a
  share of the new text (``refit_unseen_share``). On a small corpus
  (``sync_refit_max_profiles``) it runs inside the write; above it, on a background
  thread while the old index keeps answering, changes made meanwhile replayed before the
  swap. Readers never wait: they take the current ranker in one atomic reference read.
* With a generations directory (``service.institutions.generations``), the index maps
  the ``CURRENT`` generation's files and catches up from the change-log position they
  reflect; a refit of a large corpus is a separate process
  (``service.institutions.reindex``) that publishes the next generation, and every poll
  that finds ``CURRENT`` moved switches to it, its later changes replayed first.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, delete

from matching import CandidateFilter, Match, Profile, ReciprocalRanker, Taxonomy
from matching.floor import MIN_SCORE
from service.db import session_scope
from service.institutions.change_cursor import ChangeCursor
from service.institutions.change_probe import ChangeLogProbe
from service.institutions.generations import CHANGE_LOG_KEEP, Generations, Mapped, spawn_reindex
from service.institutions.models import IndexChange
from service.institutions.profiles import load_profiles, read_everything
from service.institutions.public_views import PublicViews
from service.institutions.wakeups import Wakeups
from service.meetings.resting import RestingPartners
from service.values.times import utc_now

log = logging.getLogger(__name__)

_PRUNE_EVERY_SECONDS = 300.0
# A worker starts a refit process at most this often (a refused start costs a Python start).
_SPAWN_EVERY_SECONDS = 10.0
# A ranking waits this long at most for a catch-up under way (milliseconds; a refit
# set off under the lock takes seconds).
_ANSWER_WAIT_SECONDS = 0.05

_Change = tuple[Literal["upsert"], Sequence[Profile]] | tuple[Literal["remove"], Sequence[int]]


class RankerFactory(Protocol):
    """Makes an unfitted ranker; the index fits it (``ReciprocalRanker`` itself is one)."""

    def __call__(self, *, taxonomy: Taxonomy | None) -> ReciprocalRanker: ...


class MatchIndex:
    """Keeps a :class:`ReciprocalRanker` in step with the database."""

    def __init__(
        self,
        engine: Engine,
        *,
        refit_after_changes: int = 200,
        refit_unseen_share: float = 0.05,
        sync_refit_max_profiles: int = 2000,
        taxonomy: Taxonomy | None = None,
        ranker_factory: RankerFactory = ReciprocalRanker,
        generations: Generations | None = None,
        change_log_keep: timedelta = CHANGE_LOG_KEEP,
    ) -> None:
        self._engine = engine
        self._probe = ChangeLogProbe(engine)
        self._generations = generations
        self._change_log_keep = change_log_keep
        self._mapped: Mapped | None = None
        self._refused: str | None = None
        self._reindex: subprocess.Popen[bytes] | None = None
        self._reindex_started = float("-inf")
        self._taxonomy = taxonomy
        self._ranker_factory = ranker_factory
        self._refit_after_changes = refit_after_changes
        self._refit_unseen_share = refit_unseen_share
        self._sync_refit_max_profiles = sync_refit_max_profiles
        self._ranker = self._new_ranker().fit([])
        # Suggested partners' public profiles and each asker's resting partners, forgotten
        # whenever the change log names their institution.
        self.public = PublicViews()
        self.resting = RestingPartners()
        self._write_lock = threading.Lock()
        self._journal: list[_Change] | None = None
        self._refit_thread: threading.Thread | None = None
        self._cursor = ChangeCursor()
        self._poller: threading.Thread | None = None
        self._stop = threading.Event()
        # Workers sharing the index directory wake each other's poller after a write.
        self._wakeups = (
            Wakeups(generations.root.parent / "wakeups") if generations is not None else None
        )
        self.refits = 0
        self.last_refit_seconds = 0.0

    def __len__(self) -> int:
        return len(self._ranker)

    @property
    def taxonomy(self) -> Taxonomy | None:
        """The taxonomy free text is mapped onto (``None``: words only)."""
        return self._taxonomy

    @property
    def generation(self) -> str | None:
        """The name of the generation the index was last mapped from, if any."""
        return self._mapped.name if self._mapped is not None else None

    def load(self) -> None:
        """Map the current generation and catch up, or else rebuild from the database."""
        if self._generations is not None and self.follow_generation():
            return
        position, profiles = read_everything(self._engine)
        with self._write_lock:
            self._cursor = ChangeCursor(position.last_change, position.seen)
            self._ranker = self._fit(profiles)
            self.public.clear()
            self.resting.clear()

    def follow_generation(self) -> bool:
        """Switch to ``CURRENT`` if it names a usable generation not mapped yet.

        The mapped ranker first replays every change logged after its position, then
        replaces the current one in one reference write. Returns whether it switched.
        """
        store = self._generations
        name = store.current() if store is not None else None
        if store is None or name is None or name in (self.generation, self._refused):
            return False
        mapped = store.open(name, self._new_ranker())
        if mapped is not None and not mapped.position.covered(self._change_log_keep):
            log.warning("index generation %s is older than the change log kept", name)
            mapped.release()
            mapped = None
        if mapped is None:
            self._refused = name
            return False
        with self._write_lock:
            if self._wakeups is not None:
                self._wakeups.answer()
            cursor = ChangeCursor(mapped.position.last_change, mapped.position.seen)
            fresh = cursor.fresh(self._engine, self._probe)
            for change in self._changes_for(sorted({pid for _, pid in fresh})):
                _replay(mapped.ranker, change)
            cursor.mark(fresh)
            self._ranker, self._cursor = mapped.ranker, cursor
            self.public.clear()
            self.resting.clear()
            previous, self._mapped = self._mapped, mapped
        if previous is not None:
            previous.release()
        log.info("index mapped from %s (%d profiles)", name, len(mapped.ranker))
        return True

    def catch_up(self, *, wake_others: bool = True) -> int:
        """Apply every change in the database's change log not yet seen; return how many.

        Write operations call it right after committing, so their own write shows in the
        next request, and the other workers on this host are woken to catch up too; the
        poller calls it (``wake_others=False``) for writes made elsewhere.
        """
        if wake_others and self._wakeups is not None:
            # First: the others read the committed write meanwhile, on the other cores.
            self._wakeups.wake_others()
        with self._write_lock:
            return self._catch_up_locked()

    def _catch_up_locked(self) -> int:
        if self._wakeups is not None:
            self._wakeups.answer()
        fresh = self._cursor.fresh(self._engine, self._probe)
        if fresh:
            self._sync_locked(sorted({pid for _, pid in fresh}))
            self._cursor.mark(fresh)
        return len(fresh)

    def start_polling(self, interval: float) -> None:
        """Catch up with other instances' writes every ``interval`` seconds, until close()."""
        if interval <= 0 or self._poller is not None:
            return
        self._stop.clear()
        self._poller = threading.Thread(
            target=self._poll, args=(interval,), name="index-poller", daemon=True
        )
        self._poller.start()

    def close(self) -> None:
        """Stop polling, wait for a running refit, let go of the mapped generation."""
        self._stop.set()
        if self._wakeups is not None:
            self._wakeups.poke()
        if self._poller is not None:
            self._poller.join(timeout=10)
            self._poller = None
        if self._wakeups is not None:
            self._wakeups.close()
        self.wait_for_refit(timeout=60)
        if self._mapped is not None:
            self._mapped.release()

    def _poll(self, interval: float) -> None:
        pruned = time.monotonic()
        wakeups = self._wakeups
        while not (wakeups.wait(interval, self._stop) if wakeups else self._stop.wait(interval)):
            try:
                if not self.follow_generation():
                    self.catch_up(wake_others=False)
                if time.monotonic() - pruned > _PRUNE_EVERY_SECONDS:
                    pruned = time.monotonic()
                    self._prune_log()
            except Exception:  # the poller must outlive a database hiccup
                log.exception("catching up with the change log failed; retrying")

    def _prune_log(self) -> None:
        cutoff = utc_now() - self._change_log_keep
        with session_scope(self._engine) as session:
            session.exec(delete(IndexChange).where(col(IndexChange.changed_at) < cutoff))

    def rank(
        self,
        query: Profile,
        *,
        k: int,
        where: CandidateFilter,
        diversity: float = 0.0,
        exposure: float | None = None,
    ) -> list[Match]:
        """Rank indexed institutions as partners for ``query`` (``exposure``: see
        :meth:`ReciprocalRanker.rank`, ``None`` is by the asker), after any write another
        worker woke this one for (read-your-writes across workers: ``wakeups``)."""
        self._answer_wakeups()
        return self._ranker.rank(query, k=k, where=where, diversity=diversity, exposure=exposure)

    def _answer_wakeups(self) -> None:
        """Catch up if a wake-up waits or a catch-up is under way (it may be answering that
        very wake-up), never waiting out a refit that a write set off under the lock."""
        wakeups = self._wakeups
        if wakeups is None or not (wakeups.called() or self._write_lock.locked()):
            return
        if not self._write_lock.acquire(timeout=_ANSWER_WAIT_SECONDS):
            return  # the poller catches up once the lock is free
        try:
            self._catch_up_locked()
        except SQLAlchemyError:  # the poller retries; the index as it is still answers
            log.exception("catching up before a ranking failed")
        finally:
            self._write_lock.release()

    def sync(self, ids: Sequence[int]) -> None:
        """Bring these institutions up to date from the database; call after a commit.

        Reading the committed rows under the write lock, rather than taking the profiles
        from the caller, means two writers finishing out of order still leave the index
        holding the latest version.
        """
        with self._write_lock:
            self._sync_locked(ids)

    def _sync_locked(self, ids: Sequence[int]) -> None:
        self.public.forget(ids)
        self.resting.forget(ids)
        for change in self._changes_for(ids):
            self._apply(change)

    def _changes_for(self, ids: Sequence[int]) -> list[_Change]:
        """What bringing these ids up to date takes: upserts read now, removals."""
        if not ids:
            return []
        with session_scope(self._engine) as session:
            found = load_profiles(session, ids)
        present = [found[pid] for pid in ids if pid in found]
        gone = [pid for pid in ids if pid not in found]
        changes: list[_Change] = []
        if present:
            changes.append(("upsert", present))
        if gone:
            changes.append(("remove", gone))
        return changes

    def score_matrix(self, ids: Sequence[int]) -> npt.NDArray[np.float32]:
        """Return the mutual scores among indexed institutions (see ReciprocalRanker)."""
        return self._ranker.score_matrix(ids)

    def explain_pairs(self, pairs: Sequence[tuple[int, int]]) -> list[Match]:
        """Return score, parts and reasons of each pair ``(a, b)``, as b for a."""
        return self._ranker.explain_pairs(pairs)

    def rank_profiles(
        self, query: Profile, candidates: Sequence[Profile], *, k: int, min_score: float = MIN_SCORE
    ) -> list[Match]:
        """Rank profiles kept outside the index (opportunities) for ``query``, with reasons."""
        return self._ranker.rank_profiles(query, candidates, k=k, min_score=min_score)

    def score_profiles(
        self, askers: Sequence[Profile], candidates: Sequence[Profile]
    ) -> npt.NDArray[np.float32]:
        """Return the scores (askers x candidates) of profiles, indexed or not."""
        return self._ranker.score_profiles(askers, candidates)

    def profile(self, institution_id: int) -> Profile | None:
        """Return the indexed profile of an institution, if indexed."""
        return self._ranker.profiles.get(institution_id)

    def wait_for_refit(self, timeout: float | None = None) -> None:
        """Block until a running background refit has been swapped in (or its process ended)."""
        thread = self._refit_thread
        if thread is not None:
            thread.join(timeout)
        if self._reindex is not None:
            try:
                self._reindex.wait(timeout)
            except subprocess.TimeoutExpired:
                return
            self.follow_generation()

    # -- internals ---------------------------------------------------------------------

    def _apply(self, change: _Change) -> None:
        """Apply one change; the caller holds the write lock."""
        _replay(self._ranker, change)
        if self._journal is not None:
            self._journal.append(change)
        if not self._needs_refit():
            return
        if len(self._ranker) <= self._sync_refit_max_profiles:
            self._ranker = self._fit(list(self._ranker.profiles.values()))
        elif self._generations is not None:
            self._start_reindex_process(self._generations)
        elif self._journal is None:
            self._start_background_refit()

    def _start_reindex_process(self, store: Generations) -> None:
        """Start a refit process, unless one runs (here or in any worker) or started lately."""
        running = self._reindex is not None and self._reindex.poll() is None
        if running or time.monotonic() - self._reindex_started < _SPAWN_EVERY_SECONDS:
            return
        if store.reindex_running():
            return
        self._reindex_started = time.monotonic()
        self._reindex = spawn_reindex(self._engine, store)

    def _new_ranker(self) -> ReciprocalRanker:
        return self._ranker_factory(taxonomy=self._taxonomy)

    def _needs_refit(self) -> bool:
        ranker = self._ranker
        if ranker.changes_since_fit_ >= self._refit_after_changes:
            return True
        seen = ranker.terms_since_fit_
        return seen > 0 and ranker.unseen_terms_since_fit_ / seen >= self._refit_unseen_share

    def _fit(self, profiles: Sequence[Profile]) -> ReciprocalRanker:
        started = time.perf_counter()
        ranker = self._new_ranker().fit(profiles)
        self.last_refit_seconds = time.perf_counter() - started
        self.refits += 1
        return ranker

    def _start_background_refit(self) -> None:
        snapshot = list(self._ranker.profiles.values())
        self._journal = []
        self._refit_thread = threading.Thread(
            target=self._background_refit, args=(snapshot,), name="index-refit", daemon=True
        )
        self._refit_thread.start()

    def _background_refit(self, snapshot: list[Profile]) -> None:
        try:
            fresh = self._fit(snapshot)
        except Exception:
            log.exception("background refit failed; the current index keeps answering")
            with self._write_lock:
                self._journal = None
            return
        with self._write_lock:
            for change in self._journal or []:
                _replay(fresh, change)
            self._ranker = fresh
            self._journal = None
        log.info("index refitted on %d profiles in %.2fs", len(fresh), self.last_refit_seconds)


def _replay(ranker: ReciprocalRanker, change: _Change) -> None:
    if change[0] == "upsert":
        ranker.upsert(change[1])
    else:
        ranker.remove(change[1])

"""The one owner of the in-memory matching index and of its freshness.

How the index stays fresh:

* On start it is built from the database (``load``).
* Every committed write is applied at once (``catch_up`` after the commit, ``sync`` of the
  written ids): the changed profile is transformed with the fitted vocabulary and
  appended, its old row is hidden, a deleted profile disappears. The very next match
  request sees the change; nothing is refitted per request.
* Terms the fitted vocabulary has never seen are not indexed until a refit. The index
  refits, re-learning vocabulary and IDF from its own profiles, when changes since the
  last fit pile up (``refit_after_changes``) or unseen terms pass a share of the new text
  (``refit_unseen_share``). On a small corpus (``sync_refit_max_profiles``) the refit runs
  inside the write, so even a profile in a script the corpus has never seen is matched by
  the next request; above it, the refit runs on a background thread while the old index
  keeps answering, and changes made meanwhile are replayed before the new one is swapped
  in. Readers never wait: they take the current ranker in one atomic reference read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, func
from sqlmodel import Session, col, delete, select

from matching import CandidateFilter, Match, Profile, ReciprocalRanker, Taxonomy
from matching.floor import MIN_SCORE
from service.db import session_scope
from service.institutions import crud
from service.institutions.models import (
    IndexChange,
    Institution,
    InstitutionCreate,
    InstitutionProfile,
)
from service.values.times import utc_now

log = logging.getLogger(__name__)

# How far back (in change-log ids) each catch-up looks, for ids committed out of order.
_CHANGE_OVERLAP = 1000
_CHANGE_LOG_KEEP = timedelta(minutes=30)
_PRUNE_EVERY_POLLS = 600

_Change = tuple[Literal["upsert"], Sequence[Profile]] | tuple[Literal["remove"], Sequence[int]]


def _as_profile(
    source: InstitutionProfile,
    *,
    profile_id: int | None,
    partners: Iterable[int],
    worked_with: Iterable[int] = (),
) -> Profile:
    return Profile(
        id=profile_id,
        name=source.name,
        country=source.country,
        city=source.city or "",
        kind=str(source.kind),
        fields=tuple(source.fields),
        needs=tuple(source.needs),
        offers=tuple(source.offers),
        programs=tuple(source.programs),
        description=source.description,
        languages=tuple(source.languages),
        existing_partners=frozenset(partners),
        worked_with=frozenset(worked_with),
    )


def to_profile(
    row: Institution, partners: Sequence[int], worked_with: Sequence[int] = ()
) -> Profile:
    """Return the matching library's view of a stored institution."""
    return _as_profile(row, profile_id=row.id, partners=partners, worked_with=worked_with)


def draft_profile(data: InstitutionCreate) -> Profile:
    """Return the matching library's view of a profile that is not stored."""
    return _as_profile(data, profile_id=None, partners=data.existing_partners)


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
    ) -> None:
        self._engine = engine
        self._taxonomy = taxonomy
        self._ranker_factory = ranker_factory
        self._refit_after_changes = refit_after_changes
        self._refit_unseen_share = refit_unseen_share
        self._sync_refit_max_profiles = sync_refit_max_profiles
        self._ranker = self._new_ranker().fit([])
        self._write_lock = threading.Lock()
        self._journal: list[_Change] | None = None
        self._refit_thread: threading.Thread | None = None
        self._last_change = 0
        self._seen_changes: set[int] = set()
        self._poller: threading.Thread | None = None
        self._stop = threading.Event()
        self.refits = 0
        self.last_refit_seconds = 0.0

    def __len__(self) -> int:
        return len(self._ranker)

    @property
    def taxonomy(self) -> Taxonomy | None:
        """The taxonomy free text is mapped onto (``None``: words only)."""
        return self._taxonomy

    def load(self) -> None:
        """Rebuild the index from every institution in the database."""
        with self._write_lock:
            with session_scope(self._engine) as session:
                # Read the recent change log first: every change listed is in the rows
                # read next, so it counts as seen; one committed later (even with a
                # lower id) is not listed and is caught up afterwards, never missed.
                newest = session.exec(select(func.max(IndexChange.id))).one() or 0
                seen = set(
                    session.exec(
                        select(IndexChange.id).where(col(IndexChange.id) > newest - _CHANGE_OVERLAP)
                    )
                )
                profiles = list(_load_profiles(session, None).values())
            self._last_change = newest
            self._seen_changes = {cid for cid in seen if cid is not None}
            self._ranker = self._fit(profiles)

    def catch_up(self) -> int:
        """Apply every change in the database's change log not yet seen; return how many.

        Write operations call it right after committing, so their own write shows in the
        next request; the poller calls it for writes made by other service instances.
        """
        with self._write_lock:
            with session_scope(self._engine) as session:
                # Ids from a sequence can commit out of order: look back a margin and
                # skip the changes already applied.
                statement = select(IndexChange.id, IndexChange.institution_id).where(
                    col(IndexChange.id) > self._last_change - _CHANGE_OVERLAP
                )
                rows = [(cid, pid) for cid, pid in session.exec(statement) if cid is not None]
            fresh = [(cid, pid) for cid, pid in rows if cid not in self._seen_changes]
            if not fresh:
                return 0
            ids = sorted({pid for _, pid in fresh})
            self._sync_locked(ids)
            self._seen_changes.update(cid for cid, _ in fresh)
            self._last_change = max(self._last_change, *(cid for cid, _ in fresh))
            horizon = self._last_change - _CHANGE_OVERLAP
            self._seen_changes = {cid for cid in self._seen_changes if cid > horizon}
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
        """Stop polling and wait for a running background refit."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join(timeout=10)
            self._poller = None
        self.wait_for_refit(timeout=60)

    def _poll(self, interval: float) -> None:
        polls = 0
        while not self._stop.wait(interval):
            try:
                self.catch_up()
                polls += 1
                if polls % _PRUNE_EVERY_POLLS == 0:
                    self._prune_log()
            except Exception:  # the poller must outlive a database hiccup
                log.exception("catching up with the change log failed; retrying")

    def _prune_log(self) -> None:
        cutoff = utc_now() - _CHANGE_LOG_KEEP
        with session_scope(self._engine) as session:
            session.exec(delete(IndexChange).where(col(IndexChange.changed_at) < cutoff))

    def rank(
        self,
        query: Profile,
        *,
        k: int,
        where: CandidateFilter,
        diversity: float = 0.0,
        exposure: float = 0.0,
    ) -> list[Match]:
        """Rank indexed institutions as partners for ``query``."""
        return self._ranker.rank(query, k=k, where=where, diversity=diversity, exposure=exposure)

    def sync(self, ids: Sequence[int]) -> None:
        """Bring these institutions up to date from the database; call after a commit.

        Reading the committed rows under the write lock, rather than taking the profiles
        from the caller, means two writers finishing out of order still leave the index
        holding the latest version.
        """
        with self._write_lock:
            self._sync_locked(ids)

    def _sync_locked(self, ids: Sequence[int]) -> None:
        with session_scope(self._engine) as session:
            found = _load_profiles(session, ids)
        present = [found[pid] for pid in ids if pid in found]
        gone = [pid for pid in ids if pid not in found]
        if present:
            self._apply(("upsert", present))
        if gone:
            self._apply(("remove", gone))

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
        """Block until a running background refit has been swapped in."""
        thread = self._refit_thread
        if thread is not None:
            thread.join(timeout)

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
        elif self._journal is None:
            self._start_background_refit()

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


def _load_profiles(session: Session, ids: Sequence[int] | None) -> dict[int, Profile]:
    """Return the stored profiles with these ids (all of them for ``None``)."""
    rows = crud.all_institutions(session=session, ids=ids)
    ids = [r.id for r in rows if r.id]
    partners = crud.partners_of(session=session, institution_ids=ids)
    worked_with = crud.worked_with(session=session, institution_ids=ids)
    return {
        row.id: to_profile(row, partners[row.id], worked_with[row.id])
        for row in rows
        if row.id is not None
    }


def _replay(ranker: ReciprocalRanker, change: _Change) -> None:
    if change[0] == "upsert":
        ranker.upsert(change[1])
    else:
        ranker.remove(change[1])

"""Alerts: when a written profile or opportunity enters a saved search's results.

An item *is in* a saved search's results when, seen from the search's institution, it
passes every filter (countries, kinds, field, cross-border; for opportunities: open, the
institution eligible, not its own; for profiles: not itself, not a declared partner) and
scores above zero and at least ``min_score``. It *enters* when a write makes it be in
while the version before that write was not (a new item had no version before). Only
the written items are scored, each against the institutions that saved searches are
seen from, in one matrix product: a write costs one small product, not a re-ranking of
everything. A search's own institution changing does not alert it; nor does a change of
vocabulary at a refit.

``check`` runs right after the write commits, in the same request, so an alert and its
``match.alert`` event exist when the write is answered; it commits them together. If
the process dies between the two commits, that write's alerts are lost (the write is
not).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, select

from matching import Profile
from service.alerts.models import Alert, SavedSearch
from service.alerts.saved_searches import alert_out
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution
from service.institutions.profiles import to_profile
from service.opportunities import crud as opportunities
from service.opportunities.models import Opportunity
from service.values.times import utc_now
from service.webhooks.outbox import Event, EventType, enqueue


@dataclass(frozen=True, slots=True)
class Candidate:
    """A profile or an opportunity as saved searches see it.

    ``profile`` is the ranker's view (for an opportunity, the profile its publisher
    writes; its country and kind are the publisher's).
    """

    target: Literal["institution", "opportunity"]
    id: int
    profile: Profile
    publisher_id: int | None = None
    open: bool = True
    eligible_countries: frozenset[str] = frozenset()
    eligible_kinds: frozenset[str] = frozenset()

    @property
    def collection(self) -> str:
        """The ``targets`` value of saved searches that watch this kind of item."""
        return "institutions" if self.target == "institution" else "opportunities"


@dataclass(frozen=True, slots=True)
class Change:
    """A written item: how it was before the write (``None`` when new) and after."""

    before: Candidate | None
    after: Candidate


def institution_candidates(
    *, session: Session, rows: Sequence[Institution]
) -> dict[int, Candidate]:
    """Return stored institutions as candidates, by id (call before changing them too)."""
    partners = crud.partners_of(session=session, institution_ids=[r.id for r in rows if r.id])
    return {
        row.id: Candidate("institution", row.id, to_profile(row, partners[row.id]))
        for row in rows
        if row.id is not None
    }


def opportunity_candidate(row: Opportunity, owner: Institution) -> Candidate:
    """Return an opportunity as a candidate, open or not as of now."""
    assert row.id is not None
    return Candidate(
        "opportunity",
        row.id,
        opportunities.as_profile(row, owner),
        publisher_id=row.institution_id,
        open=opportunities.is_open(row, utc_now()),
        eligible_countries=frozenset(row.eligible_countries),
        eligible_kinds=frozenset(row.eligible_kinds),
    )


def institutions_written(
    *,
    session: Session,
    index: MatchIndex,
    ids: Iterable[int],
    before: Mapping[int, Candidate] | None = None,
) -> int:
    """Check the saved searches against committed institution writes; return alerts made."""
    if not _watching(session, {"institutions"}):
        return 0  # a bulk import is not read back when nobody watches
    rows = crud.all_institutions(session=session, ids=list(ids))
    after = institution_candidates(session=session, rows=rows)
    before = before or {}
    changes = [Change(before.get(pid), candidate) for pid, candidate in after.items()]
    return check(session=session, index=index, changes=changes)


def _watching(session: Session, collections: set[str]) -> list[SavedSearch]:
    """The saved searches that watch any of these collections."""
    if not collections:
        return []
    searches = session.exec(select(SavedSearch))
    return [search for search in searches if collections & set(search.targets)]


def _passes(search: SavedSearch, asker: Profile, item: Candidate, score: float) -> bool:
    """Whether ``item``, scoring ``score`` for the search's institution, is in its results."""
    if score <= 0 or score < search.min_score:
        return False
    profile = item.profile
    if item.target == "institution":
        if item.id == asker.id or item.id in asker.existing_partners:
            return False
        if asker.id in profile.existing_partners:
            return False
    else:
        if not item.open or item.publisher_id == asker.id:
            return False
        if item.eligible_countries and asker.country not in item.eligible_countries:
            return False
        if item.eligible_kinds and asker.kind not in item.eligible_kinds:
            return False
    if search.cross_border and profile.country == asker.country:
        return False
    if search.countries and profile.country not in search.countries:
        return False
    if search.kinds and profile.kind not in search.kinds:
        return False
    if search.field:
        fields = "\n".join(profile.fields).casefold()
        if search.field.casefold() not in fields:
            return False
    return True


def _askers(session: Session, index: MatchIndex, ids: Sequence[int]) -> dict[int, Profile]:
    askers = {pid: profile for pid in ids if (profile := index.profile(pid)) is not None}
    missing = [pid for pid in ids if pid not in askers]
    if missing:  # written through another instance and not yet polled: read them
        rows = crud.all_institutions(session=session, ids=missing)
        askers.update(
            (pid, candidate.profile)
            for pid, candidate in institution_candidates(session=session, rows=rows).items()
        )
    return askers


def check(*, session: Session, index: MatchIndex, changes: Sequence[Change]) -> int:
    """Record an alert, and enqueue ``match.alert``, for every saved search an item
    entered; commit them. Return how many alerts were made."""
    searches = _watching(session, {change.after.collection for change in changes})
    if not searches:
        return 0
    askers = _askers(session, index, sorted({search.institution_id for search in searches}))
    asker_ids = sorted(askers)
    items = [c.after for c in changes] + [c.before for c in changes if c.before is not None]
    scores = index.score_profiles([askers[pid] for pid in asker_ids], [i.profile for i in items])
    row_of = {pid: row for row, pid in enumerate(asker_ids)}
    column_of = {id(item): column for column, item in enumerate(items)}

    def score(pid: int, item: Candidate) -> float:
        return float(scores[row_of[pid], column_of[id(item)]])

    entered: list[tuple[SavedSearch, Candidate, float]] = []
    for change in changes:
        for search in searches:
            asker = askers.get(search.institution_id)
            if asker is None or change.after.collection not in search.targets:
                continue
            now_score = score(search.institution_id, change.after)
            if not _passes(search, asker, change.after, now_score):
                continue
            before = change.before
            if before is not None and _passes(
                search, asker, before, score(search.institution_id, before)
            ):
                continue
            entered.append((search, change.after, now_score))
    return _record(session, index, askers, entered)


def _record(
    session: Session,
    index: MatchIndex,
    askers: Mapping[int, Profile],
    entered: Sequence[tuple[SavedSearch, Candidate, float]],
) -> int:
    if not entered:
        return 0
    alerts: list[tuple[Alert, int]] = []
    for search, item, score in entered:
        asker = askers[search.institution_id]
        # Reasons for the few items that entered; the candidate is ranked alone.
        ranked = index.rank_profiles(asker, [dataclasses.replace(item.profile, id=item.id)], k=1)
        reasons = list(ranked[0].reasons) if ranked else []
        assert search.id is not None
        alert = Alert(
            saved_search_id=search.id,
            owner=search.owner,
            target=item.target,
            target_id=item.id,
            score=float(score),
            reasons=reasons,
        )
        session.add(alert)
        alerts.append((alert, search.institution_id))
    session.flush()
    enqueue(
        session,
        [
            Event(
                EventType.match_alert,
                {"alert": alert_out(alert, institution_id).model_dump(mode="json")},
                owner=alert.owner,
            )
            for alert, institution_id in alerts
        ],
    )
    session.commit()
    return len(alerts)

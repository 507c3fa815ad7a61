"""Opportunity storage: publish, list, change, close (never commits), and what the ranker
sees of them.

An opportunity is open until its owner closes it or its deadline passes; that is decided
whenever it is read (``is_open``), so no job has to close it. Closed ones are never
matched and take no new interest.

To the ranker an opportunity is a profile written by its owner: an *offer* offers its
title and text and needs what its owner needs; a *call* needs its title and text and
offers what its owner offers. Its fields (or else its owner's) and its program type count
as the profile's fields and programs, so it is scored by the same reciprocal ranking as
a partner, against institutions (``rank_institutions``) or for one (``ranked_for``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from matching import CandidateFilter, Match, Profile
from service.auth.keys import Caller
from service.auth.owners import acting_institution
from service.errors import Conflict, FieldError, InvalidInput, NotFound
from service.http.pagination import Window, paginate
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution
from service.opportunities.models import Direction, Opportunity, program_label
from service.opportunities.schemas import (
    OpportunityCreate,
    OpportunityFilters,
    OpportunityPublic,
    OpportunityUpdate,
    OwnerRef,
)
from service.values.times import as_utc, utc_now
from service.webhooks.outbox import Event, EventType, enqueue

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])|\n+")
_MAX_PHRASES = 50


def get(*, session: Session, opportunity_id: int) -> Opportunity:
    """Return the opportunity with this id, or raise NotFound."""
    row = session.get(Opportunity, opportunity_id)
    if row is None:
        raise NotFound("opportunity", opportunity_id)
    return row


def is_open(row: Opportunity, now: datetime) -> bool:
    """Whether the opportunity takes interest and is matched at ``now``."""
    return row.closed_at is None and (row.deadline is None or as_utc(row.deadline) > now)


def closed_since(row: Opportunity, now: datetime) -> datetime | None:
    """When it closed (by its owner, or at its deadline), or ``None`` while open."""
    if row.closed_at is not None:
        return row.closed_at
    if row.deadline is not None and as_utc(row.deadline) <= now:
        return row.deadline
    return None


def owner_ref(owner: Institution) -> OwnerRef:
    """Return the short reference to an institution shown with opportunities."""
    assert owner.id is not None
    return OwnerRef(id=owner.id, name=owner.name, country=owner.country, kind=str(owner.kind))


def to_public(row: Opportunity, owner: Institution, now: datetime) -> OpportunityPublic:
    """Return the public view of an opportunity, with its status at ``now``."""
    return OpportunityPublic.model_validate(
        {
            **row.model_dump(),
            "institution": owner_ref(owner),
            "status": "open" if is_open(row, now) else "closed",
            "closed_at": closed_since(row, now),
        }
    )


def owners_of(*, session: Session, rows: Sequence[Opportunity]) -> dict[int, Institution]:
    """Return the owning institutions of these opportunities by id."""
    ids = sorted({row.institution_id for row in rows})
    return {inst.id: inst for inst in crud.all_institutions(session=session, ids=ids) if inst.id}


def publics(*, session: Session, rows: Sequence[Opportunity]) -> list[OpportunityPublic]:
    """Return the public views of these opportunities, in the order given."""
    owners, now = owners_of(session=session, rows=rows), utc_now()
    return [to_public(row, owners[row.institution_id], now) for row in rows]


def _check_deadline(deadline: datetime | None, now: datetime) -> None:
    if deadline is not None and deadline <= now:
        raise InvalidInput([FieldError(("body", "deadline"), "must be in the future")])


def _refresh_derived(row: Opportunity) -> None:
    row.countries_text = "".join(f",{c}," for c in row.eligible_countries)
    row.kinds_text = "".join(f",{k}," for k in row.eligible_kinds)
    row.fields_text = "\n".join(row.fields).casefold()


def create(*, session: Session, caller: Caller, data: OpportunityCreate) -> Opportunity:
    """Store a new opportunity and enqueue ``opportunity.published``; the caller commits."""
    owner = acting_institution(session, caller, data.institution_id, doing="publish")
    _check_deadline(data.deadline, utc_now())
    row = Opportunity.model_validate(
        {**data.model_dump(exclude={"institution_id"}), "institution_id": owner.id}
    )
    row.direction = str(data.direction)
    _refresh_derived(row)
    session.add(row)
    session.flush()
    (published,) = publics(session=session, rows=[row])
    payload = {"opportunity": published.model_dump(mode="json")}
    enqueue(session, [Event(EventType.opportunity_published, payload)])
    return row


def update(*, session: Session, row: Opportunity, changes: OpportunityUpdate) -> Opportunity:
    """Apply the fields sent; a closed opportunity cannot be changed (a lapsed one can be
    given a later deadline, which opens it again)."""
    if row.closed_at is not None:
        raise Conflict(f"opportunity {row.id} was closed by its owner and cannot be changed")
    data = changes.model_dump(exclude_unset=True)
    for required in ("type", "direction", "title"):
        if required in data and data[required] is None:
            raise InvalidInput([FieldError(("body", required), "may be changed but not cleared")])
    for list_field in ("fields", "eligible_countries", "eligible_kinds"):
        if list_field in data and data[list_field] is None:
            data[list_field] = []
    if "text" in data and data["text"] is None:
        data["text"] = ""
    if "deadline" in data:
        _check_deadline(data["deadline"], utc_now())
    if "direction" in data:
        data["direction"] = str(data["direction"])
    row.sqlmodel_update(data)
    _refresh_derived(row)
    row.updated_at = utc_now()
    session.add(row)
    session.flush()
    return row


def close(*, session: Session, row: Opportunity) -> None:
    """Close an opportunity now (idempotent); it stays readable, marked closed."""
    if row.closed_at is None:
        row.closed_at = utc_now()
        row.updated_at = row.closed_at
        session.add(row)
        session.flush()


def open_conditions(now: datetime) -> list[ColumnElement[bool]]:
    """Conditions keeping the opportunities open at ``now``."""
    return [
        col(Opportunity.closed_at).is_(None),
        or_(col(Opportunity.deadline).is_(None), col(Opportunity.deadline) > now),
    ]


def _open_to(country: str | None, kind: str | None) -> list[ColumnElement[bool]]:
    """Conditions keeping opportunities that this country and kind are eligible for."""
    conditions: list[ColumnElement[bool]] = []
    if country:
        conditions.append(
            or_(
                col(Opportunity.countries_text) == "",
                col(Opportunity.countries_text).contains(f",{country},"),
            )
        )
    if kind:
        conditions.append(
            or_(
                col(Opportunity.kinds_text) == "",
                col(Opportunity.kinds_text).contains(f",{kind},"),
            )
        )
    return conditions


def list_opportunities(*, session: Session, filters: OpportunityFilters) -> Window[Opportunity]:
    """Return a page of opportunities in id order, filtered, and the filtered total."""
    now = utc_now()
    conditions = _open_to(filters.country, filters.kind)
    if filters.type:
        conditions.append(col(Opportunity.type) == filters.type)
    if filters.direction:
        conditions.append(col(Opportunity.direction) == str(filters.direction))
    if filters.q:
        conditions.append(
            or_(
                col(Opportunity.title).icontains(filters.q, autoescape=True),
                col(Opportunity.text).icontains(filters.q, autoescape=True),
            )
        )
    if filters.institution_id:
        conditions.append(col(Opportunity.institution_id) == filters.institution_id)
    if filters.field:
        conditions.append(
            col(Opportunity.fields_text).contains(filters.field.casefold(), autoescape=True)
        )
    if filters.status == "open":
        conditions += open_conditions(now)
    elif filters.status == "closed":
        conditions.append(
            or_(col(Opportunity.closed_at).is_not(None), col(Opportunity.deadline) <= now)
        )
    return paginate(
        session=session,
        statement=select(Opportunity).where(*conditions),
        key=col(Opportunity.id),
        key_of=lambda row: row.id,
        params=filters,
    )


def open_for(*, session: Session, institution: Institution) -> list[Opportunity]:
    """Return the open opportunities an institution may take up (not its own), by id."""
    statement = (
        select(Opportunity)
        .where(*open_conditions(utc_now()))
        .where(*_open_to(institution.country, str(institution.kind)))
        .where(col(Opportunity.institution_id) != institution.id)
        .order_by(col(Opportunity.id))
    )
    return list(session.exec(statement))


def eligible(row: Opportunity, institution: Institution) -> bool:
    """Whether an institution may take this opportunity up (country and kind rules)."""
    return (
        (not row.eligible_countries or institution.country in row.eligible_countries)
        and (not row.eligible_kinds or str(institution.kind) in row.eligible_kinds)
        and institution.id != row.institution_id
    )


def _phrases(title: str, text: str) -> tuple[str, ...]:
    sentences = [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]
    return tuple(dict.fromkeys([title, *sentences]))[:_MAX_PHRASES]


def as_profile(row: Opportunity, owner: Institution) -> Profile:
    """Return the ranker's view of an opportunity: a profile written by its owner."""
    own = _phrases(row.title, row.text)
    offer = row.direction == Direction.offer
    return Profile(
        id=row.id,
        name=row.title,
        country=owner.country,
        kind=str(owner.kind),
        fields=tuple(row.fields) or tuple(owner.fields),
        needs=tuple(owner.needs) if offer else own,
        offers=own if offer else tuple(owner.offers),
        programs=(program_label(row.type),),
        languages=(row.language,) if row.language else tuple(owner.languages),
    )


def rank_institutions(
    *, index: MatchIndex, row: Opportunity, owner: Institution, limit: int, min_score: float
) -> list[Match]:
    """Rank the institutions eligible for an opportunity, best fit first (not its owner)."""
    # Asked without an id: an opportunity's id could be some institution's id.
    query = dataclasses.replace(as_profile(row, owner), id=None)
    where = CandidateFilter(
        cross_border=False,
        countries=frozenset(row.eligible_countries),
        kinds=frozenset(row.eligible_kinds),
        min_score=min_score,
        exclude=frozenset({row.institution_id}),
    )
    return index.rank(query, k=limit, where=where)


def ranked_for(
    *,
    session: Session,
    index: MatchIndex,
    query: Profile,
    institution: Institution,
    limit: int,
    min_score: float,
) -> list[tuple[Opportunity, Match]]:
    """Rank the open opportunities an institution may take up, best fit first."""
    rows = open_for(session=session, institution=institution)
    owners = owners_of(session=session, rows=rows)
    by_id = {row.id: row for row in rows}
    candidates = [as_profile(row, owners[row.institution_id]) for row in rows]
    matches = index.rank_profiles(query, candidates, k=limit, min_score=min_score)
    return [(by_id[match.id], match) for match in matches]

"""Opportunity writes, one function per action: publish, change, close, express and
withdraw interest.

Each one validates, writes and commits (events are enqueued inside the transaction),
then does what must follow: a published or changed opportunity is checked against the
saved searches that watch opportunities.
"""

from __future__ import annotations

from sqlmodel import Session

from service.alerts import triggers as alerts
from service.auth.keys import Caller
from service.db import committed
from service.institutions import crud as institutions
from service.institutions.index import MatchIndex
from service.institutions.models import Institution
from service.opportunities import crud, interest
from service.opportunities.models import Opportunity
from service.opportunities.schemas import (
    InterestCreate,
    InterestPublic,
    OpportunityCreate,
    OpportunityUpdate,
)


def owner_of(session: Session, row: Opportunity) -> Institution:
    """Return the institution that published the opportunity."""
    owner = institutions.get_institution(session=session, institution_id=row.institution_id)
    assert owner is not None  # opportunities go with their owner (foreign key, cascade)
    return owner


def publish(
    *, session: Session, index: MatchIndex, caller: Caller, data: OpportunityCreate
) -> Opportunity:
    """Publish an offer or a call for the caller's institution (admins name it)."""
    with committed(session):
        row = crud.create(session=session, caller=caller, data=data)
    published = alerts.Change(None, alerts.opportunity_candidate(row, owner_of(session, row)))
    alerts.check(session=session, index=index, changes=[published])
    return row


def change(
    *, session: Session, index: MatchIndex, row: Opportunity, changes: OpportunityUpdate
) -> Opportunity:
    """Change some fields of an opportunity; alert searches it now enters."""
    owner = owner_of(session, row)
    before = alerts.opportunity_candidate(row, owner)
    with committed(session):
        row = crud.update(session=session, row=row, changes=changes)
    alerts.check(
        session=session,
        index=index,
        changes=[alerts.Change(before, alerts.opportunity_candidate(row, owner))],
    )
    return row


def close(*, session: Session, row: Opportunity) -> None:
    """Close an opportunity now; it stays readable, marked closed."""
    with committed(session):
        crud.close(session=session, row=row)


def express_interest(
    *,
    session: Session,
    caller: Caller,
    opportunity: Opportunity,
    data: InterestCreate,
    max_open: int,
) -> InterestPublic:
    """Record an institution's interest in an open opportunity, once."""
    with committed(session):
        interested = interest.express(
            session=session, caller=caller, opportunity=opportunity, data=data, max_open=max_open
        )
    institution = institutions.get_institution(
        session=session, institution_id=interested.institution_id
    )
    assert institution is not None
    return interest.to_out(interested, institution)


def withdraw_interest(*, session: Session, caller: Caller, opportunity: Opportunity) -> None:
    """Withdraw the caller's institution's interest (idempotent)."""
    with committed(session):
        interest.withdraw(session=session, caller=caller, opportunity=opportunity)

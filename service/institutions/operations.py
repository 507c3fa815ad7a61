"""Institution writes, one function per action, shared by the API and the pages.

Each one validates, writes and commits, then does what must follow a committed write:
this instance's index catches up, and saved searches are checked for alerts (which
commits the alerts and their ``match.alert`` events). The ``institution.*`` events are
enqueued by ``crud`` inside the write's own transaction (the outbox).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlmodel import Session

from service.alerts.triggers import Candidate, institution_candidates, institutions_written
from service.auth.keys import Role, issue_key
from service.db import committed
from service.http import etags
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.models import Institution, InstitutionCreate, InstitutionUpdate
from service.institutions.schemas import InstitutionCreated


def after_write(
    *,
    session: Session,
    index: MatchIndex,
    ids: Iterable[int],
    before: Mapping[int, Candidate] | None = None,
) -> None:
    """Catch the index up with committed institution writes and check saved searches."""
    index.catch_up()
    institutions_written(session=session, index=index, ids=ids, before=before)


def register_institution(
    *, session: Session, index: MatchIndex, data: InstitutionCreate
) -> InstitutionCreated:
    """Store a new institution with a key of its own; return it with the key's secret."""
    with committed(session):
        (row,) = crud.create_institutions(session=session, items=[data])
        assert row.id is not None
        key, secret = issue_key(
            session, label="issued with the profile", role=Role.institution, institution_id=row.id
        )
    after_write(session=session, index=index, ids=[row.id])
    private = crud.to_private(row, list(data.existing_partners))
    assert key.id is not None
    return InstitutionCreated(**private.model_dump(), api_key=secret, api_key_id=key.id)


def create_institutions(
    *, session: Session, index: MatchIndex, items: Sequence[InstitutionCreate]
) -> list[int]:
    """Store many institutions, all or nothing; return their ids in order (no keys)."""
    with committed(session):
        rows = crud.create_institutions(session=session, items=items, bulk=True)
    ids = [row.id for row in rows if row.id is not None]
    after_write(session=session, index=index, ids=ids)
    return ids


def update_institution(
    *,
    session: Session,
    index: MatchIndex,
    row: Institution,
    changes: InstitutionUpdate,
    if_match: str | None = None,
) -> Institution:
    """Apply the fields set in ``changes``; with ``if_match``, only to that version."""
    with committed(session):
        row = etags.lock_current(session, row)
        version = etags.institution_etag(row, private=True)
        before = institution_candidates(session=session, rows=[row])
        row = crud.update_institution(session=session, row=row, changes=changes)
        # After the changes are checked: a change refused anyway is answered 422, not 412.
        etags.check_if_match(if_match, version, what="profile")
    assert row.id is not None
    after_write(session=session, index=index, ids=[row.id], before=before)
    return row


def delete_institution(
    *, session: Session, index: MatchIndex, row: Institution, if_match: str | None = None
) -> None:
    """Delete an institution and the partnerships naming it; with ``if_match``, only
    that version. Nothing enters a saved search's results, so none is checked."""
    with committed(session):
        row = etags.lock_current(session, row)
        etags.check_if_match(if_match, etags.institution_etag(row, private=True), what="profile")
        crud.delete_institution(session=session, row=row)
    index.catch_up()

"""API keys: admins create organiser and admin keys; institutions manage their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from sqlmodel import col, select

from service.auth import keys as auth
from service.auth import operations
from service.auth.models import ApiKey
from service.auth.schemas import KeyCreate, KeyIssued, KeyPage, KeyPublic
from service.deps import AdminDep, CallerDep, EditableInstitutionDep, SessionDep
from service.http.idempotency import IdempotentPostRoute
from service.http.pagination import PageQuery, paginate
from service.http.schemas import PROBLEM_RESPONSES
from service.values.validation import MAX_ID

router = APIRouter(
    tags=["keys"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentPostRoute,
)


def _public(row: ApiKey) -> KeyPublic:
    return KeyPublic.model_validate(row, from_attributes=True)


def _issued(row: ApiKey, secret: str) -> KeyIssued:
    return KeyIssued(**_public(row).model_dump(), key=secret)


@router.post("/keys", status_code=status.HTTP_201_CREATED, operation_id="create_key")
def create_key(data: KeyCreate, session: SessionDep, _admin: AdminDep) -> KeyIssued:
    """Create an admin key, or an organiser key for some workshops (admins only)."""
    row, secret = operations.create_key(session=session, data=data)
    return _issued(row, secret)


@router.get("/keys", operation_id="list_keys")
def list_keys(
    session: SessionDep,
    _admin: AdminDep,
    page: PageQuery,
) -> KeyPage:
    """List every key by id, without secrets, one page at a time (admins only)."""
    window = paginate(
        session=session,
        statement=select(ApiKey),
        key=col(ApiKey.id),
        key_of=lambda row: row.id,
        params=page,
    )
    return KeyPage.of(window, [_public(row) for row in window.rows], page)


@router.delete(
    "/keys/{key_id:int}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_key"
)
def revoke_key(
    key_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, caller: CallerDep
) -> Response:
    """Revoke a key: admins any key, an institution its own institution's keys."""
    operations.revoke_key(session=session, caller=caller, key_id=key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/institutions/{institution_id:int}/keys",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_institution_key",
)
def create_institution_key(row: EditableInstitutionDep, session: SessionDep) -> KeyIssued:
    """Issue another key for an institution (its own key or an admin), e.g. to rotate."""
    assert row.id is not None
    key, secret = operations.create_institution_key(session=session, institution_id=row.id)
    return _issued(key, secret)


@router.get("/institutions/{institution_id:int}/keys", operation_id="list_institution_keys")
def list_institution_keys(row: EditableInstitutionDep, session: SessionDep) -> list[KeyPublic]:
    """List an institution's keys, without secrets (its own key or an admin)."""
    return [_public(key) for key in auth.list_keys(session, institution_id=row.id)]

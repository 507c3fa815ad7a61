"""Key writes, one function per action: issue a key, issue another for an institution,
revoke one.

Each one checks who may do it, writes and commits; revoking also cancels the queued
webhook deliveries the key leaves without an owner (``service.webhooks.revocation``),
in the same transaction. The secret of an issued key is returned once and never stored.
"""

from __future__ import annotations

from sqlmodel import Session

from service.auth import keys
from service.auth.keys import Caller, Role
from service.auth.models import ApiKey
from service.auth.schemas import KeyCreate
from service.db import committed
from service.errors import Forbidden, NotAuthenticated, NotFound


def create_key(*, session: Session, data: KeyCreate) -> tuple[ApiKey, str]:
    """Issue an admin key, or an organiser key for some workshops; return it and its secret."""
    with committed(session):
        return keys.issue_key(
            session,
            label=data.label,
            role=Role(data.role),
            scopes=frozenset(f"workshop:{workshop}" for workshop in data.workshops),
        )


def create_institution_key(*, session: Session, institution_id: int) -> tuple[ApiKey, str]:
    """Issue another key for an institution (to rotate its keys); return it and its secret."""
    with committed(session):
        return keys.issue_key(
            session,
            label="issued on request",
            role=Role.institution,
            institution_id=institution_id,
        )


def revoke_key(*, session: Session, caller: Caller, key_id: int) -> None:
    """Revoke a key: an admin any key, an institution its own institution's keys."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("revoking a key needs a key")
    with committed(session):
        row = session.get(ApiKey, key_id)
        if row is None:
            raise NotFound("key", key_id)
        if caller.role is not Role.admin and not (
            caller.role is Role.institution and row.institution_id == caller.institution_id
        ):
            raise Forbidden(f"this key may not revoke key {key_id}")
        keys.revoke_key(session, row)

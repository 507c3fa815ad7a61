"""Who acts, and who owns: the institution a request acts for, and owned resources.

Saved searches and webhooks name their owner in one short string: ``institution:<id>``
for an institution (any of its keys), ``key:<id>`` for an organiser or admin key,
``admin`` for the admin token. Admins may manage everything; anyone else only what
their own name owns.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from sqlmodel import Session

from service.auth.keys import Caller, Role
from service.errors import FieldError, Forbidden, InvalidInput, NotAuthenticated, NotFound
from service.institutions import crud
from service.institutions.models import Institution

ADMIN_TOKEN_OWNER = "admin"


class Owned(Protocol):
    """A stored resource with an owner name."""

    owner: str


OwnedRow = TypeVar("OwnedRow", bound=Owned)


def owner_of(caller: Caller) -> str:
    """Return the owner name of a caller with a key (anonymous callers have none)."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("this needs an API key")
    if caller.role is Role.institution:
        return f"institution:{caller.institution_id}"
    if caller.key_id is not None:
        return f"key:{caller.key_id}"
    return ADMIN_TOKEN_OWNER


def may_manage(caller: Caller, owner: str) -> bool:
    """Whether the caller may read or change something owned by ``owner``."""
    if caller.role is Role.admin:
        return True
    return caller.role is not Role.anonymous and owner_of(caller) == owner


def get_owned(
    session: Session, caller: Caller, model: type[OwnedRow], resource_id: int, what: str
) -> OwnedRow:
    """Return the ``what`` with this id if the caller may manage it (else 404 or 403)."""
    row = session.get(model, resource_id)
    if row is None:
        raise NotFound(what, resource_id)
    if not may_manage(caller, row.owner):
        raise Forbidden(f"{what} {resource_id} belongs to someone else")
    return row


def acting_institution(
    session: Session,
    caller: Caller,
    named: int | None,
    *,
    doing: str,
    organisers_too: bool = False,
) -> Institution:
    """Return the institution a request acts for, ``doing`` something.

    An institution key acts for its own institution (403 if ``named`` is another). An
    admin, and an organiser when ``organisers_too``, must name one that exists (422 on
    ``body.institution_id``); other keys get 403.
    """
    if caller.role is Role.institution:
        if named is not None and named != caller.institution_id:
            raise Forbidden(f"this key may not {doing} for institution {named}")
        named = caller.institution_id
    elif caller.role is Role.admin or (organisers_too and caller.role is Role.organiser):
        if named is None:
            raise InvalidInput(
                [FieldError(("body", "institution_id"), f"name the institution to {doing} for")]
            )
    else:
        raise Forbidden(f"only an institution's key (or an admin) may {doing}")
    assert named is not None
    row = crud.get_institution(session=session, institution_id=named)
    if row is None:
        raise InvalidInput(
            [FieldError(("body", "institution_id"), f"no institution has id {named}")]
        )
    return row

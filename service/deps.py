"""Dependencies shared by the routes: settings, session, index, caller, and the one
lookup of each resource named in a path (``InstitutionDep``, ``WorkshopDep``,
``PairingRunDep``, ``OpportunityDep``...), which answers 404 with :class:`NotFound`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from service.auth.keys import ANONYMOUS, Caller, Role, authenticate
from service.config import Settings
from service.db import open_session
from service.errors import Forbidden, NotAuthenticated, NotFound
from service.institutions import crud
from service.institutions.index import MatchIndex
from service.institutions.match_requests import MatchRequests
from service.institutions.models import Institution
from service.opportunities import crud as opportunities
from service.opportunities.models import Opportunity
from service.values.validation import MAX_ID
from service.workshops import runs
from service.workshops.models import PairingRun, Workshop


async def get_settings(request: Request) -> Settings:
    """Return the settings the app was built with."""
    # async: no IO, and a sync dependency costs every request a hop to the thread pool.
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Yield a session; routes commit their writes, anything uncommitted is rolled back."""
    # async: opening a session does no IO, so it needs no hop to the thread pool (a sync
    # generator costs two per request). Closing returns its connection (a rollback, IO):
    # that one runs in the pool, shielded so that a cancelled request still hands its
    # connection back.
    session = open_session(request.app.state.engine)
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)
        else:  # never queried (a match request's anonymous caller): closing does no IO
            session.close()


async def get_match_requests(request: Request) -> MatchRequests:
    """Return where the app runs match requests' work."""
    # async: no IO (see get_settings).
    runs: MatchRequests = request.app.state.match_requests
    return runs


async def get_index(request: Request) -> MatchIndex:
    """Return the app's matching index."""
    # async: no IO (see get_settings).
    index: MatchIndex = request.app.state.index
    return index


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
IndexDep = Annotated[MatchIndex, Depends(get_index)]
MatchRequestsDep = Annotated[MatchRequests, Depends(get_match_requests)]

# Declared so that OpenAPI documents the scheme; the header itself is read below, so a
# malformed header is refused rather than silently treated as anonymous.
_bearer = HTTPBearer(auto_error=False, description="An API key (tvm_...) or the admin token.")


def _authenticated(engine: Engine, authorization: str, admin_token: str | None) -> Caller:
    with open_session(engine) as session:
        return authenticate(session, authorization, admin_token)


async def get_caller(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """Return who is calling, from the ``Authorization`` header."""
    authorization = request.headers.get("authorization")
    if authorization is None:  # anonymous: nothing to look up, no hop to the thread pool
        return ANONYMOUS
    # A session of its own, not the request's: so an anonymous caller costs a route no
    # session (a match request opens its own where its work runs: match_requests).
    engine: Engine = request.app.state.engine
    admin_token: str | None = request.app.state.admin_token
    return await run_in_threadpool(_authenticated, engine, authorization, admin_token)


CallerDep = Annotated[Caller, Depends(get_caller)]


async def allow_anyone(caller: CallerDep) -> Caller:
    """Let every caller through, with a key or without (a malformed key is still 401).

    The gate of operations open to the public whose operation checks the rest (a claim is
    checked by the email it names); OpenAPI marks them as not needing a key.
    """
    return caller


AnyoneDep = Annotated[Caller, Depends(allow_anyone)]


async def require_reader(caller: CallerDep, settings: SettingsDep) -> Caller:
    """Let the caller read, unless reads need a key and it has none."""
    # async: no IO (see get_settings).
    if settings.reads_require_key and caller.role is Role.anonymous:
        raise NotAuthenticated("reading needs an API key on this service")
    return caller


def require_admin(caller: CallerDep) -> Caller:
    """Let only an admin through."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("this needs the admin token or an admin key")
    if caller.role is not Role.admin:
        raise Forbidden("only an admin may do this")
    return caller


def require_importer(caller: CallerDep) -> Caller:
    """Let admins and organisers through (bulk imports)."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("this needs an organiser or admin key")
    if caller.role not in (Role.admin, Role.organiser):
        raise Forbidden("only organisers and admins may create institutions in bulk")
    return caller


def require_registrar(caller: CallerDep, settings: SettingsDep) -> Caller:
    """Let the caller register an institution (anyone, unless registration is closed)."""
    if settings.open_registration or caller.role in (Role.admin, Role.organiser):
        return caller
    if caller.role is Role.anonymous:
        raise NotAuthenticated("registration is closed: ask an organiser or admin")
    raise Forbidden("registration is closed: ask an organiser or admin")


def require_key(caller: CallerDep) -> Caller:
    """Let through any caller with a key; what it may do is checked further on."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("this needs an API key")
    return caller


ReaderDep = Annotated[Caller, Depends(require_reader)]
KeyDep = Annotated[Caller, Depends(require_key)]
AdminDep = Annotated[Caller, Depends(require_admin)]
ImporterDep = Annotated[Caller, Depends(require_importer)]
RegistrarDep = Annotated[Caller, Depends(require_registrar)]


InstitutionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The institution's id.")]


def get_institution(session: SessionDep, institution_id: InstitutionId) -> Institution:
    """Return the institution named in the path, or answer 404."""
    return crud.existing_institution(session=session, institution_id=institution_id)


InstitutionDep = Annotated[Institution, Depends(get_institution)]


def require_editor(caller: CallerDep) -> Caller:
    """Let through callers with a key; checked before the lookup, so 401 never becomes 404."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("changing an institution needs its key or an admin key")
    return caller


def get_editable_institution(
    caller: Annotated[Caller, Depends(require_editor)], row: InstitutionDep
) -> Institution:
    """Return the institution in the path if the caller may change it."""
    if not caller.may_edit(row.id):
        raise Forbidden(f"this key may not change institution {row.id}")
    return row


EditableInstitutionDep = Annotated[Institution, Depends(get_editable_institution)]


def get_workshop(
    session: SessionDep,
    workshop_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The workshop's id.")],
) -> Workshop:
    """Return the workshop named in the path, or answer 404."""
    row = session.get(Workshop, workshop_id)
    if row is None:
        raise NotFound("workshop", workshop_id)
    return row


WorkshopDep = Annotated[Workshop, Depends(get_workshop)]


def require_runner(caller: CallerDep) -> Caller:
    """Let through callers with a key; checked before the lookup, so 401 never becomes 404."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("running a workshop needs its organiser key or an admin key")
    return caller


def get_runnable_workshop(
    caller: Annotated[Caller, Depends(require_runner)], row: WorkshopDep
) -> Workshop:
    """Return the workshop in the path if the caller may run it (its organisers, admins)."""
    if not caller.may_run_workshop(row.id):
        raise Forbidden(f"this key may not run workshop {row.id}")
    return row


RunnableWorkshopDep = Annotated[Workshop, Depends(get_runnable_workshop)]


def get_pairing_run(
    session: SessionDep,
    workshop: RunnableWorkshopDep,
    number: Annotated[
        int, Path(ge=1, le=MAX_ID, description="The run's number within the workshop.")
    ],
) -> PairingRun:
    """Return the pairing run named in the path, of a workshop the caller may run."""
    assert workshop.id is not None
    return runs.get_run(session=session, workshop_id=workshop.id, number=number)


PairingRunDep = Annotated[PairingRun, Depends(get_pairing_run)]


def get_opportunity(
    session: SessionDep,
    opportunity_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The opportunity's id.")],
) -> Opportunity:
    """Return the opportunity named in the path, or answer 404."""
    return opportunities.get(session=session, opportunity_id=opportunity_id)


OpportunityDep = Annotated[Opportunity, Depends(get_opportunity)]


def get_owned_opportunity(
    caller: Annotated[Caller, Depends(require_key)], row: OpportunityDep
) -> Opportunity:
    """Return the opportunity in the path if the caller owns it (its institution, admins)."""
    if not caller.may_edit(row.institution_id):
        raise Forbidden(f"this key may not manage opportunity {row.id}")
    return row


OwnedOpportunityDep = Annotated[Opportunity, Depends(get_owned_opportunity)]

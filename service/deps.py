"""Dependencies shared by the routes: settings, session, index, institution lookup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlmodel import Session

from service import crud
from service.config import Settings
from service.errors import UnknownInstitution
from service.index import MatchIndex
from service.models import Institution


def get_settings(request: Request) -> Settings:
    """Return the settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session; routes commit their writes, anything uncommitted is rolled back."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_index(request: Request) -> MatchIndex:
    """Return the app's matching index."""
    index: MatchIndex = request.app.state.index
    return index


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
IndexDep = Annotated[MatchIndex, Depends(get_index)]


def get_institution(
    session: SessionDep,
    institution_id: Annotated[int, Path(ge=1, description="The institution's id.")],
) -> Institution:
    """Return the institution named in the path, or answer 404."""
    row = crud.get_institution(session=session, institution_id=institution_id)
    if row is None:
        raise UnknownInstitution(institution_id)
    return row


InstitutionDep = Annotated[Institution, Depends(get_institution)]

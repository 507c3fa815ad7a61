"""Rows written straight through the data layer, for tests below the API."""

from __future__ import annotations

from sqlalchemy import Engine

from service.db import session_scope
from service.institutions import crud
from service.institutions.models import InstitutionCreate


def stored_institutions(engine: Engine, *names: str) -> list[int]:
    """Store a Cambodian college under each name; return their ids in order."""
    items = [
        InstitutionCreate.model_validate({"name": name, "country": "KH", "kind": "college"})
        for name in names
    ]
    with session_scope(engine) as session:
        return [row.id for row in crud.create_institutions(session=session, items=items) if row.id]

"""Fill an embedded SQLite database with generated profiles, through the service's CRUD.

Profiles are converted to the API's JSON shape and validated as ``InstitutionCreate``
(the body of ``POST /api/v1/institutions/bulk``), then stored with
``service.institutions.crud.create_institutions`` in chunks of 10,000, the way a bulk request stores
them, without running a server. Declared partners are added afterwards, once every id
exists. Ids come out as 1..n, the generated ids, because the database starts empty.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from matching import Profile
from service.config import Settings
from service.db import make_engine, session_scope
from service.institutions import crud
from service.institutions.models import InstitutionCreate

__all__ = ["CHUNK", "build_database", "to_payload"]

CHUNK = 10_000


def to_payload(profile: Profile) -> dict[str, Any]:
    """Return the JSON body the API takes for this profile (without partners)."""
    return {
        "name": profile.name,
        "country": profile.country,
        "kind": profile.kind,
        "fields": list(profile.fields),
        "needs": list(profile.needs),
        "offers": list(profile.offers),
        "programs": list(profile.programs),
        "languages": list(profile.languages),
        "description": profile.description,
    }


def _create_schema(engine: Engine) -> None:
    """Create the tables the way the service does: migrations if it has them."""
    try:
        create: Callable[[Engine], None] = importlib.import_module(
            "service.migrations.runner"
        ).upgrade
    except ImportError:
        create = importlib.import_module("service.db").create_schema
    create(engine)


def build_database(
    profiles: Sequence[Profile], data_dir: Path, *, database_url: str | None = None
) -> Settings:
    """Store ``profiles`` in a new database (SQLite in ``data_dir`` unless ``database_url``
    names an empty one); return settings that open it."""
    settings = Settings(data_dir=data_dir, database_url=database_url, seed_on_empty=False)
    engine = make_engine(settings)
    try:
        _create_schema(engine)
        for start in range(0, len(profiles), CHUNK):
            chunk = profiles[start : start + CHUNK]
            items = [InstitutionCreate.model_validate(to_payload(p)) for p in chunk]
            with session_scope(engine) as session:
                rows = crud.create_institutions(session=session, items=items, bulk=True)
                stored = [row.id for row in rows]
            if stored != [p.id for p in chunk]:
                raise RuntimeError("the database was not empty: ids do not match the profiles")
        with session_scope(engine) as session:
            for profile in profiles:
                if profile.existing_partners and profile.id is not None:
                    crud.add_partners(
                        session=session,
                        institution_id=profile.id,
                        partner_ids=sorted(profile.existing_partners),
                    )
    finally:
        engine.dispose()
    return settings

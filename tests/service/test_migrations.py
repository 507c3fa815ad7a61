"""Migrations: they agree with the models, and upgrade and downgrade run on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, SQLModel

from service.config import Settings
from service.db import make_engine
from service.institutions import crud
from service.institutions.models import InstitutionCreate
from service.migrations import runner as migrate
from service.values.times import utc_now
from service.values.validation import Kind


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    yield engine
    engine.dispose()


def test_upgraded_schema_matches_the_models(engine: Engine) -> None:
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    assert not inspect(engine).has_table("institution")
    migrate.upgrade(engine)
    with Session(engine) as session:
        crud.create_institutions(
            session=session,
            items=[InstitutionCreate(name="After", country="KH", kind=Kind.college)],
        )
        session.commit()
        assert crud.count_institutions(session=session) == 1


def test_a_database_made_before_migrations_is_adopted(engine: Engine) -> None:
    # What create_all() made before migrations existed: the first revision's tables,
    # without Alembic's version table (today's models have columns added since).
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        # A row as the code of that time wrote it (no change log then).
        connection.execute(
            text(
                "INSERT INTO institution (name, name_key, country, kind, fields, needs, offers,"
                " programs, languages, description, search_text, fields_text, created_at,"
                " updated_at) VALUES ('Kept', 'kept', 'KH', 'college', '[]', '[]', '[]', '[]',"
                " '[]', '', 'kept', '', :now, :now)"
            ),
            {"now": utc_now()},
        )
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    with Session(engine) as session:
        assert crud.count_institutions(session=session) == 1

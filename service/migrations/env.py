"""Alembic environment: migrate the connection handed over by ``service.migrate``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# Imported for their effect: they register the tables on SQLModel.metadata.
import service.alert_models
import service.idempotency_models
import service.models
import service.opportunity_models
import service.webhook_models  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

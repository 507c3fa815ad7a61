"""Alembic environment: migrate the connection handed over by ``service.migrations.runner``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

# Imported for their effect: they register the tables on SQLModel.metadata.
import service.alerts.models
import service.auth.models
import service.calendars.models
import service.claims.models
import service.http.idempotency_models
import service.institutions.models
import service.mail.models
import service.meetings.models
import service.opportunities.models
import service.webhooks.models
import service.workshops.models  # noqa: F401

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

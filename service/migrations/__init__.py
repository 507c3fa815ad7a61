"""Alembic migrations of the tvet-match schema (run through ``service.migrations.runner``)."""

"""Add API keys.

Revision ID: 0002
Revises: 0001
Created: 2026-11-23 16:05:16.934059
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", AutoString(length=200), nullable=False),
        sa.Column("prefix", AutoString(length=16), nullable=False),
        sa.Column("secret_hash", AutoString(length=64), nullable=False),
        sa.Column("role", AutoString(length=20), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_key_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_api_key_secret_hash"), ["secret_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_secret_hash"))
        batch_op.drop_index(batch_op.f("ix_api_key_institution_id"))

    op.drop_table("api_key")

"""Add the change log that keeps several instances' indexes in step.

Revision ID: 0005
Revises: 0004
Created: 2026-11-23 16:27:50.678407
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "index_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("index_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_index_change_changed_at"), ["changed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_index_change_institution_id"), ["institution_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("index_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_index_change_institution_id"))
        batch_op.drop_index(batch_op.f("ix_index_change_changed_at"))

    op.drop_table("index_change")

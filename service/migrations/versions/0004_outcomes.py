"""Add workshop outcomes.

Revision ID: 0004
Revises: 0003
Created: 2026-11-23 16:12:15.855395
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("institution_a", sa.Integer(), nullable=False),
        sa.Column("institution_b", sa.Integer(), nullable=False),
        sa.Column("status", AutoString(length=20), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("note", AutoString(length=2000), nullable=False),
        sa.Column("run_number", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["institution_a"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["institution_b"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "workshop_id", "institution_a", "institution_b", name="uq_outcome_pair"
        ),
    )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_workshop_id"), ["workshop_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_workshop_id"))

    op.drop_table("outcome")

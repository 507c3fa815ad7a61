"""Create institutions and partnerships.

Revision ID: 0001
Revises: (none)
Created: 2026-11-23 16:00:26.675832
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "institution",
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("city", AutoString(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("programs", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("description", AutoString(), nullable=False),
        sa.Column("website", AutoString(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_key", AutoString(length=200), nullable=False),
        sa.Column("country", AutoString(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("contact_email", AutoString(length=320), nullable=True),
        sa.Column("search_text", AutoString(), nullable=False),
        sa.Column("fields_text", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key", "country", name="uq_institution_name"),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_name_key"), ["name_key"], unique=False)

    op.create_table(
        "partnership",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["partner_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("institution_id", "partner_id"),
    )


def downgrade() -> None:
    op.drop_table("partnership")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_name_key"))
        batch_op.drop_index(batch_op.f("ix_institution_kind"))
        batch_op.drop_index(batch_op.f("ix_institution_country"))

    op.drop_table("institution")

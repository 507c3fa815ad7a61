"""Keep survey answers apart, record which import created an institution, proposals, and
the survey headers each workshop's organisers matched to columns.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_answer",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("challenges", sa.JSON(), nullable=False),
        sa.Column("strategies", sa.JSON(), nullable=False),
        sa.Column("wishes", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workshop_id", "institution_id"),
    )
    op.create_table(
        "survey_column_map",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("header", AutoString(length=200), nullable=False),
        sa.Column("column", AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workshop_id", "header"),
    )
    op.create_table(
        "survey_origin",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("institution_id"),
    )
    with op.batch_alter_table("survey_origin", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_origin_workshop_id"), ["workshop_id"], unique=False
        )
    op.create_table(
        "profile_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("status", AutoString(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("profile_proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_proposal_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_profile_proposal_workshop_id"), ["workshop_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("profile_proposal")
    op.drop_table("survey_origin")
    op.drop_table("survey_column_map")
    op.drop_table("survey_answer")

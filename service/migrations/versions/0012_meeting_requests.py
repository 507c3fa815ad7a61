"""Add meeting requests between institutions, one-time email sign-in links, profile claims.

Revision ID: 0012
Revises: 0010
Created: 2026-12-06 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_institution_id", sa.Integer(), nullable=False),
        sa.Column("to_institution_id", sa.Integer(), nullable=False),
        sa.Column("message", AutoString(length=2000), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("proposed_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", AutoString(length=500), nullable=False),
        sa.Column("open_pair", AutoString(length=24), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["from_institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_request_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_request_from_institution_id"),
            ["from_institution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_request_open_pair"), ["open_pair"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_meeting_request_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meeting_request_to_institution_id"), ["to_institution_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_request_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "sign_in_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", AutoString(length=64), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sign_in_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_in_link_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sign_in_link_token_hash"), ["token_hash"], unique=True)

    op.create_table(
        "profile_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("email", AutoString(length=320), nullable=False),
        sa.Column("claimant", AutoString(length=200), nullable=False),
        sa.Column("note", AutoString(length=2000), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("token_hash", AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("profile_claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_claim_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_profile_claim_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_profile_claim_token_hash"), ["token_hash"], unique=True
        )


def downgrade() -> None:
    op.drop_table("profile_claim")
    op.drop_table("sign_in_link")
    op.drop_table("meeting_request")

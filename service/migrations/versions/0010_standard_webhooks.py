"""Webhooks: Standard Webhooks secrets that keep their key, and a circuit breaker.

Before, a delivery was signed with the secret's UTF-8 bytes as the HMAC key; a Standard
Webhooks secret is ``whsec_`` and the base64 of the key. Each stored secret becomes
``whsec_`` + base64(old secret), which stands for the same key, so a receiver that holds
the old secret can compute its standard form itself (docs/webhooks.md) and nothing is
re-issued.

Each webhook also counts its failed attempts in a row and may be parked until a time.

Revision ID: 0010
Revises: 0008
Created: 2026-12-06 10:30:00
"""

from __future__ import annotations

import base64
import binascii

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

_PREFIX = "whsec_"
_webhook = sa.table(
    "webhook", sa.column("id", sa.Integer()), sa.column("secret", sa.String(length=100))
)


def _is_standard(secret: str) -> bool:
    try:
        return secret.startswith(_PREFIX) and bool(
            base64.b64decode(secret[len(_PREFIX) :], validate=True)
        )
    except binascii.Error:
        return False


def _rewrite(convert: dict[str, str]) -> None:
    connection = op.get_bind()
    for row_id, secret in connection.execute(sa.select(_webhook.c.id, _webhook.c.secret)):
        if secret in convert:
            connection.execute(
                _webhook.update().where(_webhook.c.id == row_id).values(secret=convert[secret])
            )


def _secrets() -> list[str]:
    return list(op.get_bind().execute(sa.select(_webhook.c.secret)).scalars())


def upgrade() -> None:
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("parked_until", sa.DateTime(timezone=True), nullable=True))
    _rewrite(
        {
            old: _PREFIX + base64.b64encode(old.encode()).decode()
            for old in _secrets()
            if not _is_standard(old)
        }
    )


def downgrade() -> None:
    # Converted secrets go back. The old code keys with the whole string, so a secret
    # made after the upgrade has no old form; it is kept as it is (its receiver must
    # then verify with that string as the key).
    restored = {}
    for secret in _secrets():
        key = base64.b64decode(secret[len(_PREFIX) :]) if _is_standard(secret) else b""
        if key.startswith(_PREFIX.encode()):
            restored[secret] = key.decode()
    _rewrite(restored)
    with op.batch_alter_table("webhook", schema=None) as batch_op:
        batch_op.drop_column("parked_until")
        batch_op.drop_column("consecutive_failures")

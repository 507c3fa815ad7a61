"""Who is calling: API keys, the admin token, and what each may do.

Keys are random 256-bit secrets (``tvm_...``); only their SHA-256 is stored, which is
enough for secrets of that strength (no password stretching is needed). Three roles:

* ``admin``: the ``TVETMATCH_ADMIN_TOKEN`` (or a key with the admin role) may do anything;
* ``organiser``: keys an admin creates, scoped to workshops (``workshop:<id>``), for
  bulk imports and workshop work;
* ``institution``: the key returned once when an institution is created (or issued
  later) may change only that institution.

Anyone may read public profiles and suggestions unless ``TVETMATCH_READS_REQUIRE_KEY``
is set.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session, col, select

from service.auth.models import ApiKey
from service.config import Settings
from service.errors import NotAuthenticated
from service.values.times import utc_now
from service.webhooks.revocation import cancel_orphaned_deliveries

log = logging.getLogger(__name__)

KEY_PREFIX = "tvm_"
ADMIN_TOKEN_FILE = "admin-token"


class Role(StrEnum):
    """What a caller is."""

    anonymous = "anonymous"
    admin = "admin"
    organiser = "organiser"
    institution = "institution"


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated caller of one request."""

    role: Role
    institution_id: int | None = None
    key_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    def may_edit(self, institution_id: int | None) -> bool:
        """Whether this caller may change the institution with this id."""
        if self.role is Role.admin:
            return True
        return self.role is Role.institution and self.institution_id == institution_id

    def may_run_workshop(self, workshop_id: int | None) -> bool:
        """Whether this caller may run the workshop with this id (organisers: in scope)."""
        if self.role is Role.admin:
            return True
        return self.role is Role.organiser and f"workshop:{workshop_id}" in self.scopes


ANONYMOUS = Caller(role=Role.anonymous)
ADMIN = Caller(role=Role.admin)


def new_secret() -> str:
    """Return a new random key."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """Return the stored form of a key."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(
    session: Session,
    *,
    label: str,
    role: Role,
    institution_id: int | None = None,
    scopes: frozenset[str] = frozenset(),
) -> tuple[ApiKey, str]:
    """Create a key; return the stored row and the secret, which is never stored."""
    secret = new_secret()
    row = ApiKey(
        label=label,
        prefix=secret[: len(KEY_PREFIX) + 6],
        secret_hash=hash_secret(secret),
        role=str(role),
        institution_id=institution_id,
        scopes=sorted(scopes),
    )
    session.add(row)
    session.flush()
    return row, secret


def bearer_token(authorization: str) -> str | None:
    """Return the key an ``Authorization`` header carries, or None when it is malformed.

    The scheme is case-insensitive and spaces around the key do not count, so
    ``bearer K``, ``Bearer  K`` and ``BEARER K`` all carry ``K``; the rate limiter keys on
    the same value, so spelling the header differently buys no fresh budget.
    """
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def authenticate(session: Session, authorization: str | None, admin_token: str | None) -> Caller:
    """Return the caller named by an ``Authorization`` header (anonymous when absent).

    A header that is present but malformed, unknown or revoked is refused: a client that
    thinks it sends a key must learn that it does not work.
    """
    if authorization is None:
        return ANONYMOUS
    token = bearer_token(authorization)
    if token is None:
        raise NotAuthenticated("use 'Authorization: Bearer <key>'")
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return ADMIN
    row = session.exec(select(ApiKey).where(col(ApiKey.secret_hash) == hash_secret(token))).first()
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("this key is unknown or has been revoked")
    return Caller(
        role=Role(row.role),
        institution_id=row.institution_id,
        key_id=row.id,
        scopes=frozenset(row.scopes),
    )


class AdminTokenUnusable(RuntimeError):
    """The admin token file exists but holds no usable token."""


def load_admin_token(settings: Settings) -> str | None:
    """Return the admin token: from the environment, or on the embedded default from a
    file in the data directory, created with owner-only permissions on first start."""
    if settings.admin_token:
        return settings.admin_token.get_secret_value()
    if not settings.is_embedded:
        log.warning("TVETMATCH_ADMIN_TOKEN is not set: no admin access to this service")
        return None
    path = Path(settings.data_dir) / ADMIN_TOKEN_FILE
    if path.exists():
        # An admin token that cannot be read must stop the start, not switch the admin off.
        try:
            token = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise AdminTokenUnusable(f"cannot read the admin token file {path}: {error}") from None
        if not token:
            raise AdminTokenUnusable(
                f"the admin token file {path} is empty; put a token in it, or delete it "
                "to have a new one generated"
            )
        return token
    path.parent.mkdir(parents=True, exist_ok=True)
    token = new_secret()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(token + "\n")
    log.warning(
        "generated an admin token; it is in %s (readable by its owner only)", path.resolve()
    )
    return token


def list_keys(session: Session, *, institution_id: int | None = None) -> list[ApiKey]:
    """Return keys in id order, all of them or one institution's."""
    statement = select(ApiKey).order_by(col(ApiKey.id))
    if institution_id is not None:
        statement = statement.where(col(ApiKey.institution_id) == institution_id)
    return list(session.exec(statement))


def revoke_key(session: Session, row: ApiKey) -> None:
    """Make a key stop working (idempotent), and cancel deliveries it leaves ownerless."""
    if row.revoked_at is None:
        row.revoked_at = utc_now()
        session.add(row)
        session.flush()
        cancel_orphaned_deliveries(session, row)

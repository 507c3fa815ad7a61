"""One-time sign-in links sent by email, for institutions that lost (or never kept) a key.

The email that may sign an institution in is its ``contact_email``. A link carries a
random 256-bit token; only its SHA-256 is stored, it expires after ``LINK_MINUTES`` and
works once (marked used by a conditional update, so two clicks at once cannot both
succeed). Redeeming it issues a new key for the institution: the browser signs in with
it, and the institution can keep it for the API (lost-key recovery).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from service.auth.keys import Role, hash_secret, issue_key
from service.auth.models import SignInLink
from service.db import committed
from service.institutions.models import Institution
from service.values.times import utc_now

LINK_MINUTES = 15
KEY_LABEL = "issued by an email sign-in link"


def create_links(*, session: Session, email: str) -> list[tuple[Institution, str]]:
    """Make a link token for each institution whose contact email is ``email``.

    Returns each institution with its token (never stored), in the caller's transaction
    (``issue_links`` commits them; approving a claim makes them with the approval). An
    unknown address gets none, and the caller must not say so.
    """
    address = email.strip().casefold()
    if not address:
        return []
    statement = select(Institution).where(func.lower(col(Institution.contact_email)) == address)
    now = utc_now()
    made = []
    for row in session.exec(statement):
        assert row.id is not None
        token = secrets.token_urlsafe(32)
        session.add(
            SignInLink(
                token_hash=hash_secret(token),
                institution_id=row.id,
                created_at=now,
                expires_at=now + timedelta(minutes=LINK_MINUTES),
            )
        )
        made.append((row, token))
    session.flush()
    return made


def issue_links(*, session: Session, email: str) -> list[tuple[Institution, str]]:
    """Make and commit a sign-in link for each institution using ``email`` (see
    ``create_links``); the caller emails them."""
    with committed(session):
        return create_links(session=session, email=email)


def redeem(*, session: Session, token: str) -> tuple[int, str] | None:
    """Use a link once and commit: return its institution id and a new key for it, or
    ``None`` when the token is unknown, used or expired."""
    if not token or len(token) > 100:
        return None
    now = utc_now()
    digest = hash_secret(token)
    used = session.execute(
        update(SignInLink)
        .where(col(SignInLink.token_hash) == digest)
        .where(col(SignInLink.used_at).is_(None))
        .where(col(SignInLink.expires_at) > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        return None
    link = session.exec(select(SignInLink).where(col(SignInLink.token_hash) == digest)).one()
    _, secret = issue_key(
        session, label=KEY_LABEL, role=Role.institution, institution_id=link.institution_id
    )
    session.commit()
    return link.institution_id, secret

"""Signing webhook deliveries: HMAC-SHA256 over the timestamp and the body.

A delivery carries three headers (documented in docs/webhooks.md):

* ``Webhook-Id``: the event's id, the same on every retry, so a receiver can drop repeats;
* ``Webhook-Timestamp``: seconds since the Unix epoch when the attempt was signed;
* ``Webhook-Signature``: ``v1=`` and the hex HMAC-SHA256, keyed with the webhook's
  secret, of ``f"{timestamp}.{body}"``.

Signing the timestamp with the body lets a receiver refuse replays of old deliveries.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """Return a new random webhook secret (256 bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the ``Webhook-Signature`` value for a body sent at ``timestamp``."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signed_headers(secret: str, *, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Return the headers of one delivery attempt."""
    return {
        "Content-Type": "application/json",
        "Webhook-Id": event_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret, timestamp, body),
    }


def verify(
    secret: str,
    *,
    timestamp: str,
    signature_header: str,
    body: bytes,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether a delivery is signed with ``secret`` and was signed within ``tolerance`` s."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, int(timestamp), body)
    # Several space-separated signatures may be sent (e.g. while a secret is rotated).
    return any(hmac.compare_digest(expected, sent) for sent in signature_header.split())

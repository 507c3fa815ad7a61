"""Signing webhook deliveries in the Standard Webhooks format (https://www.standardwebhooks.com).

A delivery carries three headers (documented in docs/webhooks.md):

* ``webhook-id``: the event's id, the same on every retry, so a receiver can drop repeats;
* ``webhook-timestamp``: seconds since the Unix epoch when the attempt was signed;
* ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``f"{id}.{timestamp}.{body}"``,
  keyed with the webhook's secret: the bytes whose base64 follows ``whsec_``.

Signing the id and the timestamp with the body lets a receiver refuse replays of old
deliveries; following the standard lets it verify them with a maintained library.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300
_KEY_BYTES = 32


def new_secret() -> str:
    """Return a new random webhook secret: ``whsec_`` and the base64 of 256 random bits."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_KEY_BYTES)).decode()


def key_of(secret: str) -> bytes:
    """Return the HMAC key a ``whsec_`` secret stands for (raise ValueError if it is none)."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret starts with 'whsec_'")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error as error:
        raise ValueError("a webhook secret is 'whsec_' and base64") from error
    if not key:
        raise ValueError("a webhook secret may not be empty")
    return key


def signature(secret: str, *, event_id: str, timestamp: int, body: bytes) -> str:
    """Return the ``webhook-signature`` value for a body sent at ``timestamp``."""
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signed_headers(secret: str, *, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Return the headers of one delivery attempt."""
    return {
        "content-type": "application/json",
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, event_id=event_id, timestamp=timestamp, body=body),
    }


def verify(
    secret: str,
    *,
    event_id: str,
    timestamp: str,
    signature_header: str,
    body: bytes,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether a delivery is signed with ``secret`` and was signed within ``tolerance`` s."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, event_id=event_id, timestamp=int(timestamp), body=body)
    # Several space-separated signatures may be sent (e.g. while a secret is rotated).
    return any(hmac.compare_digest(expected, sent) for sent in signature_header.split())

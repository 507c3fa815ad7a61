"""Webhook signatures in the Standard Webhooks format, checked against independent computations."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from service.webhooks.signing import key_of, new_secret, signature, signed_headers, verify

KEY = b"0123456789abcdef0123456789abcdef"
SECRET = "whsec_" + base64.b64encode(KEY).decode()
BODY = b'{"type":"institution.created","data":{}}'


def test_the_signature_is_the_base64_hmac_of_id_dot_timestamp_dot_body() -> None:
    # Computed independently of the module, as a receiver would.
    digest = hmac.new(KEY, b"evt_7.1700000000." + BODY, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode()
    assert signature(SECRET, event_id="evt_7", timestamp=1700000000, body=BODY) == expected
    # The reference library computes the same.
    at = datetime.fromtimestamp(1700000000, tz=UTC)
    assert Webhook(SECRET).sign("evt_7", at, BODY) == expected


def test_headers_carry_id_timestamp_and_signature() -> None:
    headers = signed_headers(SECRET, event_id="evt_7", timestamp=1700000000, body=BODY)
    assert headers["webhook-id"] == "evt_7"
    assert headers["webhook-timestamp"] == "1700000000"
    assert headers["webhook-signature"] == signature(
        SECRET, event_id="evt_7", timestamp=1700000000, body=BODY
    )
    assert headers["content-type"] == "application/json"


def test_the_reference_library_verifies_fresh_headers_and_refuses_tampering() -> None:
    secret = new_secret()
    headers = signed_headers(secret, event_id="evt_9", timestamp=int(time.time()), body=BODY)
    assert Webhook(secret).verify(BODY, headers) == {"type": "institution.created", "data": {}}
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, {**headers, "webhook-id": "evt_10"})


def check(
    *,
    secret: str = SECRET,
    event_id: str = "evt_7",
    timestamp: str = "1700000000",
    header: str | None = None,
    body: bytes = BODY,
    now: float = 1700000010,
) -> bool:
    sent = header or signature(SECRET, event_id="evt_7", timestamp=1700000000, body=BODY)
    return verify(
        secret, event_id=event_id, timestamp=timestamp, signature_header=sent, body=body, now=now
    )


def test_verify_accepts_the_genuine_article_only() -> None:
    assert check()
    assert not check(secret=new_secret())
    assert not check(body=BODY + b" ")
    assert not check(timestamp="1700000001")
    assert not check(event_id="evt_8")
    assert not check(timestamp="soon")
    # Too old (or too far ahead): a replay of a captured delivery.
    assert not check(now=1700000000 + 301)
    assert check(now=1700000000 - 300)
    # One of several signatures may match (a secret being rotated).
    genuine = signature(SECRET, event_id="evt_7", timestamp=1700000000, body=BODY)
    assert check(header="v1,AAAA " + genuine)
    assert not check(header="v1,AAAA")


def test_secrets_are_random_long_and_standard() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(first) >= 6 + 43
    assert len(key_of(first)) == 32


@pytest.mark.parametrize("secret", ["whsec_", "whsec_not base64!", "sk_AAAA"])
def test_a_malformed_secret_is_refused(secret: str) -> None:
    with pytest.raises(ValueError, match="secret"):
        key_of(secret)

"""Webhook signatures: HMAC-SHA256 over timestamp and body, checked against a known value."""

from __future__ import annotations

import hashlib
import hmac

from service.webhooks.signing import new_secret, signature, signed_headers, verify

SECRET = "whsec_test"
BODY = b'{"type":"institution.created","data":{}}'


def test_the_signature_is_the_hmac_of_timestamp_dot_body() -> None:
    # Computed independently of the module, as a receiver would.
    expected = hmac.new(b"whsec_test", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, 1700000000, BODY) == f"v1={expected}"
    assert expected == hmac.new(SECRET.encode(), b"1700000000." + BODY, "sha256").hexdigest()


def test_headers_carry_id_timestamp_and_signature() -> None:
    headers = signed_headers(SECRET, event_id="evt_7", timestamp=1700000000, body=BODY)
    assert headers["Webhook-Id"] == "evt_7"
    assert headers["Webhook-Timestamp"] == "1700000000"
    assert headers["Webhook-Signature"] == signature(SECRET, 1700000000, BODY)
    assert headers["Content-Type"] == "application/json"


def check(
    *,
    secret: str = SECRET,
    timestamp: str = "1700000000",
    header: str | None = None,
    body: bytes = BODY,
    now: float = 1700000010,
) -> bool:
    sent = header if header is not None else signature(SECRET, 1700000000, BODY)
    return verify(secret, timestamp=timestamp, signature_header=sent, body=body, now=now)


def test_verify_accepts_the_genuine_article_only() -> None:
    assert check()
    assert not check(secret="whsec_other")
    assert not check(body=BODY + b" ")
    assert not check(timestamp="1700000001")
    assert not check(timestamp="soon")
    # Too old (or too far ahead): a replay of a captured delivery.
    assert not check(now=1700000000 + 301)
    assert check(now=1700000000 - 300)
    # One of several signatures may match (a secret being rotated).
    assert check(header="v1=00ff " + signature(SECRET, 1700000000, BODY))
    assert not check(header="v1=00ff")


def test_secrets_are_random_and_long() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(first) >= 6 + 43

"""Secrets stored before the Standard Webhooks format keep signing with the same key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from standardwebhooks import Webhook

from service.config import Settings
from service.db import make_engine
from service.migrations import runner as migrate
from service.webhooks.signing import key_of, new_secret, signed_headers

OLD = "whsec_Zx3-old_style_token_urlsafe_secret_0123456"  # token_urlsafe(32) form


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    yield engine
    engine.dispose()


def _insert(engine: Engine, secret: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO webhook (owner, owner_role, url, events, description, secret,"
                " created_at) VALUES ('admin', 'admin', 'https://example.org/', '[]', '',"
                " :secret, CURRENT_TIMESTAMP)"
            ),
            {"secret": secret},
        )


def _secrets(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT secret FROM webhook ORDER BY id")).scalars())


def test_an_old_secret_becomes_the_standard_form_of_the_same_key(engine: Engine) -> None:
    migrate.upgrade(engine, "0007")
    _insert(engine, OLD)
    migrate.upgrade(engine)
    (converted,) = _secrets(engine)
    # What docs/webhooks.md tells a receiver holding the old secret to compute.
    assert converted == "whsec_" + base64.b64encode(OLD.encode()).decode()
    assert key_of(converted) == OLD.encode()  # the key the old signatures used
    body = b'{"id":"evt_1"}'
    headers = signed_headers(converted, event_id="evt_1", timestamp=1700000000, body=body)
    digest = hmac.new(OLD.encode(), b"evt_1.1700000000." + body, hashlib.sha256).digest()
    assert headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()
    fresh = signed_headers(converted, event_id="evt_1", timestamp=int(time.time()), body=body)
    assert Webhook(converted).verify(body, fresh, json_parse=False) is None


def test_downgrade_restores_the_old_secret_and_keeps_new_ones(engine: Engine) -> None:
    migrate.upgrade(engine, "0007")
    _insert(engine, OLD)
    migrate.upgrade(engine, "0010")
    new = new_secret()
    _insert(engine, new)
    migrate.downgrade(engine, "0007")
    assert _secrets(engine) == [OLD, new]

"""Kill -9 a real server while a delivery keeps failing; the next server sends it.

Both servers are forked from the test process's fork server (the service imported once).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN, fresh_postgres_database
from tests.support.forked import Forker
from tests.support.receiver import running_receiver
from tests.support.server import server_env, start_server

pytestmark = pytest.mark.http


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    database_url = None
    if request.param == "postgres":
        database_url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    env = server_env(data_dir=tmp_path / "data", database_url=database_url)
    env.update(
        TVETMATCH_SEED_ON_EMPTY="false",
        TVETMATCH_WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        TVETMATCH_WEBHOOK_POLL_SECONDS="0.05",
        TVETMATCH_WEBHOOK_BACKOFF_SECONDS="0.2",
        TVETMATCH_WEBHOOK_MAX_ATTEMPTS="100",
        TVETMATCH_WEBHOOK_TIMEOUT_SECONDS="1",
    )
    return env


def _deliveries(url: str, webhook_id: int) -> Any:
    response = httpx.get(f"{url}/api/v1/webhooks/{webhook_id}/deliveries", headers=ADMIN)
    response.raise_for_status()
    return response.json()["items"]


def test_a_failing_delivery_survives_kill_9_and_is_sent_after_restart(
    env: dict[str, str], tmp_path: Path, forker: Forker
) -> None:
    log = tmp_path / "server.log"
    with running_receiver() as receiver:
        receiver.answer_only(500)
        server = start_server(env, log, forker=forker)
        try:
            webhook = {"url": receiver.url, "events": ["institution.created"]}
            hook = httpx.post(f"{server.url}/api/v1/webhooks", json=webhook, headers=ADMIN)
            assert hook.status_code == 201, hook.text
            body = {"name": "Survivor College", "country": "VN", "kind": "college"}
            assert httpx.post(f"{server.url}/api/v1/institutions", json=body).status_code == 201
            receiver.wait_for(lambda r: len(r) >= 2)  # failed, retried, failing still
        finally:
            server.kill()
        failed = len(receiver.received)
        receiver.answer_only(200)
        server = start_server(env, log, forker=forker)
        try:
            got = receiver.wait_for(lambda r: r[-1].answered == 200, timeout=30)
            assert {r.headers["Webhook-Id"] for r in got} == {"evt_1"}
            assert got[-1].json["data"]["institution"]["name"] == "Survivor College"
            deadline = time.monotonic() + 15
            while (items := _deliveries(server.url, hook.json()["id"]))[0]["status"] != "delivered":
                assert time.monotonic() < deadline, items
                time.sleep(0.05)
            (delivery,) = items
            codes = [attempt["status_code"] for attempt in delivery["attempt_log"]]
            assert codes[-1] == 200
            assert codes.count(500) >= failed - 1  # an attempt cut by the kill may be unrecorded
            assert len(got) == len(receiver.received)
        finally:
            server.stop()

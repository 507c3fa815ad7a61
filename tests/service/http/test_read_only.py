"""A database that refuses writes: 503 with Retry-After (never 500), and not ready."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from tests.conftest import ADMIN

API = "/api/v1"


def make_read_only(client: TestClient, database_url: str) -> None:
    """Make the database refuse writes from the app's next connections on."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    if engine.dialect.name == "sqlite":

        def query_only(connection: Any, _record: Any) -> None:
            connection.execute("PRAGMA query_only=ON")

        event.listen(engine, "connect", query_only)
    else:
        import psycopg

        url = make_url(database_url)
        admin = url.set(drivername="postgresql", database="postgres")
        conninfo = admin.render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(
                f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'
            )
    engine.dispose()


@pytest.fixture
def read_only(client: TestClient, database_url: str) -> TestClient:
    assert client.get("/readyz").status_code == 200
    make_read_only(client, database_url)
    return client


def assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1


def test_an_idempotent_post_gets_503(read_only: TestClient) -> None:
    body = {"name": "Later", "country": "KH", "kind": "college"}
    headers = {**ADMIN, "Idempotency-Key": "read-only-1"}
    assert_unavailable(read_only.post(f"{API}/institutions", json=body, headers=headers))


def test_a_plain_post_gets_503(read_only: TestClient) -> None:
    body = {"name": "Later", "country": "KH", "kind": "college"}
    assert_unavailable(read_only.post(f"{API}/institutions", json=body, headers=ADMIN))


def test_reads_still_work_and_the_service_is_not_ready(read_only: TestClient) -> None:
    assert read_only.get(f"{API}/institutions").status_code == 200
    answer = read_only.get("/readyz")
    assert answer.status_code == 503
    assert "writes" in answer.json()["detail"]
    assert read_only.get("/livez").status_code == 200

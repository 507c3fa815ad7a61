"""Idempotency-Key on POST: a retry gets the first answer and nothing is created twice."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import sqlmodel
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlmodel import Session

from service.config import Settings
from service.errors import TvetMatchError
from service.http import idempotency_store as idempotency
from service.http.idempotency_models import IdempotencyRecord
from service.http.idempotency_store import Claim, RequestKey
from service.http.ratelimit import caller_key
from service.values.times import utc_now
from service.workshops.models import Workshop
from tests.conftest import ADMIN, ClientFactory

API = "/api/v1"
TTL = timedelta(hours=24)
WORKSHOP = {
    "name": "Idempotent workshop",
    "starts_on": "2026-05-12",
    "ends_on": "2026-05-13",
    "time_zone": "Asia/Phnom_Penh",
}


def profile(name: str = "Kampot Demo Institute") -> dict[str, Any]:
    return {"name": name, "country": "KH", "kind": "college", "needs": ["CNC"]}


def keyed(key: str, headers: dict[str, str] | None = None) -> dict[str, str]:
    return {**(headers or {}), "Idempotency-Key": key}


def total(client: TestClient) -> int:
    count: int = client.get(f"{API}/institutions").json()["total"]
    return count


def engine_of(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


def records(client: TestClient) -> list[Any]:
    with engine_of(client).connect() as connection:
        return list(connection.execute(select(IdempotencyRecord)))


def admin_request(path: str, body: bytes, key: str) -> RequestKey:
    """The store's view of a POST the admin sends as JSON through the test client."""
    return RequestKey(
        scope=caller_key({"client": None}, ADMIN["Authorization"]),
        key=key,
        method="POST",
        target=f"{API}{path}",
        fingerprint=idempotency.fingerprint("POST", f"{API}{path}", "application/json", body),
    )


def json_bytes(body: dict[str, Any]) -> bytes:
    # What httpx sends for json=body.
    import json

    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def test_a_repeated_post_returns_the_first_answer_and_creates_nothing_twice(
    client: TestClient,
) -> None:
    key = str(uuid.uuid4())
    first = client.post(f"{API}/institutions", json=profile(), headers=keyed(key))
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    again = client.post(f"{API}/institutions", json=profile(), headers=keyed(key))
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()  # the same id and the same one-time api_key
    assert again.headers["content-type"] == first.headers["content-type"]
    assert total(client) == 1
    keys = client.get(f"{API}/keys", headers=ADMIN).json()
    assert keys["total"] == 1


def test_without_a_key_a_repeated_post_is_a_new_request(client: TestClient) -> None:
    assert client.post(f"{API}/institutions", json=profile()).status_code == 201
    assert client.post(f"{API}/institutions", json=profile()).status_code == 409


def test_the_stored_answer_does_not_hold_the_api_key_in_clear(client: TestClient) -> None:
    key = str(uuid.uuid4())
    created = client.post(f"{API}/institutions", json=profile(), headers=keyed(key)).json()
    (record,) = records(client)
    assert record.status_code == 201
    assert created["api_key"].encode() not in record.body
    assert key not in record.key_hash
    assert record.effects_committed is True


@pytest.mark.parametrize(
    ("path", "body"),
    [("/institutions", profile("Another College")), ("/matches", {"profile": profile()})],
    ids=["other-body", "other-path"],
)
def test_the_same_key_for_another_request_is_refused(
    client: TestClient, path: str, body: dict[str, Any]
) -> None:
    key = str(uuid.uuid4())
    assert client.post(f"{API}/institutions", json=profile(), headers=keyed(key)).status_code == 201
    refused = client.post(f"{API}{path}", json=body, headers=keyed(key))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    (error,) = refused.json()["errors"]
    assert error["loc"] == ["header", "Idempotency-Key"]
    assert "POST /api/v1/institutions" in error["msg"]
    assert total(client) == 1


def test_keys_are_scoped_to_the_caller(client: TestClient) -> None:
    key = "shared-by-accident"
    anonymous = client.post(f"{API}/institutions", json=profile("A"), headers=keyed(key))
    admin = client.post(f"{API}/institutions", json=profile("B"), headers=keyed(key, ADMIN))
    assert (anonymous.status_code, admin.status_code) == (201, 201)
    assert anonymous.json()["id"] != admin.json()["id"]


def test_a_refused_request_is_answered_the_same_when_retried(client: TestClient) -> None:
    key = str(uuid.uuid4())
    bad = {**profile(), "country": "XX"}
    first = client.post(f"{API}/institutions", json=bad, headers=keyed(key))
    again = client.post(f"{API}/institutions", json=bad, headers=keyed(key))
    assert first.status_code == again.status_code == 422
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


def test_an_unauthenticated_post_is_not_kept_so_a_retry_runs_again(client: TestClient) -> None:
    key = str(uuid.uuid4())
    refused = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed(key))
    assert refused.status_code == 401
    assert records(client) == []
    retried = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed(key))
    assert retried.status_code == 401
    assert "idempotent-replayed" not in retried.headers


@pytest.mark.parametrize(
    ("value", "why"),
    [("", "visible ASCII"), ("a" * 256, "visible ASCII"), ("tab\there", "visible ASCII")],
    ids=["empty", "too-long", "control-character"],
)
def test_a_malformed_key_is_refused_and_nothing_happens(
    client: TestClient, value: str, why: str
) -> None:
    response = client.post(f"{API}/institutions", json=profile(), headers=keyed(value))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["loc"] == ["header", "Idempotency-Key"]
    assert why in error["msg"]
    assert total(client) == 0


def test_a_malformed_key_is_refused_after_the_callers_key(client: TestClient) -> None:
    anonymous = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed(""))
    assert anonymous.status_code == 401
    admin = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed("", ADMIN))
    assert admin.status_code == 422
    assert client.get(f"{API}/workshops").json() == []


def test_several_keys_are_refused(client: TestClient) -> None:
    headers = [("Idempotency-Key", "a"), ("Idempotency-Key", "b")]
    response = client.post(f"{API}/institutions", json=profile(), headers=headers)
    assert response.status_code == 422
    assert "not several" in response.json()["detail"]
    assert total(client) == 0


def test_a_quoted_key_is_the_same_key(client: TestClient) -> None:
    first = client.post(f"{API}/institutions", json=profile(), headers=keyed('"abc-123"'))
    again = client.post(f"{API}/institutions", json=profile(), headers=keyed("abc-123"))
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


def test_a_request_still_in_flight_gets_409_with_retry_after(client: TestClient) -> None:
    body = json_bytes(WORKSHOP)
    held = idempotency.claim(engine_of(client), admin_request("/workshops", body, "k1"), ttl=TTL)
    assert isinstance(held, Claim)
    response = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed("k1", ADMIN))
    assert response.status_code == 409
    assert response.headers["retry-after"] == "1"
    assert "still being processed" in response.json()["detail"]
    assert client.get(f"{API}/workshops").json() == []


def _age_claim(client: TestClient, **values: Any) -> None:
    with engine_of(client).begin() as connection:
        connection.execute(update(IdempotencyRecord).values(**values))


def test_a_claim_whose_request_died_before_writing_is_taken_over(client: TestClient) -> None:
    body = json_bytes(WORKSHOP)
    held = idempotency.claim(engine_of(client), admin_request("/workshops", body, "k2"), ttl=TTL)
    assert isinstance(held, Claim)
    _age_claim(client, claimed_at=utc_now() - idempotency.IN_FLIGHT_LEASE * 2)
    response = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed("k2", ADMIN))
    assert response.status_code == 201
    assert len(client.get(f"{API}/workshops").json()) == 1


def test_a_request_carried_out_whose_answer_was_lost_is_not_run_again(
    client: TestClient,
) -> None:
    body = json_bytes(WORKSHOP)
    held = idempotency.claim(engine_of(client), admin_request("/workshops", body, "k3"), ttl=TTL)
    assert isinstance(held, Claim)
    # As if the process died after committing the request's writes, before keeping the answer.
    _age_claim(client, effects_committed=True, claimed_at=utc_now() - timedelta(hours=1))
    response = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed("k3", ADMIN))
    assert response.status_code == 409
    assert "carried out" in response.json()["detail"]
    assert client.get(f"{API}/workshops").json() == []


def test_an_expired_key_is_a_new_request(client: TestClient) -> None:
    first = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed("k4", ADMIN))
    assert first.status_code == 201
    _age_claim(client, expires_at=utc_now() - timedelta(seconds=1))
    again = client.post(f"{API}/workshops", json=WORKSHOP, headers=keyed("k4", ADMIN))
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert again.json()["id"] != first.json()["id"]
    assert idempotency.purge_expired(engine_of(client)) == 0  # the old claim was replaced


def test_the_first_of_two_racing_claimants_to_commit_wins(client: TestClient) -> None:
    """A request taken over while it ran cannot commit: never both of them."""
    engine = engine_of(client)
    request = admin_request("/workshops", json_bytes(WORKSHOP), "k5")
    slow = idempotency.claim(engine, request, ttl=TTL)
    assert isinstance(slow, Claim)
    _age_claim(client, claimed_at=utc_now() - idempotency.IN_FLIGHT_LEASE * 2)
    retry = idempotency.claim(engine, request, ttl=TTL)
    assert isinstance(retry, Claim)
    token = idempotency.current_claim.set(slow)
    try:
        with Session(engine) as session:
            session.add(Workshop.model_validate(WORKSHOP))
            with pytest.raises(TvetMatchError, match="took this request over"):
                session.commit()
    finally:
        idempotency.current_claim.reset(token)
    with Session(engine) as session:
        assert session.exec(sqlmodel.select(Workshop)).all() == []


def test_concurrent_retries_create_one_institution(client: TestClient) -> None:
    key = str(uuid.uuid4())

    def send(_: int) -> tuple[int, Any]:
        response = client.post(f"{API}/institutions", json=profile(), headers=keyed(key))
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))
    created = [body for status, body in answers if status == 201]
    assert {status for status, _ in answers} <= {201, 409}
    assert created
    assert all(body == created[0] for body in created)
    assert total(client) == 1


def test_a_retry_through_another_instance_gets_the_first_answer(
    make_client: ClientFactory, settings: Settings
) -> None:
    first, second = make_client(settings), make_client(settings)
    key = str(uuid.uuid4())
    created = first.post(f"{API}/institutions", json=profile(), headers=keyed(key))
    replayed = second.post(f"{API}/institutions", json=profile(), headers=keyed(key))
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json() == created.json()
    assert total(second) == 1


def test_a_read_by_post_is_kept_without_marking_writes(client: TestClient) -> None:
    body = {"profile": profile(), "limit": 3}
    first = client.post(f"{API}/matches", json=body, headers=keyed("read"))
    assert first.status_code == 200
    (record,) = records(client)
    assert record.effects_committed is False
    assert record.status_code == 200


def test_a_keyed_body_over_the_limit_gets_413_and_claims_nothing(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"max_body_bytes": 100}))

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "' + b"x" * 80
        yield b'", "country": "KH", "kind": "college"}'

    response = client.post(
        f"{API}/institutions",
        content=chunks(),
        headers={"content-type": "application/json", "Idempotency-Key": "big"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert records(client) == []


def test_every_post_operation_documents_the_header(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    posts = {path: item["post"] for path, item in paths.items() if "post" in item}
    assert f"{API}/institutions" in posts
    for path, operation in posts.items():
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert "Idempotency-Key" in names, path

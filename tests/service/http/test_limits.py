"""Limits: request rate per key or address (429 with Retry-After) and request body size (413)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from limits.errors import ConfigurationError
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from service.config import Settings
from service.http.ratelimit import RateLimitMiddleware, RateLimits, caller_key
from service.main import create_app
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"


def profile(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "country": "KH", "kind": "college", "needs": ["CNC"], **extra}


def assert_too_many(response: Any) -> int:
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 429
    wait = int(response.headers["Retry-After"])
    assert 1 <= wait <= 60
    return wait


@pytest.fixture
def limited(make_client: ClientFactory, settings: Settings) -> TestClient:
    """An app allowing 3 requests a minute per key or address, writes included."""
    return make_client(settings.model_copy(update={"rate_limit": "3/minute"}))


# -- rate limits -------------------------------------------------------------------------


def test_the_fourth_request_in_a_minute_gets_429_with_retry_after(limited: TestClient) -> None:
    for _ in range(3):
        assert limited.get(f"{API}/institutions").status_code == 200
    refused = limited.get(f"{API}/institutions", headers={"X-Request-ID": "over"})
    assert_too_many(refused)
    assert refused.headers["X-Request-ID"] == "over"
    assert "address" in refused.json()["detail"]


def test_retry_after_is_long_enough(make_client: ClientFactory, settings: Settings) -> None:
    client = make_client(settings.model_copy(update={"rate_limit": "3/second"}))
    for _ in range(3):
        assert client.get("/api/v1/taxonomy").status_code == 200
    wait = assert_too_many(client.get("/api/v1/taxonomy"))
    time.sleep(wait)
    assert client.get("/api/v1/taxonomy").status_code == 200


def test_a_429_carries_cors_headers(make_client: ClientFactory, settings: Settings) -> None:
    origin = {"Origin": "https://tvet.example"}
    client = make_client(
        settings.model_copy(update={"rate_limit": "1/minute", "cors_origins": [origin["Origin"]]})
    )
    assert client.get(f"{API}/institutions", headers=origin).status_code == 200
    refused = client.get(f"{API}/institutions", headers=origin)
    assert_too_many(refused)
    assert refused.headers["access-control-allow-origin"] == origin["Origin"]


def test_each_key_and_the_anonymous_address_have_their_own_budget(limited: TestClient) -> None:
    # The admin token is not limited, so it can set up the keys.
    first = limited.post(f"{API}/institutions", json=profile("First"), headers=ADMIN).json()
    second = limited.post(f"{API}/institutions", json=profile("Second"), headers=ADMIN).json()
    for _ in range(3):
        limited.get(f"{API}/institutions", headers=bearer(first["api_key"]))
    refused = limited.get(f"{API}/institutions", headers=bearer(first["api_key"]))
    assert_too_many(refused)
    assert "key" in refused.json()["detail"]
    assert limited.get(f"{API}/institutions", headers=bearer(second["api_key"])).status_code == 200
    assert limited.get(f"{API}/institutions").status_code == 200


def test_writes_have_a_stricter_budget_of_their_own(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(
        settings.model_copy(update={"rate_limit": "10/minute", "rate_limit_writes": "2/minute"})
    )
    assert client.post(f"{API}/institutions", json=profile("One")).status_code == 201
    assert client.post(f"{API}/institutions", json=profile("Two")).status_code == 201
    assert_too_many(client.post(f"{API}/institutions", json=profile("Three")))
    assert client.get(f"{API}/institutions").json()["total"] == 2


def test_probes_and_metrics_are_not_limited(limited: TestClient) -> None:
    for _ in range(5):
        for path in ("/livez", "/readyz", "/healthz", "/metrics"):
            assert limited.get(path).status_code == 200


def test_the_admin_token_is_not_limited(limited: TestClient) -> None:
    for _ in range(5):
        assert limited.get(f"{API}/keys", headers=ADMIN).status_code == 200


def test_an_empty_limit_turns_limiting_off(make_client: ClientFactory, settings: Settings) -> None:
    client = make_client(settings.model_copy(update={"rate_limit": "", "rate_limit_writes": ""}))
    for _ in range(150):
        assert client.get(f"{API}/institutions").status_code == 200


@pytest.mark.parametrize("setting", ["TVETMATCH_RATE_LIMIT", "TVETMATCH_RATE_LIMIT_WRITES"])
def test_a_rate_limit_that_cannot_be_read_is_refused(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv(setting, "lots per minute")
    with pytest.raises(ValidationError, match="lots per minute"):
        Settings()


def test_an_unknown_storage_is_refused_when_the_app_is_built(settings: Settings) -> None:
    with pytest.raises(ConfigurationError, match="nonesuch"):
        create_app(settings.model_copy(update={"rate_limit_storage": "nonesuch://here"}))


def test_defaults() -> None:
    defaults = Settings()
    assert defaults.rate_limit == "120/minute"
    assert defaults.rate_limit_writes == "30/minute"
    assert defaults.rate_limit_storage == "memory://"
    assert defaults.max_body_bytes == 64 * 1024 * 1024


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        (("203.0.113.9", 5000), "ip:203.0.113.9"),
        (("2001:db8:1:2:aaaa::1", 5000), "ip:2001:db8:1:2::/64"),
        (("2001:db8:1:2:bbbb::7", 5000), "ip:2001:db8:1:2::/64"),
        (None, "ip:unknown"),
    ],
)
def test_anonymous_callers_are_counted_by_address(
    client: tuple[str, int] | None, expected: str
) -> None:
    assert caller_key({"client": client}, None) == expected


def test_keyed_callers_are_counted_by_a_hash_of_the_key() -> None:
    key = caller_key({"client": ("203.0.113.9", 1)}, "Bearer tvm_secret")
    assert key.startswith("key:")
    assert "tvm_secret" not in key
    assert key == caller_key({"client": ("198.51.100.1", 2)}, "Bearer tvm_secret")


@pytest.fixture
def failing_limits() -> Iterator[TestClient]:
    limits = RateLimits(every="1/minute", writes="", storage="memory://")

    def broken(*_args: Any, **_kwargs: Any) -> bool:
        raise ConnectionError("storage is down")

    limits.limiter.hit = broken  # type: ignore[method-assign]
    limits.blocking = True  # as with a network storage: counted on a worker thread

    async def hello(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("hello")

    app = Starlette(routes=[Route("/", hello)])
    app.add_middleware(RateLimitMiddleware, limits=limits, exempt=frozenset())
    with TestClient(app) as client:
        yield client


def test_a_failing_storage_lets_requests_through(failing_limits: TestClient) -> None:
    for _ in range(3):
        assert failing_limits.get("/").text == "hello"


# -- body size ---------------------------------------------------------------------------


@pytest.fixture
def small_bodies(make_client: ClientFactory, settings: Settings) -> TestClient:
    return make_client(settings.model_copy(update={"max_body_bytes": 1000}))


def test_a_body_declared_too_large_gets_413_problem(small_bodies: TestClient) -> None:
    body = profile("Big", description="x" * 2000)
    response = small_bodies.post(f"{API}/institutions", json=body, headers={"X-Request-ID": "big"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 413
    assert response.headers["X-Request-ID"] == "big"
    assert small_bodies.get(f"{API}/institutions").json()["total"] == 0


def test_a_streamed_body_too_large_gets_413_problem(small_bodies: TestClient) -> None:
    encoded = json.dumps(profile("Big", description="x" * 2000)).encode()

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(encoded), 256):
            yield encoded[start : start + 256]

    response = small_bodies.post(
        f"{API}/institutions", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert small_bodies.get(f"{API}/institutions").json()["total"] == 0


def test_a_body_within_the_limit_is_accepted(small_bodies: TestClient) -> None:
    body = profile("Small", description="x" * 500)
    assert len(json.dumps(body)) < 1000
    assert small_bodies.post(f"{API}/institutions", json=body).status_code == 201


def test_the_default_limit_fits_a_bulk_of_20000_full_profiles() -> None:
    full = profile(
        "Guangxi Vocational College of Mechanical and Electrical Technology, Nanning",
        city="Nanning",
        fields=["CNC machining", "industrial robotics", "new energy vehicles"],
        needs=["Cambodian partner for student internships in CNC and robotics"] * 3,
        offers=["teacher training in AI and mobile robotics, in Chinese and English"] * 3,
        programs=["joint training", "teacher exchange", "skills competition"],
        languages=["zh", "en"],
        description="A public vocational college training technicians for ASEAN. " * 10,
        website="https://college.example.cn",
        contact_email="partnerships@college.example.cn",
    )
    size = len(json.dumps(full, ensure_ascii=False).encode())
    assert size * 20_000 < Settings().max_body_bytes


# -- body size per route -----------------------------------------------------------------

TWO_MIB_PROFILE = json.dumps(profile("Big", description="x" * (2 * 1024 * 1024))).encode()


def test_an_ordinary_route_refuses_a_2_mib_body_with_413(client: TestClient) -> None:
    declared = client.post(
        f"{API}/institutions",
        content=TWO_MIB_PROFILE,
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"
    assert str(1024 * 1024) in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(TWO_MIB_PROFILE), 64 * 1024):
            yield TWO_MIB_PROFILE[start : start + 64 * 1024]

    for extra in ({}, {"Idempotency-Key": "big-1"}):
        streamed = client.post(
            f"{API}/institutions",
            content=chunks(),
            headers={**ADMIN, **extra, "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413, (extra, streamed.text[:300])
        assert streamed.headers["content-type"] == "application/problem+json"
    assert client.get(f"{API}/institutions").json()["total"] == 0


def test_uploads_take_more_than_the_ordinary_limit(client: TestClient) -> None:
    many = [
        profile(f"College {n}", description="A vocational college in Kampot. " * 40)
        for n in range(1000)
    ]
    body = json.dumps(many).encode()
    assert len(body) > 1024 * 1024
    response = client.post(
        f"{API}/institutions/bulk",
        content=body,
        headers={**ADMIN, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text[:300]
    assert client.get(f"{API}/institutions").json()["total"] == 1000


def test_the_ordinary_limit_is_configured_apart() -> None:
    assert Settings().max_request_body_bytes == 1024 * 1024
    assert Settings(max_body_bytes=1000).request_body_limit == 1000

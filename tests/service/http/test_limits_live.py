"""Rate-limit keys over a real socket: how a key is spelled and forwarded addresses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN
from tests.support.forked import Forker
from tests.support.server import Server, running_server, server_env

API = "/api/v1"


def limited_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = server_env(data_dir=tmp_path / "data", database_url=None)
    env.update(
        TVETMATCH_SEED_ON_EMPTY="false",
        TVETMATCH_RATE_LIMIT="3/minute",
        TVETMATCH_RATE_LIMIT_WRITES="",
        **extra,
    )
    return env


@pytest.fixture
def server(tmp_path: Path, forker: Forker) -> Iterator[Server]:
    log = tmp_path / "server.log"
    with running_server(limited_env(tmp_path), log, forker=forker) as running:
        yield running


def test_spellings_of_one_key_share_one_budget(server: Server) -> None:
    created = httpx.post(
        f"{server.url}{API}/institutions",
        json={"name": "Spelled", "country": "KH", "kind": "college"},
        headers=ADMIN,
    )
    assert created.status_code == 201, created.text
    key = created.json()["api_key"]
    spellings = [f"bearer {key}", f"Bearer  {key}", f"BEARER {key}", f"bEaReR {key}"]
    answers = [
        httpx.get(f"{server.url}{API}/institutions", headers={"Authorization": spelling})
        for spelling in spellings
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "key" in answers[-1].json()["detail"]


def test_malformed_headers_are_counted_against_the_address(server: Server) -> None:
    statuses = [
        httpx.get(
            f"{server.url}{API}/institutions", headers={"Authorization": f"Basic nonsense{n}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    assert httpx.get(f"{server.url}{API}/institutions").status_code == 429


def test_forwarded_addresses_from_an_untrusted_peer_are_ignored(server: Server) -> None:
    statuses = [
        httpx.get(
            f"{server.url}{API}/institutions", headers={"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_forwarded_addresses_from_a_trusted_proxy_are_counted_apart(
    tmp_path: Path, forker: Forker
) -> None:
    env = limited_env(tmp_path, TVETMATCH_TRUSTED_PROXIES="127.0.0.1")
    with running_server(env, tmp_path / "server.log", forker=forker) as server:
        for n in range(4):
            forwarded = {"X-Forwarded-For": f"203.0.113.{n}"}
            answer = httpx.get(f"{server.url}{API}/institutions", headers=forwarded)
            assert answer.status_code == 200
        same = {"X-Forwarded-For": "203.0.113.0"}
        statuses = [
            httpx.get(f"{server.url}{API}/institutions", headers=same).status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 429]

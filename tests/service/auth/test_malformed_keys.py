"""A malformed ``Authorization`` header is refused (401) on every read, open ones too."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.config import Settings
from service.main import create_app
from tests.conftest import ADMIN, ADMIN_TOKEN, migrated_database

API = "/api/v1"
MALFORMED = ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token tvm_x", "tvm_x"]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """An app holding one of each thing a GET can name, each with id 1.

    One per database for the module: the tests only read, and a refused read changes
    nothing. Rate limits are off, as the module sends every read once per malformed key
    from one address (the limits have tests of their own).
    """
    folder = tmp_path_factory.mktemp("malformed-keys")
    settings = Settings(
        data_dir=folder,
        database_url=migrated_database(request, request.param, folder),
        seed_on_empty=False,
        admin_token=SecretStr(ADMIN_TOKEN),
        rate_limit="",
        rate_limit_writes="",
    )
    with TestClient(create_app(settings), raise_server_exceptions=True) as client:
        _create_one_of_each(client)
        yield client


def _create_one_of_each(client: TestClient) -> None:
    def post(path: str, body: object) -> None:
        response = client.post(f"{API}{path}", json=body, headers=ADMIN)
        assert response.status_code == 201, response.text

    for name, country in (("One", "CN"), ("Two", "KH")):
        post("/institutions", {"name": name, "country": country, "kind": "college"})
    post(
        "/workshops",
        {
            "name": "W",
            "starts_on": "2031-01-01",
            "ends_on": "2031-01-02",
            "time_zone": "Asia/Phnom_Penh",
        },
    )
    participants = {"institution_ids": [1, 2]}
    assert client.put(f"{API}/workshops/1/participants", json=participants, headers=ADMIN)
    post("/workshops/1/pairings", {})
    post("/opportunities", {"institution_id": 1, "type": "internships", "title": "T"})
    post("/saved-searches", {"institution_id": 1})
    post("/webhooks", {"url": "https://receiver.example.org/hook", "events": ["match.alert"]})


def read_paths(client: TestClient) -> list[str]:
    paths = client.get("/openapi.json").json()["paths"]
    return [re.sub(r"\{[^}]+\}", "1", path) for path, ops in paths.items() if "get" in ops]


@pytest.mark.parametrize("header", MALFORMED)
def test_every_api_read_refuses_a_malformed_key(world: TestClient, header: str) -> None:
    answers = {
        path: world.get(path, headers={"Authorization": header}).status_code
        for path in read_paths(world)
        if path.startswith(API)
    }
    assert len(answers) > 20
    assert {path: status for path, status in answers.items() if status != 401} == {}

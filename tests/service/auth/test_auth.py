"""Who may change what: institution keys, organiser and admin keys, the admin token."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.auth.models import ApiKey
from service.config import Settings
from service.db import make_engine
from tests.conftest import ADMIN, ClientFactory, bearer

API = "/api/v1"


def register(client: TestClient, name: str, country: str = "KH") -> dict[str, Any]:
    body = {"name": name, "country": country, "kind": "college", "needs": ["CNC training"]}
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def two(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    return register(client, "Owner"), register(client, "Intruder", "TH")


def snapshot(client: TestClient) -> Any:
    institutions = client.get(f"{API}/institutions", headers=ADMIN).json()
    keys = client.get(f"{API}/keys", headers=ADMIN).json()
    return institutions, keys


def test_the_key_is_shown_once_and_stored_only_as_a_hash(
    client: TestClient, settings: Settings
) -> None:
    owner = register(client, "Owner")
    assert owner["api_key"].startswith("tvm_")
    assert "api_key" not in client.get(f"{API}/institutions/{owner['id']}").text
    listed = client.get(f"{API}/keys", headers=ADMIN).json()["items"]
    assert owner["api_key"] not in str(listed)
    assert listed[0]["prefix"] == owner["api_key"][:10]
    engine = make_engine(settings)
    with Session(engine) as session:
        stored = session.exec(select(ApiKey)).one()
    engine.dispose()
    assert stored.secret_hash != owner["api_key"]
    assert owner["api_key"] not in stored.model_dump_json()


# Every route that changes something, asked with another institution's key.
MUTATIONS = [
    ("patch", "/institutions/{owner}", {"city": "Elsewhere"}),
    ("delete", "/institutions/{owner}", None),
    ("post", "/institutions/{owner}/keys", None),
    ("get", "/institutions/{owner}/keys", None),
    ("delete", "/keys/{owner_key}", None),
    ("post", "/keys", {"label": "sneaky", "role": "admin"}),
    ("post", "/institutions/bulk", [{"name": "Bulk", "country": "VN", "kind": "college"}]),
]


@pytest.mark.parametrize(("method", "path", "body"), MUTATIONS)
def test_another_institutions_key_is_refused_and_changes_nothing(
    client: TestClient,
    two: tuple[dict[str, Any], dict[str, Any]],
    method: str,
    path: str,
    body: Any,
) -> None:
    owner, intruder = two
    before = snapshot(client)
    url = API + path.format(owner=owner["id"], owner_key=owner["api_key_id"])
    kwargs: dict[str, Any] = {"headers": bearer(intruder["api_key"])}
    if body is not None:
        kwargs["json"] = body
    response = client.request(method.upper(), url, **kwargs)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(client) == before
    # The owner's key still works.
    assert (
        client.patch(
            f"{API}/institutions/{owner['id']}",
            json={"city": "Kampot"},
            headers=bearer(owner["api_key"]),
        ).status_code
        == 200
    )


@pytest.mark.parametrize(("method", "path", "body"), MUTATIONS)
def test_no_key_is_401_with_a_bearer_challenge(
    client: TestClient,
    two: tuple[dict[str, Any], dict[str, Any]],
    method: str,
    path: str,
    body: Any,
) -> None:
    owner, _ = two
    before = snapshot(client)
    url = API + path.format(owner=owner["id"], owner_key=owner["api_key_id"])
    response = client.request(method.upper(), url, json=body)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert snapshot(client) == before


@pytest.mark.parametrize(
    "header", ["Bearer tvm_not-a-real-key", "Basic dXNlcjpwYXNz", "Bearer", "tvm_raw"]
)
def test_bad_keys_are_refused_even_for_reads(client: TestClient, header: str) -> None:
    response = client.get(f"{API}/institutions", headers={"Authorization": header})
    assert response.status_code == 401


def test_an_institution_manages_its_own_keys(
    client: TestClient, two: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    owner, _ = two
    first = bearer(owner["api_key"])
    issued = client.post(f"{API}/institutions/{owner['id']}/keys", headers=first)
    assert issued.status_code == 201
    second = bearer(issued.json()["key"])
    assert len(client.get(f"{API}/institutions/{owner['id']}/keys", headers=second).json()) == 2
    assert client.delete(f"{API}/keys/{owner['api_key_id']}", headers=second).status_code == 204
    assert client.get(f"{API}/institutions", headers=first).status_code == 401
    assert (
        client.patch(
            f"{API}/institutions/{owner['id']}", json={"city": "Kep"}, headers=second
        ).status_code
        == 200
    )


def test_admin_creates_organiser_keys_that_can_import_but_not_edit(
    client: TestClient, two: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    owner, _ = two
    created = client.post(
        f"{API}/keys",
        json={"label": "PP 2026", "role": "organiser", "workshops": [3]},
        headers=ADMIN,
    )
    assert created.status_code == 201
    organiser = bearer(created.json()["key"])
    assert created.json()["scopes"] == ["workshop:3"]
    bulk = [{"name": "Imported", "country": "VN", "kind": "college"}]
    assert client.post(f"{API}/institutions/bulk", json=bulk, headers=organiser).status_code == 201
    assert (
        client.patch(
            f"{API}/institutions/{owner['id']}", json={"city": "x"}, headers=organiser
        ).status_code
        == 403
    )
    assert client.delete(f"{API}/keys/{created.json()['id']}", headers=ADMIN).status_code == 204
    assert client.post(f"{API}/institutions/bulk", json=bulk, headers=organiser).status_code == 401


def test_admin_may_edit_any_institution(
    client: TestClient, two: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    owner, _ = two
    response = client.patch(
        f"{API}/institutions/{owner['id']}", json={"city": "Kep"}, headers=ADMIN
    )
    assert response.status_code == 200
    assert response.json()["city"] == "Kep"


def test_key_requests_are_validated(client: TestClient) -> None:
    response = client.post(f"{API}/keys", json={"label": "x", "role": "god"}, headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "role"]
    assert client.delete(f"{API}/keys/999", headers=ADMIN).status_code == 404


def test_reads_can_require_a_key(make_client: ClientFactory, settings: Settings) -> None:
    client = make_client(settings.model_copy(update={"reads_require_key": True}))
    owner = register(client, "Owner")
    assert client.get(f"{API}/institutions").status_code == 401
    assert client.get(f"{API}/institutions/{owner['id']}/matches").status_code == 401
    assert client.get(f"{API}/institutions", headers=bearer(owner["api_key"])).status_code == 200


def test_closed_registration_needs_an_organiser(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"open_registration": False}))
    body = {"name": "Late", "country": "KH", "kind": "college"}
    assert client.post(f"{API}/institutions", json=body).status_code == 401
    assert client.post(f"{API}/institutions", json=body, headers=ADMIN).status_code == 201


def test_embedded_default_generates_an_owner_only_admin_token(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    client = make_client(Settings(data_dir=data, seed_on_empty=False))
    token_file = data / "admin-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    token = token_file.read_text().strip()
    assert client.get(f"{API}/keys", headers=bearer(token)).status_code == 200
    # The same token survives a restart.
    again = make_client(Settings(data_dir=data, seed_on_empty=False))
    assert again.get(f"{API}/keys", headers=bearer(token)).status_code == 200

"""Input that once made the service fail (500) is refused with a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer

API = "/api/v1"
LONE_SURROGATE = '"RT \\ud800"'  # JSON text: decodes to a str no encoder takes


def raw_json(client: TestClient, method: str, path: str, body: str, **headers: str) -> Any:
    return client.request(
        method,
        f"{API}{path}",
        content=body.encode(),
        headers={"Content-Type": "application/json", **headers},
    )


def assert_refused(response: Any, loc: list[Any]) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["loc"] == loc
    assert "surrogate" in error["msg"]


def test_a_lone_surrogate_in_a_new_profile_is_a_422(client: TestClient) -> None:
    body = '{"name": ' + LONE_SURROGATE + ', "country": "KH", "kind": "college"}'
    assert_refused(raw_json(client, "POST", "/institutions", body), ["body", "name"])
    listed = '{"name": "Fine", "country": "KH", "kind": "college", "needs": [' + (
        LONE_SURROGATE + "]}"
    )
    assert_refused(raw_json(client, "POST", "/institutions", listed), ["body", "needs", 0])
    assert client.get(f"{API}/institutions").json()["total"] == 0


def test_a_lone_surrogate_in_a_change_is_a_422_and_the_service_goes_on(
    client: TestClient,
) -> None:
    created = client.post(
        f"{API}/institutions", json={"name": "Kept", "country": "KH", "kind": "college"}
    ).json()
    auth = bearer(created["api_key"])["Authorization"]
    path = f"/institutions/{created['id']}"
    body = '{"description": ' + LONE_SURROGATE + "}"
    assert_refused(
        raw_json(client, "PATCH", path, body, Authorization=auth), ["body", "description"]
    )
    assert client.get(f"{API}{path}").json()["name"] == "Kept"
    workshop = '{"name": ' + LONE_SURROGATE + ', "starts_on": "2031-01-01", '
    workshop += '"ends_on": "2031-01-02", "time_zone": "Asia/Phnom_Penh"}'
    assert_refused(raw_json(client, "POST", "/workshops", workshop, **ADMIN), ["body", "name"])


@pytest.fixture
def workshop(client: TestClient) -> int:
    body = {
        "name": "Encodings",
        "starts_on": "2031-01-01",
        "ends_on": "2031-01-02",
        "time_zone": "Asia/Phnom_Penh",
    }
    created: int = client.post(f"{API}/workshops", json=body, headers=ADMIN).json()["id"]
    return created


@pytest.mark.parametrize(
    "encoding",
    ["rot13", "base64", "hex", "zlib", "undefined", "utf-7", "unicode_escape", "idna", "nonesuch"],
)
def test_an_encoding_that_is_no_text_encoding_is_a_422(
    client: TestClient, workshop: int, encoding: str
) -> None:
    response = client.post(
        f"{API}/workshops/{workshop}/imports?dry_run=true&encoding={encoding}",
        content=b"name,country\n+2AA-,KH\n",
        headers={**ADMIN, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"] == ["query", "encoding"]
    assert encoding in error["msg"]


@pytest.mark.parametrize("encoding", ["utf-8", "GB18030", "utf_16", "cp1252"])
def test_real_text_encodings_are_taken(client: TestClient, workshop: int, encoding: str) -> None:
    response = client.post(
        f"{API}/workshops/{workshop}/imports?dry_run=true&encoding={encoding}",
        content="Institution name,Country\nRT,KH\n".encode(encoding),
        headers={**ADMIN, "Content-Type": "text/csv"},
    )
    assert response.status_code in (200, 422), response.text
    assert response.json().get("errors", [{"loc": ["file"]}])[0]["loc"] != ["query", "encoding"]

"""The OpenAPI document names every answer an operation can give, 429 and 503 included."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN

API = "/api/v1"


def operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    paths = client.get("/openapi.json").json()["paths"]
    return [
        (method.upper(), path, operation)
        for path, item in paths.items()
        if path.startswith(API)
        for method, operation in item.items()
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_api_operation_names_the_answers_of_the_layers_around_it(
    client: TestClient,
) -> None:
    missing = []
    for method, path, operation in operations(client):
        wanted = {"401", "429", "503"}
        if "requestBody" in operation:
            wanted |= {"413", "422"}
        absent = wanted - set(operation["responses"])
        if absent:
            missing.append((method, path, sorted(absent)))
        for status in wanted:
            content = operation["responses"][status].get("content", {})
            assert "application/problem+json" in content, (method, path, status)
    assert missing == []
    assert len(operations(client)) > 40


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_empty_survey_gets_the_422_its_schema_states(client: TestClient) -> None:
    workshop = client.post(
        f"{API}/workshops",
        json={
            "name": "Empty",
            "starts_on": "2031-01-01",
            "ends_on": "2031-01-02",
            "time_zone": "Asia/Phnom_Penh",
        },
        headers=ADMIN,
    ).json()
    url = f"{API}/workshops/{workshop['id']}/imports"
    for query in ("", "?dry_run=true"):
        answer = client.post(
            url + query, content=b"", headers={**ADMIN, "Content-Type": "text/csv"}
        )
        assert answer.status_code == 422
        (error,) = answer.json()["errors"]
        assert error["loc"] == ["body"]
        assert "empty" in error["msg"]
    schema = client.get("/openapi.json").json()
    body = schema["paths"][f"{API}/workshops/{{workshop_id}}/imports"]["post"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["text/csv"]["schema"]["minLength"] == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_document_says_which_operations_answer_without_a_key(client: TestClient) -> None:
    keyless = {
        operation["operationId"]
        for _, _, operation in operations(client)
        if {} in operation.get("security", [])
    }
    # Open to the public by design: claims are checked by the email they name, registration
    # is open by default, and reads need no key by default.
    assert {"create_claim", "create_institution", "read_matches", "list_institutions"} <= keyless
    # Deciding a claim, listing claims and anything an admin does need a key.
    assert keyless.isdisjoint({"approve_claim", "list_claims", "create_key", "create_workshop"})
    # Without a key, a keyless operation is not refused for want of one (here: 503, no mail).
    answer = client.post(f"{API}/claims", json={"institution_id": 1, "email": "a@example.org"})
    assert answer.status_code == 503, answer.text

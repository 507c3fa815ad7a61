"""Survey import into a workshop: dry run, all-or-nothing, idempotent."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer

API = "/api/v1"
SAMPLE = resources.files("seed").joinpath("survey_sample.csv").read_bytes()
MALFORMED = resources.files("seed").joinpath("survey_malformed.csv").read_bytes()
CSV = {"content-type": "text/csv"}


@pytest.fixture
def workshop(client: TestClient) -> int:
    body = {
        "name": "Import test",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    workshop_id: int = client.post(f"{API}/workshops", json=body, headers=ADMIN).json()["id"]
    return workshop_id


def post(client: TestClient, workshop: int, data: bytes, query: str = "") -> Any:
    return client.post(
        f"{API}/workshops/{workshop}/imports{query}", content=data, headers={**ADMIN, **CSV}
    )


def total(client: TestClient) -> int:
    count: int = client.get(f"{API}/institutions").json()["total"]
    return count


def test_dry_run_reports_and_writes_nothing(client: TestClient, workshop: int) -> None:
    response = post(client, workshop, SAMPLE, "?dry_run=true")
    assert response.status_code == 200, response.text
    plan = response.json()
    assert len(plan["create"]) == 28
    assert plan["rejected"] == []
    assert plan["create"][0]["row"] == 2
    assert total(client) == 0


def test_import_creates_participants_and_is_idempotent(client: TestClient, workshop: int) -> None:
    first = post(client, workshop, SAMPLE)
    assert first.status_code == 201, first.text
    assert len(first.json()["created"]) == 28
    assert first.json()["participants"] == 28
    again = post(client, workshop, SAMPLE)
    assert again.status_code == 201
    assert again.json()["created"] == []
    assert again.json()["updated"] == []
    assert len(again.json()["unchanged"]) == 28
    assert total(client) == 28
    # Imported profiles are matched at once.
    some_id = first.json()["created"][0]
    assert client.get(f"{API}/institutions/{some_id}/matches").json()["items"]


def test_a_known_institution_is_updated_not_duplicated(client: TestClient, workshop: int) -> None:
    post(client, workshop, SAMPLE)
    header, first_row, *rest = SAMPLE.decode("utf-8-sig").splitlines()
    changed = first_row.replace("Guilin,", "Guilin City,", 1)
    edited = "\r\n".join([header, changed, *rest]).encode()
    plan = post(client, workshop, edited, "?dry_run=true").json()
    assert [(u["row"], u["changed"]) for u in plan["update"]] == [(2, ["city"])]
    result = post(client, workshop, edited).json()
    assert len(result["updated"]) == 1
    assert client.get(f"{API}/institutions/{result['updated'][0]}").json()["city"] == "Guilin City"
    assert total(client) == 28


def test_a_malformed_file_is_rejected_whole_with_rows_and_columns(
    client: TestClient, workshop: int
) -> None:
    plan = post(client, workshop, MALFORMED, "?dry_run=true").json()
    assert plan["rejected"]
    assert all(r["row"] >= 2 for r in plan["rejected"])
    assert any(r["column"] == "Country" for r in plan["rejected"])
    response = post(client, workshop, MALFORMED)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    first = response.json()["errors"][0]
    assert first["loc"][0] == "file"
    assert total(client) == 0
    assert client.get(f"{API}/workshops/{workshop}").json()["participants"] == 0


def test_other_encodings_must_be_named(client: TestClient, workshop: int) -> None:
    text = SAMPLE.decode("utf-8-sig").replace("\r\n", "\n")
    gb = text.encode("gb18030")
    plan = post(client, workshop, gb, "?dry_run=true").json()
    assert plan["rejected"][0]["row"] == 0
    assert "encoding" in plan["rejected"][0]["reason"]
    named = post(client, workshop, gb, "?dry_run=true&encoding=gb18030").json()
    assert named["rejected"] == []


def test_only_the_workshops_organisers_import(client: TestClient, workshop: int) -> None:
    key = client.post(
        f"{API}/institutions", json={"name": "S", "country": "KH", "kind": "college"}
    ).json()["api_key"]
    response = client.post(
        f"{API}/workshops/{workshop}/imports", content=SAMPLE, headers={**bearer(key), **CSV}
    )
    assert response.status_code == 403
    assert total(client) == 1


SAMPLES = ("survey_sample.csv", "survey_sample_zh.csv", "survey_sample.xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_three_samples_import_the_same_institutions(
    client: TestClient, workshop: int, sample: str
) -> None:
    data = resources.files("seed").joinpath(sample).read_bytes()
    media = XLSX if sample.endswith(".xlsx") else "text/csv"
    response = client.post(
        f"{API}/workshops/{workshop}/imports",
        content=data,
        headers={**ADMIN, "content-type": media},
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["created"]) == 28
    imported = client.get(f"{API}/workshops/{workshop}/participants?limit=100", headers=ADMIN)
    profiles = sorted(
        (p["name"], p["country"], p["kind"], p["fields"], p["offers"], p["languages"])
        for p in imported.json()["items"]
    )
    expected = client.post(
        f"{API}/workshops/{workshop}/imports?dry_run=true",
        content=SAMPLE,
        headers={**ADMIN, **CSV},
    ).json()
    assert len(expected["unchanged"]) == 28  # the English CSV finds nothing to change
    assert len(profiles) == 28
    answers = client.get(f"{API}/workshops/{workshop}/survey-answers", headers=ADMIN).json()
    assert len(answers) == 28


def test_a_workbook_sent_as_csv_is_refused_with_a_hint(client: TestClient, workshop: int) -> None:
    data = resources.files("seed").joinpath("survey_sample.xlsx").read_bytes()
    plan = post(client, workshop, data, "?dry_run=true").json()
    assert plan["rejected"][0]["row"] == 0
    assert "XLSX media type" in plan["rejected"][0]["reason"]
    broken = client.post(
        f"{API}/workshops/{workshop}/imports?dry_run=true",
        content=SAMPLE,
        headers={**ADMIN, "content-type": XLSX},
    ).json()
    assert "not an Excel workbook" in broken["rejected"][0]["reason"]

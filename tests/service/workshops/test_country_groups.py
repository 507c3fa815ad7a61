"""Country groups: one data file, served by the API and used by the China-ASEAN rule."""

from __future__ import annotations

from importlib import resources

from fastapi.testclient import TestClient

from service.workshops.country_groups import load_country_groups, members
from service.workshops.schemas import PairingRequest
from tests.conftest import ADMIN

API = "/api/v1"
SAMPLE = resources.files("seed").joinpath("survey_sample.csv").read_bytes()
TIMOR_LESTE_SAMPLE = "Baucau Demo Vocational Centre"


def test_asean_has_eleven_members_since_timor_leste_joined() -> None:
    asean = next(g for g in load_country_groups().groups if g.name == "ASEAN")
    assert sorted(asean.members) == sorted(
        ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]
    )
    assert asean.as_of.isoformat() == "2025-10-26"
    assert str(asean.source).startswith("https://asean.org/")


def test_china_asean_rule_reads_the_data_file() -> None:
    groups, allowed = PairingRequest(china_with_asean_only=True).groups()
    assert set(groups) == set(members("ASEAN"))
    assert set(groups.values()) == {"ASEAN"}
    assert allowed == frozenset({frozenset({"CN", "ASEAN"})})


def test_country_groups_are_served_without_a_key(client: TestClient) -> None:
    response = client.get(f"{API}/country-groups")
    assert response.status_code == 200, response.text
    served = {g["name"]: g for g in response.json()["groups"]}
    assert "TL" in served["ASEAN"]["members"]
    assert served["ASEAN"]["as_of"] == "2025-10-26"
    assert served["ASEAN"]["source"].startswith("https://asean.org/")


def test_china_asean_rule_pairs_the_timor_leste_sample_participant(client: TestClient) -> None:
    body = {
        "name": "China-ASEAN",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    workshop = client.post(f"{API}/workshops", json=body, headers=ADMIN).json()["id"]
    imported = client.post(
        f"{API}/workshops/{workshop}/imports",
        content=SAMPLE,
        headers={**ADMIN, "content-type": "text/csv"},
    )
    assert imported.status_code == 201, imported.text
    # One partner each: more ASEAN than Chinese participants, so some wait for capacity,
    # but Timor-Leste is eligible (before it counted as ASEAN: "no eligible partner").
    url = f"{API}/workshops/{workshop}/pairings"
    one = client.post(url, json={"china_with_asean_only": True}, headers=ADMIN).json()
    reasons = {u["institution"]["name"]: u["reason"] for u in one["unpaired"]}
    assert reasons.get(TIMOR_LESTE_SAMPLE) != "no eligible partner"
    # Seven Chinese and twenty-one ASEAN participants: three each, at least one for all.
    rules = {"china_with_asean_only": True, "max_partners": 3, "min_partners": 1}
    response = client.post(url, json=rules, headers=ADMIN)
    assert response.status_code == 201, response.text
    run = response.json()
    partners = [
        (p["a"], p["b"]) if p["b"]["name"] == TIMOR_LESTE_SAMPLE else (p["b"], p["a"])
        for p in run["pairs"]
        if TIMOR_LESTE_SAMPLE in (p["a"]["name"], p["b"]["name"])
    ]
    assert partners, run["unpaired"]
    assert all(partner["country"] == "CN" for partner, me in partners)
    assert all(me["country"] == "TL" for partner, me in partners)

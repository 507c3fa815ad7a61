"""The taxonomy endpoint, and cross-language matching through the service."""

from __future__ import annotations

from fastapi.testclient import TestClient

API = "/api/v1"


def test_taxonomy_lists_fields_and_programs_with_labels(client: TestClient) -> None:
    body = client.get(f"{API}/taxonomy").json()
    fields = {entry["id"]: entry for entry in body["fields"]}
    programs = {entry["id"] for entry in body["programs"]}
    assert fields["new_energy_vehicles"]["labels"]["zh"] == "新能源汽车"
    assert "NEV" in fields["new_energy_vehicles"]["synonyms"]["en"]
    assert {"cnc", "hvac_refrigeration", "industrial_iot", "ai_robotics"} <= set(fields)
    assert {"student_exchange", "teacher_training", "internships", "scholarships"} <= programs


def test_chinese_and_english_profiles_meet_through_the_api(client: TestClient) -> None:
    chinese = {
        "name": "南宁示例职业学院",
        "country": "CN",
        "kind": "college",
        "needs": ["柬埔寨实习基地"],
        "offers": ["新能源汽车教师培训"],
    }
    english = {
        "name": "Battambang Demo Institute",
        "country": "KH",
        "kind": "college",
        "needs": ["NEV teacher training"],
        "offers": ["internships for Chinese students"],
    }
    decoy = {
        "name": "Hue Demo Hotel School",
        "country": "VN",
        "kind": "college",
        "needs": ["chef exchange"],
        "offers": ["hotel internships"],
    }
    ids = [
        client.post(f"{API}/institutions", json=body).json()["id"]
        for body in (chinese, english, decoy)
    ]
    items = client.get(f"{API}/institutions/{ids[0]}/matches").json()["items"]
    assert items[0]["institution"]["name"] == english["name"]
    items = client.get(f"{API}/institutions/{ids[1]}/matches").json()["items"]
    assert items[0]["institution"]["name"] == chinese["name"]

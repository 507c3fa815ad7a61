"""What the workshop API tests share: a workshop, institutions by topic, and pairing runs."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"
WORKSHOP = {
    "name": "3rd China-SEA Partnership Workshop",
    "starts_on": "2026-05-12",
    "ends_on": "2026-05-13",
    "venue": "Phnom Penh",
    "time_zone": "Asia/Phnom_Penh",
}
TOPICS = ["CNC", "welding", "HVAC", "robotics"]


def institution(client: TestClient, name: str, country: str, topic: str, chinese: bool) -> int:
    # Chinese colleges offer teacher training in a topic and need internships abroad;
    # the others need that training and offer internships.
    if chinese:
        needs, offers = ["overseas internships"], [f"{topic} teacher training"]
    else:
        needs, offers = [f"{topic} teacher training"], ["overseas internships"]
    body = {"name": name, "country": country, "kind": "college", "needs": needs, "offers": offers}
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    created: int = response.json()["id"]
    return created


def run(client: TestClient, workshop: dict[str, Any], key: dict[str, str], **rules: Any) -> Any:
    response = client.post(f"{API}/workshops/{workshop['id']}/pairings", json=rules, headers=key)
    assert response.status_code == 201, response.text
    return response.json()


def pairs_of(result: Any) -> set[tuple[int, int]]:
    return {(p["a"]["id"], p["b"]["id"]) for p in result["pairs"]}


def schedule_meetings(client: TestClient, url: str, key: dict[str, str]) -> list[Any]:
    meetings: list[Any] = client.get(f"{url}/schedule", headers=key).json()["meetings"]
    return meetings

"""Recorded outcomes feed the partner graph: a met or a signed MoU is an edge, a decline not."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer

API = "/api/v1"


def create(client: TestClient, **body: Any) -> int:
    response = client.post(f"{API}/institutions", json=body)
    assert response.status_code == 201, response.text
    created: int = response.json()["id"]
    return created


def reasons_for(client: TestClient, asker: int, candidate: int) -> list[str] | None:
    """The reasons given for ``candidate`` among ``asker``'s matches (None if not there)."""
    response = client.get(f"{API}/institutions/{asker}/matches")
    assert response.status_code == 200, response.text
    for item in response.json()["items"]:
        if item["institution"]["id"] == candidate:
            found: list[str] = item["reasons"]
            return found
    return None


def test_an_outcome_links_the_pair_in_the_partner_graph(client: TestClient) -> None:
    kampot = create(
        client, name="Kampot Dairy School", country="KH", kind="college", needs=["dairy training"]
    )
    yalong = create(
        client, name="Yalong Group", country="CN", kind="company", offers=["dairy training"]
    )
    # A partner of Yalong's that shares no text with Kampot: only the graph can suggest it.
    guangxi = create(
        client,
        name="Guangxi Rail College",
        country="CN",
        kind="college",
        offers=["railway signalling"],
        existing_partners=[yalong],
    )
    assert reasons_for(client, kampot, guangxi) is None

    dates = {"starts_on": "2026-05-12", "ends_on": "2026-05-12"}
    place = {"venue": "Phnom Penh", "time_zone": "Asia/Phnom_Penh"}
    made = client.post(
        f"{API}/workshops", json={"name": "Dairy days", **dates, **place}, headers=ADMIN
    )
    assert made.status_code == 201, made.text
    workshop = made.json()["id"]
    key = {"label": "organisers", "role": "organiser", "workshops": [workshop]}
    organiser = bearer(client.post(f"{API}/keys", json=key, headers=ADMIN).json()["key"])
    url = f"{API}/workshops/{workshop}"
    joined = client.put(
        f"{url}/participants", json={"institution_ids": [kampot, yalong]}, headers=organiser
    )
    assert joined.status_code == 204, joined.text

    def record(status: str) -> None:
        body = {"pair": [kampot, yalong], "status": status}
        response = client.post(f"{url}/outcomes", json=body, headers=organiser)
        assert response.status_code == 201, response.text

    record("mou_signed")
    assert reasons_for(client, kampot, guangxi) == ["You both work with Yalong Group."]
    # Unlike a declared partnership, an outcome does not hide the institution met.
    assert reasons_for(client, kampot, yalong)
    # The latest word counts: declined, the pair is no longer an edge.
    record("declined")
    assert reasons_for(client, kampot, guangxi) is None
    record("met")
    assert reasons_for(client, kampot, guangxi) == ["You both work with Yalong Group."]

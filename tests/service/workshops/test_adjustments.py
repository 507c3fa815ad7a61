"""Adjusting a pairing run through the API: lock, forbid or swap, as a new run."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN, bearer
from tests.service.workshops.workshop_api import (
    API,
    TOPICS,
    WORKSHOP,
    institution,
    pairs_of,
    run,
)


@pytest.fixture
def first(client: TestClient, workshop: dict[str, Any], organiser: dict[str, str]) -> Any:
    """Run 1 of a workshop of Chinese and Cambodian colleges, one pair per topic."""
    ids = [institution(client, f"CN {t}", "CN", t, chinese=True) for t in TOPICS]
    ids += [institution(client, f"KH {t}", "KH", t, chinese=False) for t in TOPICS]
    url = f"{API}/workshops/{workshop['id']}/participants"
    assert client.put(url, json={"institution_ids": ids}, headers=organiser).status_code == 204
    return run(client, workshop, organiser, cross_border_only=True)


def adjust(
    client: TestClient, workshop: dict[str, Any], key: dict[str, str], number: int, **body: Any
) -> Any:
    url = f"{API}/workshops/{workshop['id']}/pairings/{number}/adjustments"
    return client.post(url, json=body, headers=key)


def test_lock_forbid_and_swap_make_new_runs_under_changed_rules(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], first: Any
) -> None:
    (a, b), (c, d) = sorted(pairs_of(first))[:2]
    locked = adjust(client, workshop, organiser, 1, action="lock", pair=[b, a])
    assert locked.status_code == 201, locked.text
    assert locked.json()["number"] == 2
    assert locked.json()["rules"]["locked"] == [[a, b]]
    assert locked.json()["rules"]["cross_border_only"] is True  # the rest is kept
    assert [p["locked"] for p in locked.json()["pairs"] if (p["a"]["id"], p["b"]["id"]) == (a, b)]
    forbidden = adjust(client, workshop, organiser, 2, action="forbid", pair=[a, b]).json()
    assert forbidden["rules"]["locked"] == []
    assert forbidden["rules"]["forbidden"] == [[a, b]]
    assert (a, b) not in pairs_of(forbidden)
    swapped = adjust(client, workshop, organiser, 1, action="swap", pair=[a, b], swap_with=[c, d])
    assert swapped.status_code == 201, swapped.text
    after = pairs_of(swapped.json())
    assert {tuple(sorted((a, d))), tuple(sorted((c, b)))} <= after
    assert not {(a, b), (c, d)} & after
    listed = client.get(f"{API}/workshops/{workshop['id']}/pairings", headers=organiser).json()
    assert [item["number"] for item in listed["items"]] == [1, 2, 3, 4]
    url = f"{API}/workshops/{workshop['id']}/pairings/1"
    assert client.get(url, headers=organiser).json() == first  # the adjusted run stays


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "lock", "pair": [1, 99]}, "pair"),
        ({"action": "swap", "pair": "first"}, "pair"),
        ({"action": "swap"}, "pair"),
        # A tag that is none of the three is refused at the body, saying so.
        ({"action": "promote", "pair": [1, 2]}, "body"),
        ({"action": "forbid", "pair": [1, 2], "surprise": 1}, "surprise"),
    ],
)
def test_bad_adjustments_are_refused_and_nothing_runs(
    client: TestClient,
    workshop: dict[str, Any],
    organiser: dict[str, str],
    first: Any,
    body: dict[str, Any],
    field: str,
) -> None:
    answer = adjust(client, workshop, organiser, 1, **body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert field in answer.json()["errors"][0]["loc"]
    listed = client.get(f"{API}/workshops/{workshop['id']}/pairings", headers=organiser).json()
    assert listed["total"] == 1


def test_a_swap_needs_a_second_pair_of_the_run_sharing_nobody(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], first: Any
) -> None:
    (a, b), (c, d) = sorted(pairs_of(first))[:2]
    for body in (
        {"action": "swap", "pair": [a, b]},
        {"action": "swap", "pair": [a, b], "swap_with": [a, b]},
        {"action": "swap", "pair": [a, b], "swap_with": [a, d]},
        {"action": "lock", "pair": [a, b], "swap_with": [c, d]},
    ):
        answer = adjust(client, workshop, organiser, 1, **body)
        assert answer.status_code == 422, body


def test_only_the_workshops_organisers_adjust_its_runs(
    client: TestClient, workshop: dict[str, Any], organiser: dict[str, str], first: Any
) -> None:
    other_workshop = client.post(f"{API}/workshops", json=WORKSHOP, headers=ADMIN).json()
    body = {"label": "others", "role": "organiser", "workshops": [other_workshop["id"]]}
    other = bearer(client.post(f"{API}/keys", json=body, headers=ADMIN).json()["key"])
    (a, b) = sorted(pairs_of(first))[0]
    refused = adjust(client, workshop, other, 1, action="forbid", pair=[a, b])
    assert refused.status_code == 403
    assert adjust(client, workshop, {}, 1, action="forbid", pair=[a, b]).status_code == 401
    assert adjust(client, workshop, organiser, 7, action="forbid", pair=[a, b]).status_code == 404
    url = f"{API}/workshops/{workshop['id']}/pairings"
    assert client.get(url, headers=organiser).json()["total"] == 1  # nothing ran
    assert adjust(client, workshop, ADMIN, 1, action="forbid", pair=[a, b]).status_code == 201

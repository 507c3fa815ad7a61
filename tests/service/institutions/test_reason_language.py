"""Reasons in the reader's language over the API: ``Accept-Language`` (en, zh; q-values;
anything else English), said in ``Content-Language`` with ``Vary: Accept-Language``; the
profiles' own phrases stay verbatim in their own script."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer

API = "/api/v1"
COLLEGE: dict[str, Any] = {
    "name": "Kampot Polytechnic",
    "country": "KH",
    "kind": "college",
    "needs": ["CNC machining teacher training"],
    "offers": ["student internships"],
}
CENTRE: dict[str, Any] = {
    "name": "天津数控培训中心",
    "country": "CN",
    "kind": "company",
    "languages": ["zh"],
    "offers": ["CNC machining teacher training"],
    "needs": ["学生实习基地"],
}
ENGLISH = (
    "They offer “CNC machining teacher training”, which meets your need "
    "“CNC machining teacher training”."
)
CHINESE = (
    "对方提供“CNC machining teacher training”，可满足您的需求“CNC machining teacher training”。"
)


def created(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(f"{API}/institutions", json=body)
    assert answer.status_code == 201, answer.text
    row: dict[str, Any] = answer.json()
    return row


def first_reason(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    return str(answer.json()["items"][0]["reasons"][0])


@pytest.mark.parametrize(
    ("header", "language", "reason"),
    [
        (None, "en", ENGLISH),
        ("zh", "zh", CHINESE),
        ("zh-Hans-CN, en;q=0.8", "zh", CHINESE),
        ("fr", "en", ENGLISH),
        ("fr, zh;q=0.5", "zh", CHINESE),
        ("zh;q=0.2, en;q=0.9", "en", ENGLISH),
        ("zh;q=0, *", "en", ENGLISH),
    ],
)
def test_matches_speak_the_language_asked_for(
    client: TestClient, header: str | None, language: str, reason: str
) -> None:
    college = created(client, COLLEGE)
    created(client, CENTRE)
    headers = {"Accept-Language": header} if header is not None else {}
    answer = client.get(f"{API}/institutions/{college['id']}/matches", headers=headers)
    assert first_reason(answer) == reason
    assert answer.headers["Content-Language"] == language
    assert "Accept-Language" in answer.headers["Vary"]


def test_a_chinese_profile_without_a_header_reads_english_around_its_own_words(
    client: TestClient,
) -> None:
    created(client, COLLEGE)
    centre = created(client, CENTRE)
    answer = client.get(f"{API}/institutions/{centre['id']}/matches")
    # Each side's phrase stays in the script it was written in.
    assert (
        first_reason(answer)
        == "They offer “student internships”, which meets your need “学生实习基地”."
    )
    chinese = client.get(
        f"{API}/institutions/{centre['id']}/matches", headers={"Accept-Language": "zh-CN"}
    )
    assert first_reason(chinese) == "对方提供“student internships”，可满足您的需求“学生实习基地”。"


def test_every_route_with_reasons_honours_the_header(client: TestClient) -> None:
    college = created(client, COLLEGE)
    centre = created(client, CENTRE)
    zh = {"Accept-Language": "zh"}
    drafted = client.post(f"{API}/matches", json={"profile": COLLEGE}, headers=zh)
    assert first_reason(drafted) == CHINESE
    assert drafted.headers["Content-Language"] == "zh"
    offer = {"type": "teacher_training", "title": "CNC machining teacher training"}
    published = client.post(f"{API}/opportunities", json=offer, headers=bearer(centre["api_key"]))
    assert published.status_code == 201, published.text
    opportunity_id = published.json()["id"]
    fitting = client.get(f"{API}/institutions/{college['id']}/opportunities", headers=zh)
    assert fitting.status_code == 200, fitting.text
    assert fitting.headers["Content-Language"] == "zh"
    assert fitting.json()["items"][0]["reasons"][0].startswith("对方提供“CNC machining teacher")
    fits = client.get(f"{API}/opportunities/{opportunity_id}/matches", headers=zh)
    assert fits.headers["Content-Language"] == "zh"
    assert fits.json()["items"][0]["reasons"][0].startswith("对方")
    english = client.get(f"{API}/opportunities/{opportunity_id}/matches")
    assert english.headers["Content-Language"] == "en"
    assert english.json()["items"][0]["reasons"][0].startswith("They")


def test_a_replayed_post_is_the_first_answer_in_its_first_language(client: TestClient) -> None:
    created(client, CENTRE)
    key = {"Idempotency-Key": "5b0c7a7e-reasons-in-chinese"}
    first = client.post(
        f"{API}/matches", json={"profile": COLLEGE}, headers={**key, "Accept-Language": "zh"}
    )
    assert first_reason(first) == CHINESE
    again = client.post(
        f"{API}/matches", json={"profile": COLLEGE}, headers={**key, "Accept-Language": "en"}
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first_reason(again) == CHINESE
    assert again.headers["Content-Language"] == "zh"
    assert "Accept-Language" in again.headers["Vary"]

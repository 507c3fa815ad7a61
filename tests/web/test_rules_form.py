"""The console's forms through the app (SQLite and PostgreSQL): the rules form's named
country group (a served group, seed/country_groups.json, chosen by name puts all its
members in it), and refusals of the workshop's rules in the interface language."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.workshops.country_groups import members
from tests.conftest import bearer
from tests.web.conftest import API, create_workshop, csrf_token, sign_in, text_of
from tests.web.test_console import RULES, _import


@pytest.fixture
def organiser(web: TestClient) -> tuple[int, str]:
    workshop_id, key = create_workshop(web)
    assert sign_in(web, key).status_code == 303
    _import(web, workshop_id)
    return workshop_id, key


def test_the_rules_form_offers_the_served_groups_with_their_members(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, _ = organiser
    page = text_of(web.get(f"/web/workshops/{workshop_id}"))
    assert '<option value="ASEAN">ASEAN: Association of Southeast Asian Nations (11' in page
    assert '<option value="LMC">' in page
    assert "Timor-Leste" in page
    chinese = text_of(web.get(f"/web/workshops/{workshop_id}?lang=zh"))
    assert "添加一个已命名的国家分组" in chinese


def test_a_named_group_chosen_by_name_pairs_china_with_asean_timor_leste_included(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, key = organiser
    console = web.get(f"/web/workshops/{workshop_id}")
    rules = {
        **RULES,
        # Seven Chinese and twenty-one ASEAN participants: three each, at least one for all.
        "max_partners": "3",
        "min_partners": "1",
        "named_group": "ASEAN",
        "allowed_group_pairs": "CN, ASEAN",
        "csrf_token": csrf_token(console),
    }
    answer = web.post(f"/web/workshops/{workshop_id}/pairings", data=rules, follow_redirects=False)
    assert answer.status_code == 303, text_of(answer)
    number = answer.headers["location"].rsplit("/", 1)[1]
    run = web.get(f"{API}/workshops/{workshop_id}/pairings/{number}", headers=bearer(key)).json()
    assert run["rules"]["country_groups"] == dict.fromkeys(members("ASEAN"), "ASEAN")
    countries = [{p["a"]["country"], p["b"]["country"]} for p in run["pairs"]]
    assert all("CN" in pair and len(pair) == 2 for pair in countries)
    assert any("TL" in pair for pair in countries)


def test_a_group_the_service_does_not_serve_is_refused_in_the_interface_language(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, _ = organiser
    console = web.get(f"/web/workshops/{workshop_id}?lang=zh")
    rules = {**RULES, "named_group": "Atlantis", "csrf_token": csrf_token(console)}
    page = web.post(f"/web/workshops/{workshop_id}/pairings", data=rules)
    assert page.status_code == 422
    assert "请选择列出的国家分组之一" in text_of(page)
    assert (
        web.get(f"{API}/workshops/{workshop_id}/pairings", headers=bearer(organiser[1])).json()[
            "items"
        ]
        == []
    )


ENGLISH_WORDS = ("breaks a rule", "is not", "must not", "participant", "locked pair")


def _participants_of(web: TestClient, workshop_id: int, key: str, country: str) -> list[Any]:
    url = f"{API}/workshops/{workshop_id}/participants?limit=100"
    items = web.get(url, headers=bearer(key)).json()["items"]
    return [item for item in items if item["country"] == country]


def _lock(web: TestClient, workshop_id: int, pair: str, lang: str) -> str:
    console = web.get(f"/web/workshops/{workshop_id}?lang={lang}")
    rules = {**RULES, "locked": pair, "csrf_token": csrf_token(console)}
    page = web.post(f"/web/workshops/{workshop_id}/pairings", data=rules)
    assert page.status_code == 422
    errors = re.search(r'<ul class="field-errors" id="locked-errors">(.*?)</ul>', page.text, re.S)
    assert errors, page.text
    return html.unescape(errors.group(1))


def test_a_zh_console_says_a_broken_rule_in_chinese_and_no_english(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, key = organiser
    first, second = _participants_of(web, workshop_id, key, "KH")[:2]
    said = _lock(web, workshop_id, f"{first['id']} {second['id']}", "zh")
    assert "违反规则" in said
    assert "只允许跨国配对" in said
    assert "双方都来自柬埔寨" in said
    assert not [words for words in ENGLISH_WORDS if words in said.lower()]
    # The pair is named as people know it, not by ids; in English too.
    assert first["name"] in said
    assert second["name"] in said
    english = _lock(web, workshop_id, f"{first['id']} {second['id']}", "en")
    assert f"Locked pair ({first['name']}, {second['name']}) breaks a rule" in english


def test_a_zh_console_says_a_refused_workshop_detail_in_chinese(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, _ = organiser
    console = web.get(f"/web/workshops/{workshop_id}?lang=zh")
    details = {
        "name": "Phnom Penh 2026",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-01",
        "venue": "",
        "time_zone": "Asia/Phnom_Penh",
        "csrf_token": csrf_token(console),
    }
    page = web.post(f"/web/workshops/{workshop_id}/details", data=details)
    assert page.status_code == 422
    shown = text_of(page)
    assert "结束日期不能早于开始日期" in shown
    assert "must not be before" not in shown

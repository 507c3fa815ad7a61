"""Institutions chosen by name in the console's forms (SQLite and PostgreSQL): locked and
forbidden pairs, capacity exceptions and unavailable slots show names, send ids, and read
as the API reads them."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.web.conftest import API, create, create_workshop, csrf_token, sign_in, text_of

RULES = {
    "max_partners": "1",
    "min_partners": "0",
    "min_score": "0",
    "fairness": "none",
    "cross_border_only": "on",
}


def _setup(web: TestClient) -> tuple[int, str, dict[str, int]]:
    workshop_id, key = create_workshop(web)
    people = {
        "KH": create(web, name="សាលាបច្ចេកទេសតាកែវ", needs=["CNC teacher training"])["id"],
        "CN": create(web, name="柳州示例职业学院", country="CN", offers=["CNC teacher training"])[
            "id"
        ],
        "TH": create(web, name="วิทยาลัยเทคนิคลำปาง", country="TH", needs=["welding"])["id"],
        "VN": create(web, name="Hue Demo College", country="VN", offers=["welding"])["id"],
    }
    answer = web.put(
        f"{API}/workshops/{workshop_id}/participants",
        json={"institution_ids": list(people.values())},
        headers=bearer(key),
    )
    assert answer.status_code == 204
    assert sign_in(web, key).status_code == 303
    return workshop_id, key, people


def _latest_rules(web: TestClient, workshop_id: int, key: str) -> dict[str, object]:
    runs = web.get(f"{API}/workshops/{workshop_id}/pairings", headers=bearer(key)).json()
    number = runs["items"][-1]["number"]
    run = web.get(f"{API}/workshops/{workshop_id}/pairings/{number}", headers=bearer(key))
    rules: dict[str, object] = run.json()["rules"]
    return rules


def test_pairs_and_exceptions_are_chosen_by_name(web: TestClient) -> None:
    workshop_id, key, people = _setup(web)
    console = web.get(f"/web/workshops/{workshop_id}")
    # The pickers list participants by name; ids are only in the values sent.
    text = text_of(console)
    assert f'<option value="{people["KH"]}">សាលាបច្ចេកទេសតាកែវ (KH)</option>' in text
    picked = {
        **RULES,
        "locked_a": str(people["KH"]),
        "locked_b": str(people["CN"]),
        "forbidden_a": str(people["TH"]),
        "forbidden_b": str(people["VN"]),
        "max_partners_by_id_who": str(people["VN"]),
        "max_partners_by_id_n": "0",
        "csrf_token": csrf_token(console),
    }
    ran = web.post(f"/web/workshops/{workshop_id}/pairings", data=picked)
    assert ran.status_code == 200, ran.text
    rules = _latest_rules(web, workshop_id, key)
    assert rules["locked"] == [[people["KH"], people["CN"]]]
    assert rules["forbidden"] == [[people["TH"], people["VN"]]]
    assert rules["max_partners_by_id"] == {str(people["VN"]): 0}
    # The form starts from these rules, in words: ticked boxes with the names.
    text = html.unescape(web.get(f"/web/workshops/{workshop_id}").text)
    assert "សាលាបច្ចេកទេសតាកែវ × 柳州示例职业学院" in text
    assert "วิทยาลัยเทคนิคลำปาง × Hue Demo College" in text
    assert "Hue Demo College: 0 partners" in text
    boxes = re.findall(
        r'<input type="checkbox" id="f-(\w+)-1" name="\1" value="([^"]+)" checked', text
    )
    assert dict(boxes) == {
        "max_partners_by_id": f"{people['VN']} 0",
        "locked": f"{people['KH']} {people['CN']}",
        "forbidden": f"{people['TH']} {people['VN']}",
    }
    # Unticking a box drops the entry: the boxes not sent are not kept.
    token = csrf_token(web.get(f"/web/workshops/{workshop_id}"))
    kept = {**RULES, "locked": f"{people['KH']} {people['CN']}", "csrf_token": token}
    assert web.post(f"/web/workshops/{workshop_id}/pairings", data=kept).status_code == 200
    rules = _latest_rules(web, workshop_id, key)
    assert rules["locked"] == [[people["KH"], people["CN"]]]
    assert rules["forbidden"] == []
    assert rules["max_partners_by_id"] == {}


def test_a_half_chosen_pair_is_refused_in_the_interface_language(web: TestClient) -> None:
    workshop_id, key, people = _setup(web)
    console = web.get(f"/web/workshops/{workshop_id}?lang=zh")
    half = {**RULES, "locked_a": str(people["KH"]), "csrf_token": csrf_token(console)}
    page = web.post(f"/web/workshops/{workshop_id}/pairings", data=half)
    assert page.status_code == 422
    assert 'id="locked-errors"' in page.text
    assert "第 1 项" in text_of(page)
    runs = web.get(f"{API}/workshops/{workshop_id}/pairings", headers=bearer(key)).json()
    assert runs["items"] == []  # nothing was run


def test_unavailable_slots_are_chosen_by_name(web: TestClient) -> None:
    workshop_id, key, people = _setup(web)
    console = web.get(f"/web/workshops/{workshop_id}")
    ran = web.post(
        f"/web/workshops/{workshop_id}/pairings",
        data={**RULES, "csrf_token": csrf_token(console)},
        follow_redirects=False,
    )
    run_url = ran.headers["location"]
    page = web.get(run_url)
    assert f'<option value="{people["TH"]}">' in page.text
    form = {
        "starts_at": "2026-05-13T09:00",
        "slot_minutes": "20",
        "break_minutes": "5",
        "tables": "1",
        "with_alternates": "0",
        "unavailable_who": str(people["TH"]),
        "unavailable_slots": "0",
        "csrf_token": csrf_token(page),
    }
    made = web.post(f"{run_url}/schedule", data=form)
    assert made.status_code == 200, made.text
    number = run_url.rsplit("/", 1)[1]
    schedule = web.get(
        f"{API}/workshops/{workshop_id}/pairings/{number}/schedule", headers=bearer(key)
    ).json()
    assert all(
        m["slot"] != 0 for m in schedule["meetings"] if people["TH"] in (m["a"]["id"], m["b"]["id"])
    )


def test_declared_partners_are_chosen_by_name(web: TestClient) -> None:
    mine = create(web, name="Phnom Penh Demo Institute")
    theirs = create(web, name="ສະຖາບັນເຕັກນິກວຽງຈັນ", country="LA")["id"]
    sign_in(web, mine["api_key"])
    edit = f"/web/institutions/{mine['id']}/edit"
    found = web.get(f"/web/institutions/{mine['id']}/partners", params={"partner_find": "ວຽງຈັນ"})
    assert found.status_code == 200
    assert f'name="existing_partners" value="{theirs}">' in found.text  # to tick, not ticked
    assert "Phnom Penh Demo Institute" not in found.text  # never oneself
    form = web.get(edit)
    values = {
        "name": "Phnom Penh Demo Institute",
        "country": "KH",
        "kind": "college",
        "existing_partners": str(theirs),  # the ticked box
        "csrf_token": csrf_token(form),
    }
    saved = web.post(edit, data=values, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    stored = web.get(f"{API}/institutions/{mine['id']}").json()
    assert stored["existing_partners"] == [theirs]
    page = html.unescape(web.get(edit).text)
    assert re.search(
        rf'name="existing_partners" value="{theirs}" checked[^>]*>\s*'
        r'<label for="f-existing_partners-1">ສະຖາບັນເຕັກນິກວຽງຈັນ</label>',
        page,
    )
    # Someone else's key may not search from this form.
    other = create(web, name="Another Demo College")
    sign_in(web, other["api_key"])
    refused = web.get(f"/web/institutions/{mine['id']}/partners", params={"partner_find": "x"})
    assert refused.status_code == 403


def test_schema_refusals_read_in_chinese(web: TestClient) -> None:
    workshop_id, _, _ = _setup(web)
    console = web.get(f"/web/workshops/{workshop_id}?lang=zh")
    bad = {**RULES, "max_partners": "two", "min_score": "1.5", "csrf_token": csrf_token(console)}
    page = web.post(f"/web/workshops/{workshop_id}/pairings", data=bad)
    assert page.status_code == 422
    text = text_of(page)
    assert re.search(r"id=\"max_partners-errors\">\s*<li>请输入数字。</li>", text)
    assert re.search(r'id="min_score-errors">\s*<li>不能大于 1。</li>', text)
    assert "Input should be" not in text
    # English keeps the API's own words.
    english = web.post(
        f"/web/workshops/{workshop_id}/pairings?lang=en",
        data={**bad, "csrf_token": csrf_token(web.get(f"/web/workshops/{workshop_id}?lang=en"))},
    )
    assert "Input should be less than or equal to 1" in text_of(english)

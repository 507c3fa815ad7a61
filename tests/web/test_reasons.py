"""Reasons on the pages are said in the interface language, whatever the profile's own
language; the profiles' phrases are quoted verbatim."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.service.institutions.test_reason_language import CENTRE, CHINESE, COLLEGE, ENGLISH
from tests.web.conftest import create, sign_in, text_of


def test_the_partner_page_says_reasons_in_the_interface_language(web: TestClient) -> None:
    college = create(web, **COLLEGE)
    create(web, **CENTRE)
    page = f"/web/institutions/{college['id']}"
    assert CHINESE in text_of(web.get(f"{page}?lang=zh"))
    assert ENGLISH not in text_of(web.get(page))  # the language cookie keeps Chinese
    assert ENGLISH in text_of(web.get(f"{page}?lang=en"))


def test_my_partners_says_opportunity_reasons_in_the_interface_language(web: TestClient) -> None:
    college, centre = create(web, **COLLEGE), create(web, **CENTRE)
    offer = {"type": "teacher_training", "title": "CNC machining teacher training"}
    published = web.post("/api/v1/opportunities", json=offer, headers=bearer(centre["api_key"]))
    assert published.status_code == 201, published.text
    sign_in(web, college["api_key"])
    chinese = text_of(web.get("/web/me?lang=zh"))
    assert "对方提供“CNC machining teacher training”" in chinese
    assert "They offer" not in chinese

"""The public pages and the profile form, through the app (SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from matching import Taxonomy
from seed import load_taxonomy
from service.config import Settings
from service.institutions.directory import field_concepts
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.web.conftest import API, create, csrf_token, sign_in, text_of

NPIC: dict[str, Any] = {
    "name": "Demo Polytechnic Institute of Cambodia",
    "country": "KH",
    "fields": ["mechatronics", "AI and mobile robotics"],
    "needs": ["teacher training in AI and mobile robotics", "CNC teacher training"],
    "offers": ["student cohorts for exchange", "Khmer language and culture courses"],
    "languages": ["km", "en"],
    "contact_email": "international@npic-demo.example.org",
}
PARTNER: dict[str, Any] = {
    "name": "Guilin Demo Robotics College",
    "country": "CN",
    "fields": ["数控技术", "industrial robots"],
    "needs": ["Khmer language and culture courses", "student cohorts from Cambodia"],
    "offers": ["teacher training in AI and mobile robotics", "CNC teacher training programme"],
    "languages": ["zh", "en"],
}


def _names(page_text: str) -> list[str]:
    return re.findall(r'<h2><a href="/web/institutions/\d+">([^<]+)</a></h2>', page_text)


def test_directory_pages_through_the_filtered_list(web: TestClient) -> None:
    items = [
        {"name": f"Demo College {n:02}", "country": "KH" if n % 2 else "TH", "kind": "college"}
        for n in range(25)
    ]
    assert web.post(f"{API}/institutions/bulk", json=items, headers=ADMIN).status_code == 201
    first = web.get("/web/")
    assert first.status_code == 200
    assert "Showing 1–20 of 25" in first.text
    assert len(_names(first.text)) == 20
    assert 'href="/web/?page=2"' in first.text
    second = web.get("/web/?page=2")
    assert _names(second.text) == [f"Demo College {n:02}" for n in range(20, 25)]
    cambodian = web.get("/web/?country=KH")
    assert "Showing 1–12 of 12" in cambodian.text
    assert 'value="KH" selected' in cambodian.text
    found = web.get("/web/?q=college+07")
    assert _names(found.text) == ["Demo College 07"]
    assert "No institution matches" in web.get("/web/?kind=company").text


def test_a_taxonomy_field_finds_profiles_in_any_language_and_nothing_else(
    web: TestClient,
) -> None:
    create(web, name="Chinese CNC", country="CN", fields=["数控技术"])
    create(web, name="English CNC", fields=["CNC machining"])
    create(web, name="Robots", fields=["industrial robots"])
    # "AI" is a synonym of robotics: as a substring it is in "maintenance", yet no match.
    create(web, name="Aircraft", fields=["aircraft maintenance", "avionics"])
    create(web, name="No fields")
    taxonomy = Taxonomy.from_dict(load_taxonomy())
    every = web.get(f"{API}/institutions?limit=100").json()["items"]
    for concept in field_concepts(taxonomy):
        expected = sorted(
            row["name"]
            for row in every
            if any(concept in taxonomy.find(phrase) for phrase in row["fields"])
        )
        page = web.get(f"/web/?field={concept.id}")
        assert sorted(_names(page.text)) == expected, concept.id
    assert _names(web.get("/web/?field=cnc").text) == ["Chinese CNC", "English CNC"]
    assert _names(web.get("/web/?field=ai_robotics").text) == ["Robots"]
    assert _names(web.get("/web/?field=cnc&country=CN").text) == ["Chinese CNC"]
    chinese = web.get("/web/?lang=zh")
    assert '<option value="cnc">数控技术</option>' in chinese.text


def test_a_refused_filter_shows_the_api_message(web: TestClient) -> None:
    api = web.get(f"{API}/institutions?country=XX")
    assert api.status_code == 422
    page = web.get("/web/?country=XX")
    assert page.status_code == 422
    assert api.json()["errors"][0]["msg"] in text_of(page)
    assert web.get("/web/?field=no_such_field").status_code == 422


def test_an_institution_page_shows_the_public_profile_and_reasoned_suggestions(
    web: TestClient,
) -> None:
    npic = create(web, **NPIC)
    partner = create(web, **PARTNER)
    page = web.get(f"/web/institutions/{npic['id']}")
    assert page.status_code == 200
    text = text_of(page)
    assert NPIC["name"] in text
    assert "Khmer language and culture courses" in text
    assert NPIC["contact_email"] not in text
    api = web.get(f"{API}/institutions/{npic['id']}/matches?limit=10").json()["items"]
    assert [item["institution"]["id"] for item in api] == [partner["id"]]
    for reason in api[0]["reasons"]:
        assert reason in text
    assert f'value="{api[0]["score"]:.4f}"' in page.text  # the score bar
    # Not even its own key sees the private email on the public page.
    sign_in(web, npic["api_key"])
    assert NPIC["contact_email"] not in web.get(f"/web/institutions/{npic['id']}").text
    # Suggestions from anywhere, or only one kind of institution.
    assert "Guilin" in web.get(f"/web/institutions/{npic['id']}?partners_from=anywhere").text
    assert "Guilin" not in web.get(f"/web/institutions/{npic['id']}?kind=company").text


def test_user_content_is_shown_as_text_never_as_markup(web: TestClient) -> None:
    attack = "<script>alert('owned')</script>"
    row = create(
        web,
        name=f"{attack} College",
        needs=[f'<img src=x onerror="alert(1)"> {attack}'],
        description=attack,
        website="https://example.org/?q=<b>",
    )
    for url in ("/web/", f"/web/institutions/{row['id']}", f"/web/?q={row['name']}"):
        page = web.get(url)
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text
        assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt; College" in page.text
    sign_in(web, row["api_key"])
    form = web.get(f"/web/institutions/{row['id']}/edit")
    assert "<script>alert" not in form.text
    assert "&lt;script&gt;" in form.text


def test_an_unknown_institution_is_a_404_page(web: TestClient) -> None:
    page = web.get("/web/institutions/999")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "There is no institution with this number." in page.text


def test_signing_in_keeps_the_key_in_a_strict_http_only_cookie(web: TestClient) -> None:
    row = create(web, **NPIC)
    refused = sign_in(web, "tvm_not-a-key")
    assert refused.status_code == 401
    assert "This key is unknown or has been revoked." in refused.text
    assert 'aria-invalid="true"' in refused.text
    answer = sign_in(web, row["api_key"])
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/web/institutions/{row['id']}/edit"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("tvm_key="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here; https gets Secure
    assert "Signed in for institution" in web.get("/web/").text
    signed_out = web.post(
        "/web/sign-out", data={"csrf_token": csrf_token(web.get("/web/"))}, follow_redirects=False
    )
    assert signed_out.status_code == 303
    assert web.get(f"/web/institutions/{row['id']}/edit").status_code == 401


def test_sign_in_returns_to_the_page_asked_for_and_only_to_this_site(web: TestClient) -> None:
    row = create(web, **NPIC)
    form = web.get("/web/sign-in")
    for wanted, landing in (
        ("/web/workshops", "/web/workshops"),
        ("https://evil.example/", "/web/"),
        ("//evil.example/web/", "/web/"),
    ):
        answer = web.post(
            "/web/sign-in",
            data={"key": row["api_key"], "csrf_token": csrf_token(form), "next": wanted},
            follow_redirects=False,
        )
        assert answer.headers["location"] == landing
        web.cookies.delete("tvm_key")


def _profile_form(page_text: str) -> dict[str, str]:
    """The edit form's current values, as a browser would send them back."""
    values = dict(
        re.findall(
            r'<input id="f-[a-z_]+" name="([a-z_]+)" type="[a-z]+" value="([^"]*)"', page_text
        )
    )
    values.update(
        re.findall(r'<textarea id="f-[a-z_]+" name="([a-z_]+)"[^>]*>([^<]*)</textarea>', page_text)
    )
    ticked = re.findall(
        r'<input type="checkbox" id="f-existing_partners-\d+" name="existing_partners"'
        r' value="(\d+)" checked',
        page_text,
    )
    values["existing_partners"] = ", ".join(ticked)
    for name in ("country", "kind"):
        select = re.search(rf'<select id="f-{name}".*?</select>', page_text, re.S)
        assert select
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
        values[name] = chosen.group(1) if chosen else ""
    return {name: html.unescape(value) for name, value in values.items()}


def test_an_institution_edits_its_own_profile(web: TestClient) -> None:
    row = create(web, **NPIC)
    create(web, **PARTNER)
    sign_in(web, row["api_key"])
    form = web.get(f"/web/institutions/{row['id']}/edit")
    assert form.status_code == 200
    values = _profile_form(form.text)
    assert values["contact_email"] == NPIC["contact_email"]  # the owner sees it here
    assert values["needs"] == "\n".join(NPIC["needs"])
    values["needs"] += "\nEV maintenance teacher training"
    values["city"] = "Phnom Penh"
    values["csrf_token"] = csrf_token(form)
    saved = web.post(f"/web/institutions/{row['id']}/edit", data=values, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/web/institutions/{row['id']}?saved=1"
    stored = web.get(f"{API}/institutions/{row['id']}", headers=bearer(row["api_key"])).json()
    assert stored["needs"][-1] == "EV maintenance teacher training"
    assert stored["city"] == "Phnom Penh"
    assert stored["contact_email"] == NPIC["contact_email"]
    assert stored["fields"] == NPIC["fields"]
    assert "Your profile has been saved." in web.get(saved.headers["location"]).text


def test_the_form_shows_the_api_messages_beside_the_fields(web: TestClient) -> None:
    row = create(web, **NPIC)
    sign_in(web, row["api_key"])
    form = web.get(f"/web/institutions/{row['id']}/edit")
    values = _profile_form(form.text)
    bad = {"website": "ftp://npic.example", "country": "XX", "languages": "km, klingon"}
    long_need = "x" * 301
    api = web.patch(
        f"{API}/institutions/{row['id']}",
        json={**bad, "languages": ["km", "klingon"], "needs": ["fine", long_need]},
        headers=bearer(row["api_key"]),
    )
    assert api.status_code == 422
    messages = {tuple(e["loc"][1:]): e["msg"] for e in api.json()["errors"]}
    page = web.post(
        f"/web/institutions/{row['id']}/edit",
        data={**values, **bad, "needs": f"fine\n{long_need}", "csrf_token": csrf_token(form)},
    )
    assert page.status_code == 422
    text = text_of(page)
    assert "Nothing was saved." in text
    for name in ("website", "country", "languages", "needs"):
        errors = re.search(rf'<ul class="field-errors" id="{name}-errors">(.*?)</ul>', text, re.S)
        assert errors, name
        for loc, message in messages.items():
            if loc[0] == name:
                assert message in errors.group(1), (name, message)
    assert f"entry 2: {messages[('needs', 1)]}" in text
    assert 'aria-describedby="website-help website-errors" aria-invalid="true"' in page.text
    assert 'value="ftp://npic.example"' in page.text  # what was typed stays in the form
    stored = web.get(f"{API}/institutions/{row['id']}").json()
    assert stored["website"] is None
    assert stored["country"] == "KH"


def test_a_duplicate_name_or_unknown_partner_is_refused_beside_its_field(web: TestClient) -> None:
    row = create(web, **NPIC)
    other = create(web, name="Taken Name")
    sign_in(web, row["api_key"])
    form = web.get(f"/web/institutions/{row['id']}/edit")
    values = {**_profile_form(form.text), "csrf_token": csrf_token(form)}
    taken = web.post(f"/web/institutions/{row['id']}/edit", data={**values, "name": "taken name"})
    assert taken.status_code == 422
    assert f"already exists (id {other['id']})" in text_of(taken)
    unknown = web.post(
        f"/web/institutions/{row['id']}/edit",
        data={**values, "existing_partners": f"{other['id']}, 999, abc"},
    )
    assert unknown.status_code == 422
    assert "“abc” is not an institution id." in text_of(unknown)
    stored = web.get(f"{API}/institutions/{row['id']}").json()
    assert stored["name"] == NPIC["name"]
    assert stored["existing_partners"] == []


def test_another_institutions_profile_is_refused_and_left_alone(web: TestClient) -> None:
    mine = create(web, **NPIC)
    theirs = create(web, **PARTNER)
    sign_in(web, mine["api_key"])
    page = web.get(f"/web/institutions/{theirs['id']}/edit")
    assert page.status_code == 403
    assert "This key may change only its own institution's profile." in text_of(page)
    token = csrf_token(web.get(f"/web/institutions/{mine['id']}/edit"))
    attempt = web.post(
        f"/web/institutions/{theirs['id']}/edit",
        data={
            **PARTNER,
            "name": "Hijacked",
            "fields": "",
            "needs": "",
            "offers": "",
            "languages": "",
            "kind": "college",
            "csrf_token": token,
        },
    )
    assert attempt.status_code == 403
    assert web.get(f"{API}/institutions/{theirs['id']}").json()["name"] == PARTNER["name"]
    # A missing id gets the same answer: the key learns nothing by probing.
    assert web.get("/web/institutions/999/edit").status_code == 403


def test_an_admin_may_edit_any_profile(web: TestClient, settings: Settings) -> None:
    row = create(web, **NPIC)
    assert settings.admin_token is not None
    sign_in(web, settings.admin_token.get_secret_value())
    assert web.get(f"/web/institutions/{row['id']}/edit").status_code == 200
    assert web.get("/web/institutions/999/edit").status_code == 404


@pytest.mark.parametrize("token", ["missing", "wrong", "before sign-in", "other browser"])
def test_a_form_without_its_csrf_token_is_refused(web: TestClient, token: str) -> None:
    row = create(web, **NPIC)
    anonymous_token = csrf_token(web.get("/web/sign-in"))
    sign_in(web, row["api_key"])
    form = web.get(f"/web/institutions/{row['id']}/edit")
    values = {**_profile_form(form.text), "name": "Changed by a forged form"}
    if token == "wrong":
        values["csrf_token"] = "0" * 64
    elif token == "before sign-in":
        values["csrf_token"] = anonymous_token
    elif token == "other browser":
        values["csrf_token"] = csrf_token(form)
        web.cookies.delete("tvm_csrf")
        web.cookies.set("tvm_csrf", "another-browsers-nonce-0123456789")
    answer = web.post(f"/web/institutions/{row['id']}/edit", data=values)
    assert answer.status_code == 403
    assert "did not come from this site, so nothing was done" in text_of(answer)
    assert web.get(f"{API}/institutions/{row['id']}").json()["name"] == NPIC["name"]


def test_pages_need_a_key_when_reads_do(make_client: ClientFactory, settings: Settings) -> None:
    client = make_client(settings.model_copy(update={"reads_require_key": True}))
    row = create(client, **NPIC)
    for url in ("/web/", f"/web/institutions/{row['id']}", "/web/workshops"):
        page = client.get(url)
        assert page.status_code == 401
        assert "Please sign in with your key" in page.text
        assert NPIC["name"] not in page.text
    sign_in(client, row["api_key"])
    assert client.get("/web/").status_code == 200


def test_pages_carry_a_strict_content_security_policy(web: TestClient) -> None:
    page = web.get("/web/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # nothing inline
    assert " style=" not in page.text
    assert web.get("/web/static/site.css").status_code == 200
    assert web.get("/web/static/vendor/htmx/htmx.min.js").status_code == 200
    assert "/web/" not in str(web.get("/openapi.json").json()["paths"])


def test_the_interface_switches_to_chinese_and_remembers_it(web: TestClient) -> None:
    row = create(web, **NPIC)
    page = web.get("/web/?lang=zh")
    assert '<html lang="zh-Hans">' in page.text
    assert "寻找合作伙伴" in page.text
    assert "柬埔寨" in page.text  # the country, in Chinese
    assert NPIC["name"] in page.text  # content stays as written
    assert web.get(f"/web/institutions/{row['id']}").text.count("推荐的合作伙伴") == 1
    assert "Find a partner" in web.get("/web/?lang=en").text
    web.cookies.clear()  # a new visitor, whose browser prefers Chinese
    greeted = web.get("/web/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "寻找合作伙伴" in greeted.text


def test_static_files_are_cached_and_not_counted_against_the_rate_limit(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"rate_limit": "3/minute"}))
    for _ in range(10):
        asset = client.get("/web/static/site.css")
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=3600"
    pages = [client.get("/web/sign-in").status_code for _ in range(4)]
    assert pages == [200, 200, 200, 429]

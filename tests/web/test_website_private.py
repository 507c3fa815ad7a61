"""The profile page hides a website marked private from everyone but the institution,
admins and accepted partners; the edit form sets and clears the mark."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.web.conftest import create, csrf_token, sign_in, text_of

API = "/api/v1"
SITE = "https://www.kampot-poly.example.org/"


def test_the_page_shows_a_private_website_to_accepted_partners(web: TestClient) -> None:
    college = create(web, name="Kampot Polytechnic", website=SITE, website_private=True)
    centre = create(web, name="Tianjin CNC Centre", country="CN")
    page = f"/web/institutions/{college['id']}"
    assert SITE not in text_of(web.get(page))
    assert sign_in(web, centre["api_key"]).status_code == 303
    assert SITE not in text_of(web.get(page))
    sent = web.post(
        f"{API}/meeting-requests",
        json={"to_institution_id": college["id"], "message": "Shall we meet?"},
        headers=bearer(centre["api_key"]),
    ).json()
    accept = f"{API}/meeting-requests/{sent['id']}/accept"
    assert web.post(accept, headers=bearer(college["api_key"])).status_code == 200
    assert SITE in text_of(web.get(page))

    # The college's edit form shows the mark; sent without it, the website is public.
    assert sign_in(web, college["api_key"]).status_code == 303
    form = web.get(f"{page}/edit")
    assert 'name="website_private" type="checkbox" value="on" checked' in form.text
    data = {
        "csrf_token": csrf_token(form),
        "name": "Kampot Polytechnic",
        "country": "KH",
        "kind": "college",
        "website": SITE,
    }
    saved = web.post(f"{page}/edit", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert web.get(f"{API}/institutions/{college['id']}").json()["website"] == SITE

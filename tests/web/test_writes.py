"""Writes made in the browser do what the same writes through the API do: a profile
edited on its page and a survey imported in the console raise the same saved-search
alerts and enqueue the same webhook events (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from service.config import Settings
from service.webhooks.models import WebhookEvent
from tests.conftest import ADMIN, ClientFactory, bearer, fresh_postgres_database
from tests.web.conftest import API, create, create_workshop, csrf_token, sign_in

Via = Literal["api", "web"]

ASKER = {
    "name": "Kampot Polytechnic",
    "country": "KH",
    "fields": ["CNC machining"],
    "needs": ["CNC teacher training"],
    "offers": ["student internships in the special economic zone"],
}
HOTEL = {"fields": ["tourism"], "needs": ["chef exchange"], "offers": ["hotel internships"]}
# Wuxi, first a hotel school, then edited into what the asker looks for.
WUXI_EDITED = {
    "name": "Wuxi Technical College",
    "country": "CN",
    "kind": "college",
    "city": None,
    "fields": ["CNC machining"],
    "needs": ["overseas student internships"],
    "offers": ["CNC teacher training programme"],
    "programs": [],
    "languages": ["zh", "en"],
    "description": "Machining and mechatronics.",
    "website": None,
    "contact_email": None,
    "existing_partners": [],
}
# The edit form sends every field, as text.
WUXI_FORM = {
    **{name: "" if value is None else value for name, value in WUXI_EDITED.items()},
    "fields": "CNC machining",
    "needs": "overseas student internships",
    "offers": "CNC teacher training programme",
    "programs": "",
    "languages": "zh, en",
    "existing_partners": "",
}
# The Guilin hotel school, as the workshop's first import creates it.
FIRST_SURVEY = (
    b"name,country,kind,fields,needs,offers\n"
    b"Guilin Vocational School,CN,college,tourism,chef exchange,hotel internships\n"
)
# A new college that fits, and Guilin answering as one that now fits. An import updates
# only profiles its workshop's imports created (and no key claimed), as Guilin's was.
SURVEY = (
    b"name,country,kind,fields,needs,offers\n"
    b"Survey CNC College,CN,college,CNC machining,overseas student internships,"
    b"CNC teacher training programme\n"
    b"Guilin Vocational School,CN,college,CNC machining,overseas student internships,"
    b"CNC teacher training programme\n"
)


@pytest.fixture
def quiet(settings: Settings) -> Settings:
    """No rate limits; the delivery worker idles, so the outbox is read as written."""
    return settings.model_copy(
        update={"rate_limit": "", "rate_limit_writes": "", "webhook_poll_seconds": 3600}
    )


@pytest.fixture
def other_database(quiet: Settings, request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The same settings on a second, empty database of the same kind."""
    if quiet.resolved_database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    return quiet.model_copy(update={"database_url": url})


def _without_times(value: Any) -> Any:
    """The value with every ``*_at`` timestamp left out (two runs differ only there)."""
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if not k.endswith("_at")}
    if isinstance(value, list):
        return [_without_times(item) for item in value]
    return value


def _edit_wuxi(client: TestClient, via: Via, wuxi: dict[str, Any]) -> None:
    if via == "api":
        answer = client.patch(
            f"{API}/institutions/{wuxi['id']}", json=WUXI_EDITED, headers=bearer(wuxi["api_key"])
        )
        assert answer.status_code == 200, answer.text
        return
    assert sign_in(client, wuxi["api_key"]).status_code == 303
    form = client.get(f"/web/institutions/{wuxi['id']}/edit")
    saved = client.post(
        f"/web/institutions/{wuxi['id']}/edit",
        data={**WUXI_FORM, "csrf_token": csrf_token(form)},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text


def _import_survey(
    client: TestClient, via: Via, workshop_id: int, organiser: str, survey: bytes
) -> None:
    if via == "api":
        answer = client.post(
            f"{API}/workshops/{workshop_id}/imports",
            content=survey,
            headers={**bearer(organiser), "content-type": "text/csv"},
        )
        assert answer.status_code == 201, answer.text
        return
    assert sign_in(client, organiser).status_code == 303
    console = client.get(f"/web/workshops/{workshop_id}")
    preview = client.post(
        f"/web/workshops/{workshop_id}/import",
        data={"csrf_token": csrf_token(console), "encoding": "utf-8"},
        files={"survey": ("survey.csv", survey, "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    content = re.search(r'name="content" value="([^"]+)"', preview.text)
    assert content
    applied = client.post(
        f"/web/workshops/{workshop_id}/import/apply",
        data={
            "csrf_token": csrf_token(preview),
            "content": content.group(1),
            "encoding": "utf-8",
            "filename": "survey.csv",
        },
        follow_redirects=False,
    )
    assert applied.status_code == 303, applied.text


def _scenario(client: TestClient, via: Via) -> tuple[list[Any], list[tuple[str, Any]]]:
    """Watch profiles, edit one into the results, import two surveys; return the asker's
    alerts and every event in the outbox, without timestamps."""
    hooks = {"url": "https://hooks.example.org/tvet", "events": ["institution.created"]}
    assert client.post(f"{API}/webhooks", json=hooks, headers=ADMIN).status_code == 201
    asker = create(client, **ASKER)
    # Alerts go only to the webhooks of the saved search's owner.
    hooks["events"] = ["institution.created", "institution.updated", "match.alert"]
    registered = client.post(f"{API}/webhooks", json=hooks, headers=bearer(asker["api_key"]))
    assert registered.status_code == 201, registered.text
    search = {"targets": ["institutions"], "min_score": 0.2}
    saved = client.post(f"{API}/saved-searches", json=search, headers=bearer(asker["api_key"]))
    assert saved.status_code == 201, saved.text
    wuxi = create(client, name="Wuxi Technical College", country="CN", **HOTEL)
    _edit_wuxi(client, via, wuxi)
    workshop_id, organiser = create_workshop(client)
    _import_survey(client, via, workshop_id, organiser, FIRST_SURVEY)
    _import_survey(client, via, workshop_id, organiser, SURVEY)
    alerts = client.get(f"{API}/alerts", headers=bearer(asker["api_key"])).json()["items"]
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        events = session.exec(select(WebhookEvent).order_by(col(WebhookEvent.id))).all()
        outbox = [(event.type, _without_times(event.payload)) for event in events]
    return _without_times(alerts), outbox


def test_browser_writes_raise_the_alerts_and_events_the_api_raises(
    make_client: ClientFactory, quiet: Settings, other_database: Settings
) -> None:
    through_api = _scenario(make_client(quiet), "api")
    through_pages = _scenario(make_client(other_database), "web")
    assert through_pages == through_api
    alerts, outbox = through_pages
    # Wuxi (2) entered by its edit; the survey's new college (4) and Guilin (3) by the import.
    assert sorted(alert["target_id"] for alert in alerts) == [2, 3, 4]
    assert all(alert["score"] >= 0.2 and alert["reasons"] for alert in alerts)
    assert [kind for kind, _ in outbox] == [
        "institution.created",
        "institution.created",
        "institution.updated",
        "match.alert",
        "institution.created",
        "institution.created",
        "institution.updated",
        "match.alert",
        "match.alert",
    ]
    edited = outbox[2][1]["institution"]
    assert (edited["id"], edited["offers"]) == (2, ["CNC teacher training programme"])
    alerted = [data["alert"]["target_id"] for kind, data in outbox if kind == "match.alert"]
    assert sorted(alerted) == [2, 3, 4]

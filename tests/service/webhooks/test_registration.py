"""Registering webhooks: http(s) URLs to public hosts only, and each owner sees and
deletes only its own."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.webhooks.addresses import TargetRefused
from service.webhooks.delivery import check_public_host
from tests.conftest import ADMIN, ClientFactory, bearer
from tests.service.webhooks import end_to_end
from tests.service.webhooks.end_to_end import (
    API,
    institution,
    register,
)
from tests.support.receiver import Receiver

settings = end_to_end.fast_delivery


def test_webhook_urls_must_be_http_and_public_unless_allowed(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"webhook_allow_private_targets": False}))
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "https://[::1]/", "http://10.0.0.7/"):
        refused = client.post(
            f"{API}/webhooks", json={"url": url, "events": ["match.alert"]}, headers=ADMIN
        )
        assert refused.status_code == 422, url
        assert refused.json()["errors"][0]["loc"] == ["body", "url"]
    for body in (
        {"url": "ftp://example.org/", "events": ["match.alert"]},
        {"url": "http://[::1/", "events": ["match.alert"]},
        {"url": "http://example.org:99999/", "events": ["match.alert"]},
        {"url": "https://example.org/", "events": []},
        {"url": "https://example.org/", "events": ["institution.deleted"]},
    ):
        assert client.post(f"{API}/webhooks", json=body, headers=ADMIN).status_code == 422
    assert client.get(f"{API}/webhooks", headers=ADMIN).json() == []
    assert (
        client.post(
            f"{API}/webhooks", json={"url": "https://example.org/", "events": ["match.alert"]}
        ).status_code
        == 401
    )


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"])
def test_delivery_refuses_hosts_that_are_not_public(host: str) -> None:
    with pytest.raises(TargetRefused, match="not a public address"):
        check_public_host(f"http://{host}:8080/hook")


def test_others_cannot_see_or_delete_a_webhook(client: TestClient, receiver: Receiver) -> None:
    owner = institution(client, "Owner College", "VN")
    intruder = institution(client, "Intruder College", "LA")
    hook = register(client, receiver.url, ["institution.created"], bearer(owner["api_key"]))
    as_intruder = bearer(intruder["api_key"])
    for method, path in (
        ("get", f"/webhooks/{hook['id']}"),
        ("delete", f"/webhooks/{hook['id']}"),
        ("get", f"/webhooks/{hook['id']}/deliveries"),
    ):
        response = client.request(method.upper(), f"{API}{path}", headers=as_intruder)
        assert response.status_code == 403, path
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"{API}/webhooks", headers=as_intruder).json() == []
    assert client.get(f"{API}/webhooks/{hook['id']}", headers=ADMIN).status_code == 200
    assert client.get(f"{API}/webhooks/99", headers=ADMIN).status_code == 404
    # The owner's other key may manage it, and delete it with its deliveries.
    second = client.post(
        f"{API}/institutions/{owner['id']}/keys", headers=bearer(owner["api_key"])
    ).json()
    assert (
        client.delete(f"{API}/webhooks/{hook['id']}", headers=bearer(second["key"])).status_code
        == 204
    )
    assert client.get(f"{API}/webhooks", headers=ADMIN).json() == []

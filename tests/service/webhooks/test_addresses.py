"""Webhook targets: every spelling of a private address is refused, and the address
checked is the address connected to, found once, under the name the HTTP client uses."""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trustme
from fastapi.testclient import TestClient

from service.config import Settings
from service.db import make_engine
from service.webhooks.addresses import is_public, registration_problem, resolve
from service.webhooks.backoff import Backoff
from service.webhooks.delivery import DeliveryWorker
from tests.conftest import ADMIN, ClientFactory
from tests.service.webhooks.end_to_end import API, deliveries, institution, register
from tests.support.receiver import running_receiver

# Each was accepted at registration before; the last three were even connected to.
PRIVATE_SPELLINGS = [
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "127.1",
    "0",
    "127。0。0。1",
    "１２７.０.０.１",
    "224.0.0.1",
    "[::127.0.0.1]",
    "[64:ff9b::7f00:1]",
    # and their relatives
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[2002:7f00:1::]",
    "[64:ff9b::a00:1]",
    "100.64.0.1",
    "169.254.169.254",
    "10.0.0.7",
    "[fe80::1]",
    "[ff02::1]",
    "localhost.",
    "LOCALHOST",
    "api.localhost",
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "webhook_poll_seconds": 0.05,
            "webhook_allow_private_targets": False,
            "rate_limit": "",
            "rate_limit_writes": "",
        }
    )


@pytest.mark.parametrize("host", PRIVATE_SPELLINGS)
def test_every_spelling_of_a_private_address_is_refused_at_registration(
    client: TestClient, host: str
) -> None:
    body = {"url": f"http://{host}:8080/hook", "events": ["institution.created"]}
    refused = client.post(f"{API}/webhooks", json=body, headers=ADMIN)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    (error,) = refused.json()["errors"]
    assert error["loc"] == ["body", "url"]
    assert client.get(f"{API}/webhooks", headers=ADMIN).json() == []


@pytest.mark.parametrize(
    "url",
    [
        "https://faß.example/hook",
        "https://93.184.216.34/hook",
        "https://[2001:4860:4860::8888]/hook",
        "https://[64:ff9b::808:808]/hook",
    ],
)
def test_public_names_and_addresses_are_accepted(client: TestClient, url: str) -> None:
    body = {"url": url, "events": ["institution.created"]}
    assert client.post(f"{API}/webhooks", json=body, headers=ADMIN).status_code == 201


def test_a_public_address_in_an_odd_spelling_is_asked_for_in_plain_form() -> None:
    assert registration_problem("http://134744072/") == "write the address in plain form (8.8.8.8)"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),
        ("127.0.0.1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("100.64.0.1", False),
        ("::127.0.0.1", False),
        ("::8.8.8.8", False),  # IPv4-compatible: deprecated, never a real destination
        ("64:ff9b::7f00:1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:c0a8:101::1", False),  # 6to4 around 192.168.1.1
        ("fd00::1", False),
        ("ff0e::1", False),
    ],
)
def test_is_public_looks_inside_addresses_that_carry_ipv4(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


Answers = dict[str, list[str]]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> Callable[[Answers], list[str]]:
    """Answer chosen names from a table (no DNS is reachable here); the rest as usual.

    Each lookup of a name takes the next answer of its list (the last one repeats), so a
    name can change its address between lookups, as in DNS rebinding. Yields a function
    that installs the table and returns the list of names looked up.
    """
    real = socket.getaddrinfo
    asked: list[str] = []

    def install(answers: Answers) -> list[str]:
        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            asked.append(name)
            if name in answers:
                queue = answers[name]
                address = queue.pop(0) if len(queue) > 1 else queue[0]
                return real(address, port, *args, **kwargs)
            if name.endswith(".example"):
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        return asked

    return install


def test_the_name_checked_is_the_idna_2008_name_the_client_connects_to(
    dns: Callable[[Answers], list[str]],
) -> None:
    # IDNA 2003 (Python's codec) reads faß.example as fass.example; httpx as xn--fa-hia.
    asked = dns({"xn--fa-hia.example": ["10.0.0.1"], "fass.example": ["93.184.216.34"]})
    with pytest.raises(Exception, match="address not allowed") as refused:
        resolve("http://faß.example/hook", allow_private=False)
    assert "10.0.0.1" not in str(refused.value)
    assert asked == ["xn--fa-hia.example"]


def _worker(settings: Settings, *, allow_private: bool) -> DeliveryWorker:
    return DeliveryWorker(
        make_engine(settings),
        dispose_engine=True,
        backoff=Backoff(base=60, max_attempts=3),
        allow_private_targets=allow_private,
        timeout_seconds=1,
    )


def _hook_with_one_delivery(make_client: ClientFactory, settings: Settings, url: str) -> Any:
    # Registered while private targets are allowed (names are not resolved then), then
    # sent by a worker of our own, which checks.
    client = make_client(settings.model_copy(update={"webhook_allow_private_targets": True}))
    client.app.state.deliveries.close()  # type: ignore[attr-defined]
    hook = register(client, url, ["institution.created"], ADMIN)
    institution(client, "Rebound College", "VN")
    return client, hook


def test_a_name_that_rebinds_after_the_check_is_not_connected_to(
    make_client: ClientFactory, settings: Settings, dns: Callable[[Answers], list[str]]
) -> None:
    with running_receiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        url = f"http://rebind.example:{port}/hooks"
        client, hook = _hook_with_one_delivery(make_client, settings, url)
        # Public when checked, loopback when looked up again.
        asked = dns({"rebind.example": ["93.184.216.34", "127.0.0.1"]})
        worker = _worker(settings, allow_private=False)
        assert worker.run_once() == 1
        worker.close()
        assert receiver.received == []
        assert asked.count("rebind.example") == 1
    (delivery,) = deliveries(client, hook["id"])
    (attempt,) = delivery["attempt_log"]
    assert attempt["status_code"] is None
    assert "127.0.0.1" not in attempt["error"]
    assert "93.184.216.34" not in attempt["error"]


def test_the_checked_address_is_connected_to_with_the_registered_host(
    make_client: ClientFactory, settings: Settings, dns: Callable[[Answers], list[str]]
) -> None:
    with running_receiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        url = f"http://hooks.example:{port}/hooks"
        client, hook = _hook_with_one_delivery(make_client, settings, url)
        # The first answer is the receiver; any later lookup would find nobody there.
        asked = dns({"hooks.example": ["127.0.0.1", "127.0.0.2"]})
        worker = _worker(settings, allow_private=True)
        assert worker.run_once() == 1
        worker.close()
        (got,) = receiver.received
        assert got.headers["host"] == f"hooks.example:{port}"
        assert asked.count("hooks.example") == 1
    assert deliveries(client, hook["id"])[0]["status"] == "delivered"


def test_the_delivery_log_does_not_say_what_an_internal_name_resolves_to(
    make_client: ClientFactory, settings: Settings, dns: Callable[[Answers], list[str]]
) -> None:
    client, hook = _hook_with_one_delivery(make_client, settings, "http://intranet.example/")
    dns({"intranet.example": ["10.20.30.40"]})
    worker = _worker(settings, allow_private=False)
    assert worker.run_once() == 1
    worker.close()
    (delivery,) = deliveries(client, hook["id"])
    (attempt,) = delivery["attempt_log"]
    assert attempt["error"] == "refused: address not allowed: the host is not a public address"
    assert "10.20.30.40" not in str(delivery)


def test_a_receiver_on_loopback_gets_its_delivery_when_private_targets_are_allowed(
    make_client: ClientFactory, settings: Settings
) -> None:
    with running_receiver() as receiver:
        client, hook = _hook_with_one_delivery(make_client, settings, receiver.url)
        worker = _worker(settings, allow_private=True)
        assert worker.run_once() == 1
        worker.close()
        (got,) = receiver.received
        assert got.headers["host"] == receiver.url.split("/")[2]
    assert deliveries(client, hook["id"])[0]["status"] == "delivered"


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.mark.parametrize(
    ("certified", "delivered"), [("hooks.example", True), ("other.example", False)]
)
def test_https_connects_to_the_checked_address_and_verifies_the_registered_name(
    make_client: ClientFactory,
    settings: Settings,
    dns: Callable[[Answers], list[str]],
    authority: trustme.CA,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    certified: str,
    delivered: bool,
) -> None:
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(certified).configure_cert(server)
    trusted = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(trusted))
    monkeypatch.setenv("SSL_CERT_FILE", str(trusted))  # the worker's client trusts our CA
    with running_receiver(tls=server) as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        client, hook = _hook_with_one_delivery(
            make_client, settings, f"https://hooks.example:{port}/hooks"
        )
        asked = dns({"hooks.example": ["127.0.0.1", "127.0.0.2"]})
        worker = _worker(settings, allow_private=True)
        assert worker.run_once() == 1
        worker.close()
        assert asked.count("hooks.example") == 1
        if delivered:  # the certificate names hooks.example: the TLS name was not the address
            (got,) = receiver.received
            assert got.headers["host"] == f"hooks.example:{port}"
        else:
            assert receiver.received == []
    (delivery,) = deliveries(client, hook["id"])
    if delivered:
        assert delivery["status"] == "delivered"
    else:
        assert "certificate" in delivery["attempt_log"][0]["error"].lower()
        assert "127.0.0.1" not in delivery["attempt_log"][0]["error"]

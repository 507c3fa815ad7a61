"""Operating the service: probes, metrics, request ids and JSON logs, CORS, database outages."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from service.config import Settings
from service.http.logs import configure_logging
from service.main import create_app
from tests.conftest import ADMIN, ClientFactory
from tests.service.http.test_http import serve_command

API = "/api/v1"
PROFILE = {"name": "Kampot Polytechnic", "country": "KH", "kind": "college", "needs": ["CNC"]}
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"  # port 1 refuses at once


def app_of(client: TestClient) -> FastAPI:
    app = client.app
    assert isinstance(app, FastAPI)
    return app


def is_problem(response: httpx.Response, status: int) -> bool:
    return (
        response.status_code == status
        and response.headers["content-type"] == "application/problem+json"
        and response.json()["status"] == status
    )


def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Return every metric sample, by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests_counted(client: TestClient, method: str, route: str, status: int) -> float:
    labels = frozenset({("method", method), ("route", route), ("status", str(status))})
    return samples(client).get(("tvetmatch_http_requests_total", labels), 0.0)


# -- probes ------------------------------------------------------------------------------


def test_probes_say_live_and_ready_with_the_index_size(client: TestClient) -> None:
    client.post(f"{API}/institutions", json=PROFILE)
    assert client.get("/livez").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "institutions": 1}
    assert client.get("/healthz").json() == {"status": "ok", "institutions": 1}


def test_not_ready_before_the_index_is_loaded(settings: Settings) -> None:
    client = TestClient(create_app(settings))  # lifespan not started: no engine, no index
    assert client.get("/livez").status_code == 200
    response = client.get("/readyz")
    assert is_problem(response, 503)
    assert "index" in response.json()["detail"]


def test_an_unreachable_database_answers_503_not_500(client: TestClient) -> None:
    app = app_of(client)
    reachable = app.state.engine
    app.state.engine = create_engine(UNREACHABLE)
    try:
        listing = client.get(f"{API}/institutions")
        assert is_problem(listing, 503)
        assert listing.json()["detail"] == "The database is unavailable; try again shortly."
        assert "127.0.0.1" not in listing.text
        assert is_problem(client.post(f"{API}/institutions", json=PROFILE), 503)
        assert is_problem(client.get("/readyz"), 503)
        assert client.get("/livez").status_code == 200
    finally:
        app.state.engine.dispose()
        app.state.engine = reachable


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_postgres_outage_answers_503_and_the_service_recovers(
    client: TestClient, settings: Settings, postgres_server: str
) -> None:
    assert settings.database_url is not None
    name = make_url(settings.database_url).database
    server = make_url(postgres_server).set(drivername="postgresql", database="postgres")
    assert client.post(f"{API}/institutions", json=PROFILE).status_code == 201
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as pg:
        pg.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        pg.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            assert is_problem(client.get(f"{API}/institutions"), 503)
            assert is_problem(client.get("/readyz"), 503)
            assert client.get("/livez").status_code == 200
        finally:
            pg.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert client.get(f"{API}/institutions").json()["total"] == 1
    assert client.get("/readyz").status_code == 200


def test_a_database_error_that_is_not_an_outage_stays_a_500(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/broken")
    def broken() -> None:
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    with TestClient(app, raise_server_exceptions=False) as client:
        assert is_problem(client.get("/broken"), 500)


# -- metrics -----------------------------------------------------------------------------


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    created = client.post(f"{API}/institutions", json=PROFILE).json()
    client.get(f"{API}/institutions/{created['id']}")
    client.get(f"{API}/institutions/{created['id'] + 1}")
    client.get("/no/such/path")
    route = f"{API}/institutions/{{institution_id}}"
    assert requests_counted(client, "POST", f"{API}/institutions", 201) == 1
    assert requests_counted(client, "GET", route, 200) == 1
    assert requests_counted(client, "GET", route, 404) == 1
    assert requests_counted(client, "GET", "unrouted", 404) == 1
    metrics = samples(client)
    assert not any(f"institutions/{created['id']}" in str(labels) for _, labels in metrics)
    latency = (
        "tvetmatch_http_request_duration_seconds_count",
        frozenset({("method", "GET"), ("route", route), ("status", "200")}),
    )
    assert metrics[latency] == 1


def test_metrics_report_the_index(client: TestClient) -> None:
    client.post(f"{API}/institutions", json=PROFILE)
    index = app_of(client).state.index
    metrics = samples(client)
    assert metrics[("tvetmatch_index_institutions", frozenset())] == 1
    assert metrics[("tvetmatch_index_refits_total", frozenset())] == index.refits >= 1
    assert metrics[("tvetmatch_index_last_refit_seconds", frozenset())] == pytest.approx(
        index.last_refit_seconds
    )


def test_two_apps_in_one_process_keep_their_own_metrics(
    make_client: ClientFactory, settings: Settings
) -> None:
    first = make_client(settings)
    second = make_client(settings)
    first.get("/livez")
    first.get("/livez")
    second.get("/livez")
    assert requests_counted(first, "GET", "/livez", 200) == 2
    assert requests_counted(second, "GET", "/livez", 200) == 1


# -- request ids and logs ----------------------------------------------------------------


def test_a_sane_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/livez", headers={"X-Request-ID": "Trace.id-42_x"})
    assert response.headers["X-Request-ID"] == "Trace.id-42_x"


@pytest.mark.parametrize(
    "sent", ["", "a" * 65, "has space", 'quote"d', "semi;colon", "通知".encode(), None]
)
def test_other_request_ids_are_replaced_by_a_new_one(
    client: TestClient, sent: str | bytes | None
) -> None:
    headers: dict[str, str | bytes] = {} if sent is None else {"X-Request-ID": sent}
    first = client.get("/livez", headers=headers).headers["X-Request-ID"]
    second = client.get("/livez", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_errors_carry_a_request_id_too(client: TestClient) -> None:
    response = client.get(f"{API}/institutions/999", headers={"X-Request-ID": "req-404"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "req-404"


@pytest.fixture
def configured_logging() -> Iterator[None]:
    """Let a test call configure_logging, then put the root logger back as it was."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    gathered = ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing")
    saved = {name: getattr(logging, name) for name in gathered}
    yield
    for name, value in saved.items():
        setattr(logging, name, value)
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.usefixtures("configured_logging")
def test_json_logs_name_the_request_in_every_record(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(settings)

    @app.get("/chatty")
    def chatty() -> dict[str, str]:  # sync: runs on a worker thread
        logging.getLogger("tests.chatty").info("working on it", extra={"step": 1})
        return {}

    with TestClient(app) as client:
        configure_logging("json", "INFO")
        client.get("/chatty", headers={"X-Request-ID": "req-7"})
        client.get("/livez")  # probes log at DEBUG only
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    mine = [line for line in lines if line["request_id"] == "req-7"]
    assert [line["logger"] for line in mine] == ["tests.chatty", "service.access"]
    chatty_line, access = mine
    assert chatty_line["message"] == "working on it"
    assert chatty_line["step"] == 1
    assert chatty_line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", access["timestamp"])
    assert access["method"] == "GET"
    assert access["path"] == "/chatty"
    assert access["status"] == 200
    assert isinstance(access["duration_ms"], float)
    assert not any(line.get("path") == "/livez" for line in lines)


@pytest.mark.usefixtures("configured_logging")
def test_text_logs_are_one_line_per_record(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("text", "INFO")
    client.get("/api/v1/institutions", headers={"X-Request-ID": "req-8"})
    logging.getLogger("tests").warning("outside any request")
    err = capsys.readouterr().err
    assert re.search(r" INFO service.access \[req-8\] GET /api/v1/institutions 200\n", err)
    assert " WARNING tests [-] outside any request" in err


def test_log_format_is_json_by_default_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().log_format == "json"
    monkeypatch.setenv("TVETMATCH_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="log_format"):
        Settings()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.http
def test_served_logs_are_json_lines_with_request_ids(tmp_path: Path) -> None:
    cli = shutil.which("tvet-match", path=str(Path(sys.executable).parent)) or "tvet-match"
    port = _free_port()
    env = {**os.environ, "TVETMATCH_DATA_DIR": str(tmp_path), "TVETMATCH_SEED_ON_EMPTY": "false"}
    for name in ("TVETMATCH_DATABASE_URL", "TVETMATCH_LOG_FORMAT"):
        env.pop(name, None)
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        serve_command(port, log_level="info", cli=cli),
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "the server exited"
            try:
                answer = httpx.get(f"{base}/livez", headers={"X-Request-ID": "from-test"})
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not answer in 60 s"
                time.sleep(0.2)
        assert answer.headers["X-Request-ID"] == "from-test"
        httpx.get(f"{base}{API}/institutions/1", headers={"X-Request-ID": "from-test"})
    finally:
        process.terminate()
        _, err = process.communicate(timeout=15)
    lines: list[dict[str, Any]] = [json.loads(line) for line in err.splitlines()]
    assert any(line["logger"] == "uvicorn.error" for line in lines)
    (access,) = [line for line in lines if line["logger"] == "service.access"]
    assert access["request_id"] == "from-test"
    assert access["status"] == 404
    assert not any(line["logger"] == "uvicorn.access" for line in lines)


# -- CORS --------------------------------------------------------------------------------


def test_no_cors_headers_by_default(client: TestClient) -> None:
    response = client.get(f"{API}/institutions", headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_the_configured_origins(make_client: ClientFactory, settings: Settings) -> None:
    client = make_client(settings.model_copy(update={"cors_origins": ["https://tvet.example"]}))
    allowed = client.get(f"{API}/institutions", headers={"Origin": "https://tvet.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://tvet.example"
    assert "X-Request-ID" in allowed.headers["access-control-expose-headers"]
    other = client.get(f"{API}/institutions", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options(
        f"{API}/institutions/1",
        headers={
            "Origin": "https://tvet.example",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    assert client.patch(f"{API}/institutions/1", json={}, headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        ("https://a.example, https://b.example", ["https://a.example", "https://b.example"]),
        ('["https://a.example"]', ["https://a.example"]),
        ("", []),
    ],
)
def test_cors_origins_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, origins: list[str]
) -> None:
    monkeypatch.setenv("TVETMATCH_CORS_ORIGINS", value)
    assert Settings().cors_origins == origins

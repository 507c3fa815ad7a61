"""A real ``tvet-match serve`` on loopback, seeded with the demo, for the client tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ADMIN_TOKEN, fresh_postgres_database
from tests.support.forked import Forker
from tests.support.server import Server, load_seed, running_server, server_env

SAMPLE_SURVEY = Path(__file__).resolve().parents[3] / "seed" / "survey_sample.csv"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, forker: Forker
) -> Iterator[Server]:
    """One seeded server per test module and database (the tests share its data)."""
    database_url = None
    if request.param == "postgres":
        database_url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    folder = tmp_path_factory.mktemp(f"live-{request.param}")
    env = server_env(data_dir=folder / "data", database_url=database_url)
    load_seed(env, folder / "seed.log", forker=forker)
    with running_server(env, folder / "server.log", forker=forker) as server:
        yield server


@pytest.fixture
def admin_token() -> str:
    """The admin token every test server is started with."""
    return ADMIN_TOKEN

"""The servers that the schemathesis tests fuzz, and the database each starts on a copy of.

A fuzzed server has the rate limits a deployment has by default, and a database holding
the demo seed and a workshop with a pairing run and a timetable. That database is made
once (``seed_database``), then left alone: every server gets a copy of its own
(``SeededDatabase.copy_into``), so what a test meets does not depend on what another
test sent before it, nor on the order in which pytest-xdist hands the tests out.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from tests.conftest import ADMIN, fresh_postgres_database
from tests.support.forked import Forker
from tests.support.server import server_env, start_server
from tests.web.conftest import create_workshop

API = "/api/v1"
DATABASE_FILE = "tvet-match.sqlite3"  # a SQLite server's database, in its data folder
# Fitting the seed's index on a CI machine busy with other jobs can take a while.
READY_WITHIN = 240.0


def fuzzed_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of a fuzzed server: its rate limits as a deployment has them."""
    env = server_env(data_dir=data_dir, database_url=database_url)
    for unset in ("TVETMATCH_RATE_LIMIT", "TVETMATCH_RATE_LIMIT_WRITES"):
        del env[unset]  # the defaults
    env.update(
        TVETMATCH_SEED_ON_EMPTY="false",
        TVETMATCH_WEBHOOK_POLL_SECONDS="0",  # never post to the URLs the fuzzer registers
        # The schema's boundary values (1 table, 3 alternates each) give timetables whose
        # better-than-greedy search runs to its limit: 5 s a request by default, 25 s of
        # the pairings group. What is checked is the answer's form, not its optimality.
        TVETMATCH_SCHEDULE_SECONDS="0.2",
    )
    return env


@dataclass(frozen=True)
class SeededDatabase:
    """A seeded database that no server holds open, to be copied for each server.

    On SQLite, ``template`` is a folder holding the database file (a server's data folder
    once copied); on PostgreSQL, ``template`` is the name of a database on ``postgres``.
    """

    template: Path | str
    postgres: str | None = None

    def copy_into(self, data_dir: Path) -> dict[str, str]:
        """Copy the database for a new server in ``data_dir``; return that server's env."""
        if isinstance(self.template, Path):
            shutil.copytree(self.template, data_dir)
            return fuzzed_env(data_dir, None)
        assert self.postgres is not None
        data_dir.mkdir()
        copy = fresh_postgres_database(self.postgres, template=self.template)
        return fuzzed_env(data_dir, copy)


def seed_database(folder: Path, forker: Forker, postgres: str | None) -> SeededDatabase:
    """Seed a database (on the ``postgres`` server if given, else SQLite) in ``folder``.

    A server started on it adds the workshop through the API, as an organiser would, and
    is stopped before the database is taken as the template.
    """
    data_dir = folder / "seeding"
    data_dir.mkdir()
    database_url = fresh_postgres_database(postgres) if postgres else None
    env = fuzzed_env(data_dir, database_url)
    seeding = forker.start(["seed"], env, folder / "seed.log")
    assert seeding.wait(timeout=120) == 0, (folder / "seed.log").read_text()
    server = start_server(env, folder / "server.log", ready_within=READY_WITHIN, forker=forker)
    try:
        _add_a_workshop(server.url)
    finally:
        server.stop()
    if database_url is None:
        template = folder / "template"
        _copy_sqlite_database(data_dir, template)
        return SeededDatabase(template)
    return SeededDatabase(str(make_url(database_url).database), postgres)


def _add_a_workshop(url: str) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        assert create_workshop(client, "Fuzzed workshop")[0] == 1
    steps = [
        ("PUT", "/workshops/1/participants", {"institution_ids": list(range(1, 41))}, 204),
        ("POST", "/workshops/1/pairings", {"max_partners": 2}, 201),
        ("POST", "/workshops/1/pairings/1/schedule", {"starts_at": "2026-05-13T14:00"}, 201),
    ]
    with httpx.Client(base_url=f"{url}{API}", headers=ADMIN, timeout=60) as client:
        for method, path, body, expected in steps:
            response = client.request(method, path, json=body)
            assert response.status_code == expected, response.text


def _copy_sqlite_database(data_dir: Path, template: Path) -> None:
    # SQLite's backup API: one consistent file, whatever is left in a write-ahead log.
    template.mkdir()
    with (
        closing(sqlite3.connect(data_dir / DATABASE_FILE)) as source,
        closing(sqlite3.connect(template / DATABASE_FILE)) as copy,
    ):
        source.backup(copy)

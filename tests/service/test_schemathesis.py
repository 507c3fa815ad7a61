"""The whole HTTP API against its own OpenAPI schema, with generated requests (schemathesis).

A real ``tvet-match serve`` on loopback answers, as a user's client meets it: requests go
over a socket through uvicorn, with the default rate limits on, to a database holding the
demo seed and a workshop with a pairing run and a timetable. Requests carry the admin
token so that mutating routes run too. Every check is on: no 500, status codes, content
types, headers and bodies as documented, a key refused where the schema requires one, 405
with a true ``Allow``, valid input accepted and invalid input refused.

Two tests:

- every operation alone, with examples from the schema, boundary values ("coverage") and
  generated requests (``EXAMPLES_PER_OPERATION`` each);
- chains of calls that follow the OpenAPI links (create, then read, change and delete
  what was created), so that the checks that need real ids (use-after-free,
  ensure_resource_availability, ignored_auth on a stored resource) get them. Each chain
  has a server of its own, started on a copy of the seeded database (the test says why).

Rate limits are those a deployment gets by default. The admin token is not limited (as
``docs/security.md`` says), but the checks also send requests without a key or with a
malformed one, which count against the loopback address. On a 429 this client does what
a well-behaved client does: it waits as long as ``Retry-After`` says and sends the
request again (up to ``RETRIES_AFTER_429`` times), so every request gets the answer the
check is about. Spreading the requests over several keys would instead hide the limit
from the test. The one exception is the ignored_auth check's own probes, which
schemathesis sends without this client: a 429 to them is inconclusive (see
``_is_a_rate_limited_probe``). The schema itself is fetched with the admin token.

Time: PostgreSQL gets only the invalid boundary values (U+0000 in text, integers beyond
its 32-bit columns: what PostgreSQL alone refuses). The service's own rules are the same
on either database and are tried on SQLite, where the stateful phase runs too.
Generation is deterministic (fixed seed, derandomized) and bounded, so a failure
reproduces.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
import schemathesis.generation.case
from schemathesis.checks import CheckContext
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import IgnoredAuth

from service.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from service.http.idempotency import KEY_PATTERN
from tests.conftest import ADMIN, ADMIN_TOKEN, fresh_postgres_database
from tests.support.server import FreshServers, Server, load_seed, server_env, start_server
from tests.web.conftest import create_workshop

API = "/api/v1"
EXAMPLES_PER_OPERATION = 4
CHAINS = 9  # scenarios of the stateful phase, each on a server of its own
STEPS_PER_CHAIN = 8
DATABASE_FILE = "tvet-match.sqlite3"  # a SQLite server's database, in its data folder
LONGEST_WAIT = 60.0  # the longest Retry-After the limits can give (a one-minute window)
RETRIES_AFTER_429 = 3

# Input rules a JSON schema cannot state, so valid-looking input is refused with 422 for a
# reason the schema cannot know: ids must name stored institutions or participants (the
# ids themselves are schema-valid numbers), dates and partner counts must be in order
# across fields, a workshop needs participants before pairing, a time zone must be in the
# installed IANA database (not listed in the schema: it differs between machines).
STATEFUL_INPUT = [
    "create_institution",
    "create_institutions",
    "update_institution",
    "create_workshop",
    "update_workshop",
    "set_participants",
    "run_pairing",
    "record_outcome",
    # The pairs an adjustment names must be pairs of that run; so must the participants a
    # schedule marks unavailable.
    "adjust_pairing",
    "make_schedule",
    # An admin must name the institution, which must exist; deadlines must be in the
    # future; interest needs an open opportunity the institution is eligible for; webhook
    # URLs must be public addresses.
    "create_opportunity",
    "update_opportunity",
    "express_interest",
    "create_saved_search",
    "create_webhook",
    # The sender and the recipient must be stored institutions (an admin names the sender);
    # an admin lists the requests of an institution it names.
    "create_meeting_request",
    "list_meeting_requests",
    # Only a participant's own key reports, on a partner of its own pairs (the admin's key
    # is refused 403).
    "report_own_outcome",
]
# Reminders, invitations and claims need a mail server, which this app has not: 503, as
# documented, by design.
NEEDS_MAIL = ["send_reminders", "invite_institution", "create_claim"]
# The survey import takes any bytes as its body ("string" in the schema): what makes a
# good survey is the CSV inside, checked row by row (tests/service/workshops/test_imports.py), so
# neither "valid" nor "invalid" bodies can be generated from the schema.
RAW_BODY = ["import_survey"]
# A cursor is valid only if the service gave it out, and only without `offset`: no schema
# can say so, and a generated one is refused (422 naming `cursor`).
OPAQUE_CURSOR = [
    "list_institutions",
    "list_participants",
    "list_pairings",
    "list_keys",
    "list_opportunities",
    "list_interest",
    "list_saved_searches",
    "list_alerts",
    "list_deliveries",
    "list_invitations",
    "list_claims",
]
# A generated If-Match names no stored version, so the write is refused with 412.
CONDITIONAL = ["delete_institution"]

CONFIG: dict[str, Any] = {
    "seed": 20260512,
    # A timing-based health check would make a slow CI machine fail the run.
    "suppress-health-check": ["too_slow"],
    # As the scheme's own credentials (not a fixed header): operations with header
    # parameters of their own (Idempotency-Key, If-Match) still count the key as given.
    "auth": {"openapi": {"HTTPBearer": {"bearer": ADMIN_TOKEN}}},
    "generation": {
        "deterministic": True,
        "max-examples": EXAMPLES_PER_OPERATION,
        "database": "none",
    },
    "operations": [
        {
            "include-operation-id": STATEFUL_INPUT + RAW_BODY + OPAQUE_CURSOR,
            "checks": {"positive_data_acceptance": {"enabled": False}},
        },
        {
            "include-operation-id": CONDITIONAL,
            "checks": {
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "412", "429"]
                }
            },
        },
        {
            "include-operation-id": RAW_BODY,
            "checks": {"negative_data_rejection": {"enabled": False}},
        },
        {
            "include-operation-id": NEEDS_MAIL,
            "checks": {
                "not_a_server_error": {"enabled": False},
                "positive_data_acceptance": {"enabled": False},
            },
        },
    ],
}
# On PostgreSQL: the invalid boundary values only, nothing generated at random, no chains.
POSTGRES_PHASES = {
    "examples": {"enabled": False},
    "fuzzing": {"enabled": False},
    "stateful": {"enabled": False},
    "coverage": {"generation": {"mode": "negative"}},
}


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


def _fuzzed_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of a fuzzed server: its rate limits as a deployment has them."""
    env = server_env(data_dir=data_dir, database_url=database_url)
    for unset in ("TVETMATCH_RATE_LIMIT", "TVETMATCH_RATE_LIMIT_WRITES"):
        del env[unset]  # the defaults
    env.update(
        TVETMATCH_SEED_ON_EMPTY="false",
        TVETMATCH_WEBHOOK_POLL_SECONDS="0",  # never post to the URLs the fuzzer registers
    )
    return env


def _template_of(server: Server) -> Path:
    """The folder holding the copy of a SQLite server's database taken before any test ran."""
    return server.log.parent / "template"


def _copy_database(data_dir: Path, template: Path) -> None:
    # SQLite's online backup: a consistent copy while the server holds the file in WAL mode.
    template.mkdir()
    with (
        closing(sqlite3.connect(data_dir / DATABASE_FILE)) as source,
        closing(sqlite3.connect(template / DATABASE_FILE)) as copy,
    ):
        source.backup(copy)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A seeded server with a workshop, its rate limits as a deployment has them.

    On SQLite, the database as it is before any test is kept (``_template_of``) for the
    chains, which each start from it.
    """
    data_dir = tmp_path_factory.mktemp(f"fuzzed-{request.param}")
    database_url = (
        fresh_postgres_database(request.getfixturevalue("postgres_server"))
        if request.param == "postgres"
        else None
    )
    env = _fuzzed_env(data_dir, database_url)
    load_seed(env)
    # Fitting the seed's index on a CI machine busy with other jobs can take a while.
    server = start_server(env, data_dir / "server.log", ready_within=240)
    try:
        _add_a_workshop(server.url)
        if database_url is None:
            _copy_database(data_dir, _template_of(server))
        yield server
    finally:
        server.stop()


def _schema_of(server: Server, database: str) -> schemathesis.BaseSchema:
    config = dict(CONFIG)
    if database == "postgres":
        config["phases"] = POSTGRES_PHASES
    return schemathesis.openapi.from_url(
        f"{server.url}/openapi.json",
        config=schemathesis.Config.from_dict(config),
        headers=ADMIN,
    )


def _confirm_each_operations_auth_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let ``ignored_auth`` probe an operation until it has once refused both probes.

    The check answers a successful request with two more of its own, without the key and
    with a wrong one. Schemathesis' runner sends them until the operation has refused both
    once in the run ("enforcement is a property of the operation, so one confirmation per
    run is enough", its code says); its pytest integration keeps no such record, so every
    successful case sent both again. Those requests count against the loopback address:
    the run met the rate limit 20 times and waited 179 s for it. The record, kept here as
    the runner keeps it, is shared by the test's checks.
    """
    confirmed: set[str] = set()
    monkeypatch.setattr(
        schemathesis.generation.case,
        "CheckContext",
        functools.partial(CheckContext, auth_enforced_operations=confirmed),
    )


@pytest.fixture
def api_schema(
    request: pytest.FixtureRequest, served: Server, monkeypatch: pytest.MonkeyPatch
) -> schemathesis.BaseSchema:
    """The live schema, as the server gives it out."""
    # schemathesis 4.32 names each operation's report through `node._nodeid`, which
    # pytest 9.2 no longer has; give it the node id it would have read.
    if not hasattr(request.node, "_nodeid"):
        setattr(request.node, "_nodeid", request.node.nodeid)  # noqa: B010
    _confirm_each_operations_auth_once(monkeypatch)
    return _schema_of(served, request.node.callspec.params["served"])


schema = schemathesis.pytest.from_fixture("api_schema")


def _fresh_idempotency_key(case: schemathesis.Case[Any]) -> None:
    """Send a well-formed Idempotency-Key as a client would: a new one for each request.

    Generated values repeat ("0", "!"), and a key sent again with another request is
    refused (422) by design: a rule of use that no schema can state. A malformed key is
    left as generated, to be refused.
    """
    headers: Any = case.headers or {}
    key = headers.get(IDEMPOTENCY_HEADER)
    if isinstance(key, str) and re.fullmatch(KEY_PATTERN, key.strip()):
        headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())


def _call_as_a_client(case: schemathesis.Case[Any], **kwargs: Any) -> Any:
    """Send the request; after a 429, wait as long as Retry-After says and send it again."""
    _fresh_idempotency_key(case)
    response = case.call(**kwargs)
    for _ in range(RETRIES_AFTER_429):
        if response.status_code != 429:
            break
        time.sleep(min(float(response.headers["retry-after"][0]), LONGEST_WAIT))
        _fresh_idempotency_key(case)
        response = case.call(**kwargs)
    return response


def _is_a_rate_limited_probe(failure: Exception) -> bool:
    # The ignored_auth check's own requests, sent without the key, count against the
    # address; a 429 to them says nothing of whether the key is enforced, as a redirect
    # says nothing to schemathesis. The check runs again on the operation's next case.
    return isinstance(failure, IgnoredAuth) and "got `429 " in failure.message


def _validated(validate: Callable[[], object]) -> None:
    """Run the checks; fail unless every failure is a rate-limited ignored_auth probe."""
    try:
        validate()
    except FailureGroup as group:
        if not all(_is_a_rate_limited_probe(failure) for failure in group.exceptions):
            raise


@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case: schemathesis.Case[Any]) -> None:
    response = _call_as_a_client(case)
    _validated(lambda: case.validate_response(response))


@pytest.mark.parametrize("served", ["sqlite"], indirect=True)
def test_chains_along_the_links_answer_as_the_schema_says(served: Server, tmp_path: Path) -> None:
    """Each chain runs on a server of its own, started on a copy of the seeded database.

    A chain's calls change what the server holds (names taken, daily caps counted, ids
    given out, rate-limit windows), so a chain run again against one long-lived server
    meets another state: other links are followed, and Hypothesis stops on an
    inconsistent replay (FlakyStrategyDefinition) instead of reporting the failure. A
    reset of the running server would need a route that the product must not have, and
    would leave its index and limiter as they were; so every chain gets a new ``tvet-match
    serve`` on a fresh copy of the database, started while the chain before it runs. The
    servers are forked from one process that imported the service once
    (``tests.support.forked``): importing took most of a start, and the run starts 19.

    Shrinking is off: it would replay chains by the dozen, each on a new server. A failure
    is reported with the chain as it ran (at most ``STEPS_PER_CHAIN`` calls, printed by
    Hypothesis with each call's curl command), and it reproduces: generation is
    deterministic and every chain starts from the same database.
    """
    api = _schema_of(served, "sqlite")
    servers = FreshServers(_template_of(served), _fuzzed_env(tmp_path, None), tmp_path)

    class Chains(api.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.server = servers.take()

        def teardown(self) -> None:
            self.server.stop()

        def get_call_kwargs(self, case: schemathesis.Case[Any]) -> dict[str, Any]:
            return {"base_url": api.get_base_url().replace(served.url, self.server.url)}

        def call(self, case: schemathesis.Case[Any], **kwargs: Any) -> Any:
            return _call_as_a_client(case, **kwargs)

        def validate_response(
            self, response: Any, case: schemathesis.Case[Any], **kwargs: Any
        ) -> None:
            _validated(lambda: super(Chains, self).validate_response(response, case, **kwargs))

    try:
        Chains.run(
            settings=hypothesis.settings(
                max_examples=CHAINS,
                stateful_step_count=STEPS_PER_CHAIN,
                phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(hypothesis.HealthCheck),
            )
        )
    finally:
        servers.close()


@pytest.mark.parametrize("served", ["sqlite"], indirect=True)
def test_every_created_resource_links_to_its_operations(served: Server) -> None:
    # The first request for the document builds it: seconds on a busy machine (the default
    # 5 s timeout once ran out under two workers).
    document = httpx.get(f"{served.url}/openapi.json", headers=ADMIN, timeout=60).json()
    operations = {
        operation["operationId"]: operation
        for path_item in document["paths"].values()
        for operation in path_item.values()
    }
    linked = set()
    for operation in operations.values():
        for link in operation["responses"].get("201", {}).get("links", {}).values():
            target = operations[link["operationId"]]
            names = {parameter["name"] for parameter in target.get("parameters", [])}
            assert set(link["parameters"]) <= names
            linked.add(link["operationId"])
    for resource in ("institution", "workshop", "opportunity", "saved_search", "webhook"):
        assert f"read_{resource}" in linked
    assert {"read_meeting_request", "delete_webhook", "update_institution"} <= linked

"""The whole HTTP API against its own OpenAPI schema, with generated requests (schemathesis).

A real ``tvet-match serve`` on loopback answers, as a user's client meets it: requests go
over a socket through uvicorn, with the default rate limits on, to a database holding the
demo seed and a workshop with a pairing run and a timetable. Every server starts on a
copy of one such database (``seeded``), so what a test meets does not depend on what ran
before it. Requests carry the admin token so that mutating routes run too. Every check is
on: no 500, status codes, content types, headers and bodies as documented, a key refused
where the schema requires one, 405 with a true ``Allow``, valid input accepted and invalid
input refused.

Two tests:

- every operation alone, with examples from the schema, boundary values ("coverage") and
  generated requests (``EXAMPLES_PER_OPERATION`` each; what is configured, operation by
  operation, is in ``tests.support.api_fuzzing``). The operations are tested in groups
  (``OPERATION_GROUPS``), each a test item with a server of its own, so that
  pytest-xdist spreads them over the workers (as one item, they kept one core busy for
  five minutes while the other idled); every operation is in exactly one group
  (``test_the_groups_take_every_operation_once``);
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
on either database and are tried on SQLite, where the stateful phase runs too. Of the
valid values of an enum longer than the service's own (the ISO country and language
codes), some are sent, not all: ``sample_long_enums`` in ``tests.support.api_fuzzing``
says which and why; every invalid value still is. Generation is deterministic (fixed
seed, derandomized) and bounded, so a failure reproduces.
"""

from __future__ import annotations

import functools
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import schemathesis.generation.case
from schemathesis.checks import CheckContext
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.openapi.checks import IgnoredAuth

from service.config import Settings
from service.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from service.http.idempotency import KEY_PATTERN
from service.main import create_app
from tests.conftest import ADMIN
from tests.support.api_fuzzing import OPERATION_GROUPS, fuzzing_config, sample_long_enums
from tests.support.forked import Forker
from tests.support.fuzzed_servers import READY_WITHIN, SeededDatabase, fuzzed_env, seed_database
from tests.support.server import FreshServers, Server, start_server

CHAINS = 6  # scenarios of the stateful phase, each on a server of its own
STEPS_PER_CHAIN = 8
LONGEST_WAIT = 60.0  # the longest Retry-After the limits can give (a one-minute window)
RETRIES_AFTER_429 = 3


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, forker: Forker
) -> SeededDatabase:
    """The database every server of the module starts on a copy of."""
    postgres = request.getfixturevalue("postgres_server") if request.param == "postgres" else None
    return seed_database(tmp_path_factory.mktemp(f"seeded-{request.param}"), forker, postgres)


@pytest.fixture
def served(seeded: SeededDatabase, forker: Forker, tmp_path: Path) -> Iterator[Server]:
    """A server of the test's own, on a fresh copy of the seeded database."""
    env = seeded.copy_into(tmp_path / "data")
    server = start_server(env, tmp_path / "server.log", ready_within=READY_WITHIN, forker=forker)
    try:
        yield server
    finally:
        server.stop()


def _schema_of(server: Server, config: schemathesis.Config) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json", config=config, headers=ADMIN)


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


@pytest.fixture(params=list(OPERATION_GROUPS))
def api_schema(
    request: pytest.FixtureRequest, served: Server, monkeypatch: pytest.MonkeyPatch
) -> schemathesis.BaseSchema:
    """The live schema, as the server gives it out, over one group of operations."""
    # schemathesis 4.32 names each operation's report through `node._nodeid`, which
    # pytest 9.2 no longer has; give it the node id it would have read.
    if not hasattr(request.node, "_nodeid"):
        setattr(request.node, "_nodeid", request.node.nodeid)  # noqa: B010
    _confirm_each_operations_auth_once(monkeypatch)
    api = _schema_of(served, fuzzing_config(request.node.callspec.params["seeded"], request.param))
    sample_long_enums(api)
    return api


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


@pytest.mark.parametrize("seeded", ["sqlite"], indirect=True)
def test_chains_along_the_links_answer_as_the_schema_says(
    seeded: SeededDatabase, served: Server, forker: Forker, tmp_path: Path
) -> None:
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
    assert isinstance(seeded.template, Path)
    api = _schema_of(served, fuzzing_config("sqlite"))
    servers = FreshServers(seeded.template, fuzzed_env(tmp_path, None), tmp_path, forker=forker)

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


def test_every_created_resource_links_to_its_operations(tmp_path: Path) -> None:
    # The app's own document, as its /openapi.json gives it out: no server (nor seeded
    # database) is needed to read it.
    document = create_app(Settings(data_dir=tmp_path)).openapi()
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


def test_the_groups_take_every_operation_once(tmp_path: Path) -> None:
    """Each operation of the app's schema is in exactly one group: a new route left out of
    ``OPERATION_GROUPS`` would otherwise go untested, and one in two groups tested twice."""
    document = create_app(Settings(data_dir=tmp_path)).openapi()

    def operations(config: schemathesis.Config) -> list[str]:
        labels = []  # "GET /api/v1/...", one per operation
        for result in schemathesis.openapi.from_dict(document, config=config).get_all_operations():
            assert isinstance(result, Ok), result
            labels.append(result.ok().label)
        return labels

    every = operations(fuzzing_config("sqlite"))
    taken = [
        label for group in OPERATION_GROUPS for label in operations(fuzzing_config("sqlite", group))
    ]
    untaken = set(every) - set(taken)
    twice = {label for label, count in Counter(taken).items() if count > 1}
    assert (untaken, twice) == (set(), set())
    assert len(every) > 70  # the schema's operations, not some of them

"""The whole HTTP API against its own OpenAPI schema, with generated requests (schemathesis).

Each operation receives requests built from the live schema, valid and invalid, sent with
the admin token so that mutating routes run too, in-process through the ASGI app with its
lifespan started, on a database holding the demo seed and a workshop with a pairing run
and a timetable. Every check is on: no 500, status codes, content types, headers and
bodies as documented, a key refused where the schema requires one, 405 with a true
``Allow``, valid input accepted and invalid input refused (the checks that need a chain
of calls, such as use-after-free, have none to look at here). Generation is deterministic
(fixed seed, derandomized) and bounded, so a failure reproduces.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.config import Settings
from service.db import make_engine, session_scope
from service.http.idempotency import HEADER as IDEMPOTENCY_HEADER
from service.http.idempotency import KEY_PATTERN
from service.institutions.seeding import load_seed
from service.main import create_app
from service.migrations.runner import upgrade
from tests.conftest import ADMIN, ADMIN_TOKEN

API = "/api/v1"
EXAMPLES_PER_OPERATION = 20

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
    # The pairs an adjustment names must be pairs of that run.
    "adjust_pairing",
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
# Reminders need a mail server, which this app has not: 503, as documented, by design.
NEEDS_MAIL = ["send_reminders"]
# The survey import takes any bytes as its body ("string" in the schema): what makes a
# good survey is the CSV inside, checked row by row (tests/service/workshops/test_imports.py), so
# neither "valid" nor "invalid" bodies can be generated from the schema.
RAW_BODY = ["import_survey"]
# A cursor is valid only if the service gave it out, and only without `offset`: no schema
# can say so, and a generated one is refused (422 naming `cursor`).
OPAQUE_CURSOR = ["list_institutions", "list_participants", "list_pairings", "list_keys"]
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


def _config_for(database_url: str) -> dict[str, Any]:
    if database_url.startswith("sqlite"):
        return CONFIG
    # Valid boundary values ("coverage" phase, positive) take most of the run and try the
    # service's own rules, the same on either database. On PostgreSQL only the invalid ones
    # are sent (U+0000 in text, integers beyond its 32-bit columns: what PostgreSQL alone
    # refuses), with the generated examples, at a fraction of the time.
    return {**CONFIG, "phases": {"coverage": {"generation": {"mode": "negative"}}}}


def _seed_database(settings: Settings) -> None:
    engine = make_engine(settings)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            load_seed(session=session)
    finally:
        engine.dispose()


def _add_a_workshop(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        workshop = {
            "name": "Fuzzed workshop",
            "starts_on": "2026-05-12",
            "ends_on": "2026-05-13",
            "time_zone": "Asia/Phnom_Penh",
        }
        steps = [
            ("POST", "/workshops", workshop, 201),
            ("PUT", "/workshops/1/participants", {"institution_ids": list(range(1, 41))}, 204),
            ("POST", "/workshops/1/pairings", {"max_partners": 2}, 201),
            ("POST", "/workshops/1/pairings/1/schedule", {"starts_at": "2026-05-13T14:00"}, 201),
        ]
        for method, path, body, expected in steps:
            response = client.request(method, f"{API}{path}", json=body, headers=ADMIN)
            assert response.status_code == expected, response.text


@pytest.fixture
def api_schema(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> schemathesis.BaseSchema:
    """The live schema of an app on a seeded database, its lifespan run by schemathesis."""
    # schemathesis 4.32 names each operation's report through `node._nodeid`, which
    # pytest 9.2 no longer has; give it the node id it would have read.
    if not hasattr(request.node, "_nodeid"):
        setattr(request.node, "_nodeid", request.node.nodeid)  # noqa: B010
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        seed_on_empty=False,
        admin_token=SecretStr(ADMIN_TOKEN),
        rate_limit="",  # thousands of requests from one caller, by design
        rate_limit_writes="",
        webhook_poll_seconds=0,  # never post to the URLs the fuzzer registers
    )
    _seed_database(settings)
    _add_a_workshop(settings)
    config = schemathesis.Config.from_dict(_config_for(database_url))
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings), config=config)


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


@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case: schemathesis.Case[Any]) -> None:
    _fresh_idempotency_key(case)
    case.call_and_validate()

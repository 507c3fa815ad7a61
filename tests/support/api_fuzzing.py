"""What the schemathesis tests send and check, operation by operation.

The checks are schemathesis' own, every one on; what is configured here is where a check
cannot hold for a reason the schema cannot state (each list says why), how many requests
are generated, and the groups in which the operations are tested alone
(``tests/service/test_schemathesis.py`` says how the tests use them).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import schemathesis
from schemathesis.generation.meta import CoveragePhaseData
from schemathesis.generation.modes import GenerationMode

from tests.conftest import ADMIN_TOKEN

EXAMPLES_PER_OPERATION = 4
# The coverage phase sends one valid request per value of an enum. The service's own
# enums have at most 15 values and each names a behaviour: all are sent. The ISO code
# lists (248 countries, 184 languages) are enums in the schema too, and one request per
# code, for each of the 17 fields and parameters that take one, made 3,900 of the 6,300
# coverage requests of the two slowest groups. The service checks a code against its
# table and stores it, the same way whatever the code; so of a longer enum the first
# ``WHOLE_ENUM`` values are sent and then every ``WHOLE_ENUM``-th (31 countries, 27
# languages). Invalid codes are still all sent: they are the negative cases.
WHOLE_ENUM = 16

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
# The operations alone are tested in groups, each a test item with a server of its own, so
# that pytest-xdist spreads them over the workers. Few, since each starts a server; and
# each with few writes: the checks' requests without a key (or with a wrong one) count
# against the loopback address, and past 30 writes in a minute the group waits as long as
# Retry-After says. In three groups (by tag) of 11 to 15 writes, cheap operations took
# 12 to 45 s, waiting; in these six no request was answered 429 (2026-12-06). Slowest
# first (pairings since the code lists are sampled: 47 s, institutions 33 s on
# 2026-12-07), so that the last items left to share out are short.
OPERATION_GROUPS = {
    "pairings": [
        "list_pairings",
        "run_pairing",
        "read_pairing",
        "diff_pairings",
        "adjust_pairing",
        "export_pairing",
        "read_schedule",
        "make_schedule",
        "list_outcomes",
        "record_outcome",
        "read_own_pairs",
        "report_own_outcome",
    ],
    "institutions": [
        "list_institutions",
        "create_institution",
        "create_institutions",
        "read_institution",
        "update_institution",
        "delete_institution",
        "read_matches",
        "match_profile",
        "list_proposals",
        "accept_proposal",
        "dismiss_proposal",
        "read_taxonomy",
        "health",
        "liveness",
        "readiness",
    ],
    "opportunities": [
        "list_opportunities",
        "create_opportunity",
        "read_opportunity",
        "update_opportunity",
        "close_opportunity",
        "match_opportunity",
        "opportunities_for",
        "express_interest",
        "list_interest",
        "withdraw_interest",
        "list_saved_searches",
        "create_saved_search",
        "read_saved_search",
        "delete_saved_search",
        "list_alerts",
    ],
    "workshops": [
        "list_workshops",
        "create_workshop",
        "read_workshop",
        "update_workshop",
        "list_participants",
        "set_participants",
        "import_survey",
        "list_survey_answers",
        "export_survey_answers",
        "workshop_report",
        "list_report_links",
        "send_reminders",
        "list_invitations",
        "invite_institution",
        "list_country_groups",
    ],
    "webhooks-meetings": [
        "list_webhooks",
        "create_webhook",
        "read_webhook",
        "delete_webhook",
        "list_deliveries",
        "list_meeting_requests",
        "create_meeting_request",
        "read_meeting_request",
        "accept_meeting_request",
        "decline_meeting_request",
        "withdraw_meeting_request",
    ],
    "keys-claims-calendars": [
        "list_keys",
        "create_key",
        "revoke_key",
        "list_institution_keys",
        "create_institution_key",
        "read_institution_calendar",
        "revoke_institution_calendar",
        "rotate_institution_calendar",
        "list_claims",
        "create_claim",
        "approve_claim",
        "reject_claim",
    ],
}
# On PostgreSQL: the invalid boundary values only, nothing generated at random, no chains.
POSTGRES_PHASES = {
    "examples": {"enabled": False},
    "fuzzing": {"enabled": False},
    "stateful": {"enabled": False},
    "coverage": {"generation": {"mode": "negative"}},
}


def sample_long_enums(schema: schemathesis.BaseSchema) -> None:
    """Send only some of the valid values of an enum longer than ``WHOLE_ENUM`` (above)."""
    sent: Counter[tuple[str, str | None, str]] = Counter()

    @schema.hook
    def filter_case(context: schemathesis.HookContext, case: schemathesis.Case[Any]) -> bool:
        phase = case.meta.phase.data if case.meta else None
        if not isinstance(phase, CoveragePhaseData) or "Enum value" not in phase.description:
            return True
        if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
            return True
        # One count per field: the description names it ("Object with valid 'country'
        # value: Enum value"), or the parameter does (a query's `country`).
        field = (case.operation.label, phase.parameter, phase.description)
        ordinal = sent[field]
        sent[field] += 1
        return ordinal < WHOLE_ENUM or ordinal % WHOLE_ENUM == 0


def fuzzing_config(database: str, group: str | None = None) -> schemathesis.Config:
    """The configuration of a run on ``database``, over one group's operations if given."""
    config = dict(CONFIG)
    if database == "postgres":
        config["phases"] = POSTGRES_PHASES
    if group is not None:  # every operation outside the group is off
        off = {"exclude-operation-id": OPERATION_GROUPS[group], "enabled": False}
        config["operations"] = [*CONFIG["operations"], off]
    return schemathesis.Config.from_dict(config)

"""The OpenAPI document: say where a key is optional, as this service is configured.

FastAPI lists the bearer scheme on every route that reads the caller, as if a key were
always required. Open reads and open registration also answer without one; OpenAPI says
so with an empty requirement (``{}``) beside the scheme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from service.config import Settings
from service.deps import allow_anyone, require_reader, require_registrar


def _calls(dependant: Dependant) -> Iterable[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def keyless_operations(routers: Iterable[APIRouter], settings: Settings) -> frozenset[str]:
    """Return the operation ids that answer callers without a key under ``settings``."""
    open_gates: set[Callable[..., Any]] = {allow_anyone}
    if not settings.reads_require_key:
        open_gates.add(require_reader)
    if settings.open_registration:
        open_gates.add(require_registrar)
    return frozenset(
        route.operation_id
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        and route.operation_id
        and not open_gates.isdisjoint(_calls(route.dependant))
    )


def mark_optional_keys(schema: dict[str, Any], operation_ids: frozenset[str]) -> dict[str, Any]:
    """Add the empty security requirement to these operations in ``schema`` (in place)."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            security = operation.get("security")
            if operation.get("operationId") in operation_ids and security and {} not in security:
                security.append({})
    return schema


_PROBLEM_CONTENT = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
}
_COMMON_ANSWERS = {
    "401": "A key is needed, or the one sent is malformed, unknown or revoked.",
    "429": "Too many requests from this key or address; `Retry-After` says when to retry.",
    "503": "The database does not answer or refuses writes; `Retry-After` says when to retry.",
}
_BODY_ANSWERS = {
    "413": "The body is larger than this route takes.",
    "422": "A field was refused; `errors` says which and why.",
}


def declare_common_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to every API operation the answers the layers around the routes give.

    The rate limit (429), the database (503), authentication (401) and the body limit
    (413) answer before or around a route, where FastAPI does not see them (in place).
    """
    for path, path_item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            answers = dict(_COMMON_ANSWERS)
            if "requestBody" in operation:
                answers.update(_BODY_ANSWERS)
            for status, description in answers.items():
                responses.setdefault(
                    status, {"description": description, "content": _PROBLEM_CONTENT}
                )
    return schema


# Where a created resource's id is used next: (creating operation, path parameter that
# takes the new `id`, the operations that take it). OpenAPI links, so a client (and a
# stateful fuzzer) can follow create -> read/update/delete with a real id.
_LINKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "create_institution",
        "institution_id",
        (
            "read_institution",
            "update_institution",
            "delete_institution",
            "read_matches",
            "create_institution_key",
            "list_institution_keys",
            "opportunities_for",
            "list_proposals",
        ),
    ),
    ("create_key", "key_id", ("revoke_key",)),
    ("create_institution_key", "key_id", ("revoke_key",)),
    (
        "create_workshop",
        "workshop_id",
        (
            "read_workshop",
            "update_workshop",
            "set_participants",
            "list_participants",
            "run_pairing",
            "list_pairings",
            "record_outcome",
            "list_outcomes",
            "workshop_report",
            "list_survey_answers",
        ),
    ),
    (
        "create_opportunity",
        "opportunity_id",
        (
            "read_opportunity",
            "update_opportunity",
            "close_opportunity",
            "match_opportunity",
            "express_interest",
            "list_interest",
            "withdraw_interest",
        ),
    ),
    ("create_saved_search", "saved_search_id", ("read_saved_search", "delete_saved_search")),
    ("create_webhook", "webhook_id", ("read_webhook", "delete_webhook", "list_deliveries")),
    (
        "create_meeting_request",
        "request_id",
        (
            "read_meeting_request",
            "accept_meeting_request",
            "decline_meeting_request",
            "withdraw_meeting_request",
        ),
    ),
    ("create_claim", "claim_id", ("approve_claim", "reject_claim")),
)


def declare_links(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to each creating operation's 201 answer the links its new ``id`` feeds (in place)."""
    created = {
        operation.get("operationId"): operation
        for path_item in schema.get("paths", {}).values()
        for operation in path_item.values()
    }
    for source, parameter, targets in _LINKS:
        answer = created[source]["responses"]["201"]
        links = answer.setdefault("links", {})
        for target in targets:
            links.setdefault(
                target,
                {
                    "operationId": target,
                    "parameters": {parameter: "$response.body#/id"},
                    "description": f"The new `id` is the `{parameter}` of `{target}`.",
                },
            )
    return schema

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
from service.deps import require_reader, require_registrar


def _calls(dependant: Dependant) -> Iterable[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def keyless_operations(routers: Iterable[APIRouter], settings: Settings) -> frozenset[str]:
    """Return the operation ids that answer callers without a key under ``settings``."""
    open_gates: set[Callable[..., Any]] = set()
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

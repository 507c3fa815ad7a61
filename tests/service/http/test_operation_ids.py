"""Operation ids are part of the API: generated clients name their methods after them.

Every operation must set its ``operation_id`` explicitly (FastAPI would otherwise make
one from the function name and path, which a refactoring changes), and the set of them,
each with its method and path, must equal the committed list in ``operation_ids.txt``.
Renaming, moving or removing an operation fails here; so does adding one without
listing it. Change the list deliberately, and say what changed in docs/api-changelog.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

SNAPSHOT = Path(__file__).with_name("operation_ids.txt")


def test_every_operation_names_its_own_id(client: TestClient) -> None:
    routes = [r for r in client.app.routes if isinstance(r, APIRoute) and r.include_in_schema]  # type: ignore[attr-defined]
    unnamed = [f"{sorted(r.methods or ())} {r.path}" for r in routes if not r.operation_id]
    assert unnamed == [], "set operation_id= on these routes"


def test_operation_ids_match_the_committed_list(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    current = sorted(
        f"{operation['operationId']} {method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    )
    listed = sorted(
        line for line in SNAPSHOT.read_text().splitlines() if line and not line.startswith("#")
    )
    added = sorted(set(current) - set(listed))
    gone = sorted(set(listed) - set(current))
    assert (added, gone) == ([], []), (
        f"operations not in {SNAPSHOT.name}: {added}; listed there but gone: {gone}. "
        "If this is deliberate, update the list and docs/api-changelog.md."
    )

"""Query models read in one validation (service.http.query_models) answer and document
exactly as FastAPI's own query models do: the same values, the same 422 errors, the same
OpenAPI parameters."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Header, Query
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.config import Settings
from service.http.query_models import QueryModel, document_query_models
from service.main import create_app
from tests.conftest import ADMIN, ClientFactory


class Colour(StrEnum):
    red = "red"
    green = "green"


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=10, ge=1, le=100, description="How many.")
    colour: list[Colour] = Field(default_factory=list, description="Repeatable.")
    tag: list[str] | None = None
    exact: bool = True
    score: float | None = Field(default=None, ge=0, le=1)
    name: str | None = Field(default=None, alias="q", max_length=5)

    @field_validator("score")
    @classmethod
    def _not_with_exact(cls, score: float | None) -> float | None:
        if score == 0.5:
            raise ValueError("a half says nothing")
        return score


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/native/{item}")
    async def native(
        item: int,
        filters: Annotated[Filters, Query()],
        x_note: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        return filters.model_dump(mode="json")

    @app.get("/read/{item}")
    async def read(
        item: int,
        filters: Annotated[Filters, Depends(QueryModel(Filters))],
        x_note: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        return filters.model_dump(mode="json")

    return app


QUERIES = [
    "",
    "limit=5",
    "limit=5&limit=7",  # a field's repeated key: the last
    "limit=0",
    "limit=ten",
    "colour=red&colour=green",
    "colour=blue",
    "tag=a&tag=b&tag=",
    "exact=no&exact=off",
    "exact=maybe",
    "score=0.5",
    "score=0.25",
    "score=",
    "q=short",
    "q=far+too+long",
    "name=alias+only",  # the field's name is not its key
    "other=1",  # unknown keys are refused, with what was sent
    "other=1&other=2&limit=3",
    "limit=3&colour=red&tag=x&exact=false&score=1&q=ab",
]


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_string_gets_the_answer_fastapi_gives(query: str) -> None:
    client = TestClient(_app())
    native = client.get(f"/native/1?{query}")
    read = client.get(f"/read/1?{query}")
    assert read.status_code == native.status_code
    assert read.json() == native.json()


def test_the_answers_compared_differ_when_they_should() -> None:
    # The comparison above says something: valid and refused queries answer differently.
    client = TestClient(_app())
    assert client.get("/read/1?limit=5").json()["limit"] == 5
    refused = client.get("/read/1?other=1&limit=0")
    assert refused.status_code == 422
    locations = sorted(tuple(error["loc"]) for error in refused.json()["detail"])
    assert locations == [("query", "limit"), ("query", "other")]


def test_the_openapi_parameters_are_fastapis_in_fastapis_order() -> None:
    app = _app()
    schema = document_query_models(app.openapi(), app.routes)
    paths = schema["paths"]
    native = paths["/native/{item}"]["get"]["parameters"]
    read = paths["/read/{item}"]["get"]["parameters"]
    assert [(p["in"], p["name"]) for p in read] == [
        ("path", "item"),
        *(("query", key) for key in ("limit", "colour", "tag", "exact", "score", "q")),
        ("header", "x-note"),
    ]
    assert read == native
    assert schema["components"]["schemas"]["Colour"]["enum"] == ["red", "green"]
    # Documenting again adds nothing.
    assert (
        document_query_models(schema, app.routes)["paths"]["/read/{item}"]["get"]["parameters"]
        == native
    )


def test_the_schemas_the_parameters_name_are_in_the_components() -> None:
    app = FastAPI()

    @app.get("/only")
    async def only(filters: Annotated[Filters, Depends(QueryModel(Filters))]) -> None:
        """No other operation names ``Colour``."""

    schema = document_query_models(app.openapi(), app.routes)
    (colour,) = [p for p in schema["paths"]["/only"]["get"]["parameters"] if p["name"] == "colour"]
    assert colour["schema"]["items"] == {"$ref": "#/components/schemas/Colour"}
    assert schema["components"]["schemas"]["Colour"]["enum"] == ["red", "green"]
    # Only what the parameters name: not the twin app's own 422 answer.
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_every_route_reads_its_query_model_after_its_other_dependencies() -> None:
    # So that a missing key (401) or an unknown id (404) is answered before the query's
    # errors, as FastAPI orders them (see the module).
    app = create_app(Settings(data_dir=Path("unused"), seed_on_empty=False))
    reading = []
    for route in iter_route_contexts(app.routes):
        original = route.original_route
        if not isinstance(original, APIRoute):
            continue
        calls = [sub.call for sub in original.dependant.dependencies]
        if any(isinstance(call, QueryModel) for call in calls):
            reading.append(original.name)
            assert isinstance(calls[-1], QueryModel), original.name
            assert sum(isinstance(call, QueryModel) for call in calls) == 1, original.name
    assert len(reading) >= 14  # every list and match operation of the API


def test_a_caller_without_a_key_is_told_so_before_its_query_is_read(
    make_client: ClientFactory, settings: Settings
) -> None:
    client = make_client(settings.model_copy(update={"reads_require_key": True}))
    answer = client.get("/api/v1/institutions/1/matches?limit=0&unknown=1")
    assert answer.status_code == 401, answer.text
    with_key = client.get("/api/v1/institutions/1/matches?limit=0", headers=ADMIN)
    assert with_key.status_code == 422
    assert with_key.json()["errors"][0]["loc"] == ["query", "limit"]

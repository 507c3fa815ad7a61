"""Shapes every part of the API shares: health, and the problem document of an error."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    """Whether the service is up, and how much it holds."""

    status: str
    institutions: int = Field(description="Institutions in the matching index.")


class FieldProblem(BaseModel):
    """One refused input: where it is and why."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem document, as sent with ``application/problem+json``."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}, "description": text}
    for status, text in (
        (400, "The body could not be read, e.g. it is not valid JSON or not UTF-8."),
        (401, "A key is needed, or the one sent is malformed, unknown or revoked."),
        (403, "The key sent does not allow this."),
        (404, "No institution has this id."),
        (409, "An institution with this name already exists in this country."),
        (422, "A field was refused; `errors` says which and why."),
        (429, "Too many requests from this key or address; `Retry-After` says when to retry."),
    )
}

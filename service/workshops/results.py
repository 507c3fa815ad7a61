"""A pairing run's stored result, typed: pairs, alternates, the unpaired, the solver's
totals and bounds, and the timetable once one is made.

It is kept as JSON in ``pairing_run.result``; :class:`StoredResult` turns it into a
:class:`RunResult` on the way in and out, so code reads it by attribute and nothing
reads it by string keys.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Dialect
from sqlalchemy.types import TypeDecorator

from service.workshops.schemas import (
    AlternatePublic,
    PairPublic,
    RequestNotKept,
    SchedulePublic,
    UnpairedPublic,
)


class RunResult(BaseModel):
    """What a pairing run found (and, once made, its timetable)."""

    participants: int
    total: float = Field(description="Sum of the pair scores.")
    upper_bound: float
    gap: float
    objective: Literal["total", "maximin"]
    floor: float
    solver_seconds: float
    pairs: list[PairPublic]
    alternates: list[AlternatePublic]
    unpaired: list[UnpairedPublic]
    requests_not_kept: list[RequestNotKept] = []
    schedule: SchedulePublic | None = None

    def pair_ids(self) -> set[tuple[int, int]]:
        """The pairs as (smaller id, larger id)."""
        return {(pair.a.id, pair.b.id) for pair in self.pairs}


class StoredResult(TypeDecorator[RunResult]):
    """A JSON column holding a :class:`RunResult`."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: RunResult | None, dialect: Dialect) -> Any:
        return None if value is None else value.model_dump(mode="json")

    def process_result_value(self, value: Any, dialect: Dialect) -> RunResult | None:
        return None if value is None else RunResult.model_validate(value)

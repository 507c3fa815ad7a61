"""Response shapes of stored survey answers and of profile proposals."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from service.values.times import UtcDatetime


class SurveyAnswersPublic(BaseModel):
    """An institution's Q2-Q4 answers at a workshop, for the organiser."""

    institution_id: int
    name: str
    country: str
    challenges: list[str] = Field(description="Q2: challenges in extending cooperation.")
    strategies: list[str] = Field(description="Q3: strategies that make cooperation work.")
    wishes: list[str] = Field(description="Q4: what the organiser should coordinate.")


class FieldChange(BaseModel):
    """One profile field a proposal changes: its value now and the survey's answer."""

    field: str
    current: Any
    proposed: Any


class ProposalPublic(BaseModel):
    """Changes a workshop's survey import proposes for a profile it may not edit."""

    id: int
    institution_id: int
    workshop_id: int
    workshop_name: str
    status: Literal["open", "accepted", "dismissed"]
    changes: list[FieldChange] = Field(description="The survey's answers that differ.")
    created_at: UtcDatetime
    decided_at: UtcDatetime | None

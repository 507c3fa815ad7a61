"""Opportunities (offers and calls an institution publishes) and expressions of interest.

The tables, and the field types their API shapes (``service.opportunities.schemas``) use.
An opportunity's status is decided when it is read: it is closed once its owner closed
it or its deadline has passed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from seed import load_taxonomy
from service.values.times import utc_now
from service.values.validation import CountryCode, Documented, JsonNumber, Kind

# A date deadline holds until that day has ended everywhere on Earth (UTC-12).
_ANYWHERE_ON_EARTH = timezone(timedelta(hours=-12))
MAX_CAPACITY = 1_000_000


@cache
def program_types() -> tuple[str, ...]:
    """The program types of the taxonomy (``seed/taxonomy.json``), which opportunities take."""
    return tuple(str(entry["id"]) for entry in load_taxonomy()["programs"])


@cache
def program_label(program: str) -> str:
    """The English label of a program type, e.g. ``Internships and work placements``."""
    for entry in load_taxonomy()["programs"]:
        if entry["id"] == program:
            return str(entry["labels"].get("en", program))
    return program


def _program_type(value: str) -> str:
    if value not in program_types():
        raise ValueError(f"'{value}' is not a program type of the taxonomy (GET /taxonomy)")
    return value


def _deadline(value: object) -> object:
    """A date (open through that day anywhere on Earth) or a date-time with its offset."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = value.isoformat()
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a date-time deadline needs its UTC offset, e.g. +07:00 or Z")
        return value
    if not isinstance(value, str):
        raise ValueError("must be a date (2026-06-30) or a date-time with offset")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max, tzinfo=_ANYWHERE_ON_EARTH).astimezone(UTC)
        except (ValueError, OverflowError) as error:
            raise ValueError(f"'{value}' is not a calendar date") from error
    if not re.match(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", value):
        raise ValueError("must be a date (2026-06-30) or a date-time with offset")
    return value


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a date-time deadline needs its UTC offset, e.g. +07:00 or Z")
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise ValueError("is out of range") from error


def _distinct(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


ProgramType = Annotated[
    str,
    AfterValidator(_program_type),
    Documented(enum=list(program_types()), pattern=None),
]
Deadline = Annotated[
    datetime,
    BeforeValidator(_deadline),
    AfterValidator(_aware),
    Documented(
        type=None,
        format=None,
        anyOf=[
            {"type": "string", "format": "date"},
            {"type": "string", "format": "date-time"},
        ],
    ),
]
CountryList = Annotated[list[CountryCode], PydanticField(max_length=300), AfterValidator(_distinct)]
KindList = Annotated[list[Kind], PydanticField(max_length=10), AfterValidator(_distinct)]
Capacity = Annotated[int, PydanticField(ge=1, le=MAX_CAPACITY), JsonNumber]


class Direction(StrEnum):
    """Whether an opportunity gives something or asks for something."""

    offer = "offer"  # internships, scholarships, a lab to share: it offers its text
    call = "call"  # a call for partners, trainers, equipment: it needs its text


class Opportunity(SQLModel, table=True):
    """An opportunity as stored."""

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    type: str = Field(max_length=60, index=True)
    direction: str = Field(max_length=10)
    title: str = Field(max_length=200)
    text: str = ""
    fields: list[str] = Field(default_factory=list, sa_type=JSON)
    eligible_countries: list[str] = Field(default_factory=list, sa_type=JSON)
    eligible_kinds: list[str] = Field(default_factory=list, sa_type=JSON)
    capacity: int | None = None
    deadline: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True, index=True)
    )
    language: str | None = Field(default=None, max_length=2)
    # Kept for filtering with LIKE on both databases: ",KH,TH," or "" for anyone.
    countries_text: str = Field(default="", sa_type=String(1000))
    kinds_text: str = Field(default="", sa_type=String(100))
    fields_text: str = ""
    closed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class OpportunityInterest(SQLModel, table=True):
    """One institution's expression of interest in an opportunity (one per pair)."""

    __tablename__ = "opportunity_interest"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "institution_id", name="uq_opportunity_interest"),
    )

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("opportunity.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )

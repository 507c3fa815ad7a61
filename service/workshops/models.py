"""The workshop model family, its participants, pairing runs and recorded outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict, model_validator
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.values.times import UtcDatetime, utc_now
from service.values.validation import (
    City,
    IsoDate,
    Name,
    TimeZone,
    drop_null,
)
from service.workshops.results import RunResult, StoredResult


def _ends_after_start(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        raise ValueError("ends_on must not be before starts_on")


class WorkshopProfile(SQLModel):
    """What an organiser says about a workshop."""

    name: Name
    starts_on: date
    ends_on: date
    venue: City | None = None
    time_zone: TimeZone = Field(description="IANA time zone of the venue, e.g. Asia/Phnom_Penh.")


class Workshop(WorkshopProfile, table=True):
    """A workshop as stored."""

    id: int | None = Field(default=None, primary_key=True)
    time_zone: str = Field(max_length=64)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # Bumped by every change to what GET shows, participants included (the ETag).
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))


class WorkshopCreate(WorkshopProfile):
    """A new workshop. Unknown fields are refused."""

    model_config = ConfigDict(  # type: ignore[assignment]
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "3rd China-SEA Partnership Workshop",
                    "starts_on": "2026-05-12",
                    "ends_on": "2026-05-13",
                    "venue": "Phnom Penh",
                    "time_zone": "Asia/Phnom_Penh",
                }
            ]
        },
    )

    starts_on: IsoDate
    ends_on: IsoDate

    @model_validator(mode="after")
    def _dates_in_order(self) -> WorkshopCreate:
        _ends_after_start(self.starts_on, self.ends_on)
        return self


class WorkshopUpdate(SQLModel):
    """A partial change of a workshop."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    # Only venue may be cleared with null (see workshops.update_workshop).
    name: Name | None = Field(default=None, schema_extra={"json_schema_extra": drop_null})
    starts_on: IsoDate | None = Field(default=None, schema_extra={"json_schema_extra": drop_null})
    ends_on: IsoDate | None = Field(default=None, schema_extra={"json_schema_extra": drop_null})
    venue: City | None = None
    time_zone: TimeZone | None = Field(default=None, schema_extra={"json_schema_extra": drop_null})


class WorkshopPublic(WorkshopProfile):
    """A workshop as anyone may see it."""

    id: int
    participants: int = Field(description="How many institutions take part.")
    created_at: UtcDatetime
    updated_at: UtcDatetime


class WorkshopParticipant(SQLModel, table=True):
    """An institution taking part in a workshop."""

    __tablename__ = "workshop_participant"

    workshop_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    )
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
        )
    )


class PairingRun(SQLModel, table=True):
    """One stored pairing run of a workshop: its rules and its result, numbered 1, 2, ..."""

    __tablename__ = "pairing_run"
    __table_args__ = (UniqueConstraint("workshop_id", "number", name="uq_pairing_run_number"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    number: int
    rules: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    result: RunResult = Field(sa_type=StoredResult)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class Outcome(SQLModel, table=True):
    """What happened to a pair at a workshop; the latest word per pair is kept."""

    __table_args__ = (
        UniqueConstraint("workshop_id", "institution_a", "institution_b", name="uq_outcome_pair"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    institution_a: int = Field(
        sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False)
    )
    institution_b: int = Field(
        sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False)
    )
    status: str = Field(max_length=20)
    happened_on: date | None = None
    note: str = Field(default="", max_length=2000)
    run_number: int | None = None
    recorded_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class SurveyAnswer(SQLModel, table=True):
    """An institution's Q2-Q4 survey answers at one workshop: for the organiser, not matching."""

    __tablename__ = "survey_answer"

    workshop_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    )
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
        )
    )
    challenges: list[str] = Field(default_factory=list, sa_type=JSON)
    strategies: list[str] = Field(default_factory=list, sa_type=JSON)
    wishes: list[str] = Field(default_factory=list, sa_type=JSON)
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class SurveyOrigin(SQLModel, table=True):
    """Which workshop's survey import created an institution: only that workshop's imports
    may update its profile, and only while no institution key has claimed it."""

    __tablename__ = "survey_origin"

    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
        )
    )
    workshop_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )


class ProfileProposal(SQLModel, table=True):
    """Answers a survey import found for a profile it may not change: the institution
    accepts them (they are applied) or dismisses them."""

    __tablename__ = "profile_proposal"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # An InstitutionUpdate as JSON: only the fields the survey answered differently.
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default="open", max_length=20)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    decided_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class SurveyColumnMap(SQLModel, table=True):
    """A header an organiser matched to a survey column, remembered for the workshop."""

    __tablename__ = "survey_column_map"

    workshop_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    )
    header: str = Field(primary_key=True, max_length=200)  # folded: survey.columns.header_key
    column: str = Field(max_length=40)


class ReportLink(SQLModel, table=True):
    """A participant's private link for reporting on its own pairs after the workshop.

    The token is kept as it is, not hashed: the organiser's console shows the links to
    copy when no mail can be sent, and a token lets its holder do one thing only, report
    on that institution's pairs at that workshop."""

    __tablename__ = "report_link"

    workshop_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    )
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
        )
    )
    token: str = Field(max_length=64, unique=True)
    reminded_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class OutcomeReport(SQLModel, table=True):
    """What one side of a pair reported about it; the pair's outcome is what both agree to."""

    __tablename__ = "outcome_report"

    workshop_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    )
    institution_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
        )
    )
    partner_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True
        )
    )
    status: str = Field(max_length=20)
    reported_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class WorkshopInvitation(SQLModel, table=True):
    """An organiser's emailed invitation to a workshop; kept by the hash of its token, and
    marked with the institution that joined through it."""

    __tablename__ = "workshop_invitation"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    email: str = Field(max_length=320)
    token_hash: str = Field(max_length=64, unique=True)
    institution_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("institution.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    joined_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )

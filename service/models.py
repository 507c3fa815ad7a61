"""The institution model family: base, table, create, update and public shapes.

Field checks live in the annotated types of ``service.validation``. Only data models are
inherited from; the table model adds the database-only columns.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, EmailStr, model_validator
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from service.validation import (
    City,
    CountryCode,
    Description,
    IsoDate,
    Kind,
    LanguageList,
    Name,
    PartnerIds,
    PhraseList,
    TimeZone,
    Website,
    drop_null,
)


def utc_now() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


def as_utc(value: datetime) -> datetime:
    """Return a stored time as an aware UTC datetime, whichever database it came from."""
    return _as_utc(value)


_EXAMPLE: dict[str, Any] = {
    "name": "National Polytechnic Institute of Cambodia",
    "country": "KH",
    "kind": "college",
    "city": "Phnom Penh",
    "fields": ["mechatronics", "electrical automation", "AI and mobile robotics"],
    "needs": ["teacher training in AI and mobile robotics", "WorldSkills coaching"],
    "offers": ["student cohorts for exchange", "Khmer language and culture courses"],
    "programs": ["staff exchange", "teacher training"],
    "languages": ["km", "en"],
    "description": "Public polytechnic in Phnom Penh training technicians and engineers.",
    "website": "https://www.npic.edu.kh",
    "contact_email": "international@npic.example.org",
    "existing_partners": [],
}


class InstitutionProfile(SQLModel):
    """What an institution says about itself, shared by every shape below."""

    name: Name
    country: CountryCode
    kind: Kind
    city: City | None = None
    fields: PhraseList = Field(default_factory=list, sa_type=JSON)
    needs: PhraseList = Field(default_factory=list, sa_type=JSON)
    offers: PhraseList = Field(default_factory=list, sa_type=JSON)
    programs: PhraseList = Field(default_factory=list, sa_type=JSON)
    languages: LanguageList = Field(default_factory=list, sa_type=JSON)
    description: Description = ""
    website: Website | None = None


class Institution(InstitutionProfile, table=True):
    """An institution as stored. Declared partners live in :class:`Partnership`."""

    __table_args__ = (UniqueConstraint("name_key", "country", name="uq_institution_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name_key: str = Field(default="", index=True, max_length=200)
    country: str = Field(index=True, max_length=2)
    kind: Kind = Field(index=True, sa_type=String(20))
    contact_email: str | None = Field(default=None, max_length=320)
    search_text: str = ""
    fields_text: str = ""
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # Bumped by every change to what GET shows, partners included; the ETag is made from it.
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))


class Partnership(SQLModel, table=True):
    """A partnership an institution declared; never suggested again, in either direction."""

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


class InstitutionCreate(InstitutionProfile):
    """A new institution. Unknown fields are refused."""

    # SQLModel types its config as its own TypedDict; pydantic's ConfigDict is what it reads.
    model_config = ConfigDict(  # type: ignore[assignment]
        extra="forbid", json_schema_extra={"examples": [_EXAMPLE]}
    )

    contact_email: EmailStr | None = None
    existing_partners: PartnerIds = Field(default_factory=list)


class InstitutionUpdate(SQLModel):
    """A partial change: only the fields sent are changed; ``null`` clears optional ones."""

    model_config = ConfigDict(  # type: ignore[assignment]
        extra="forbid",
        json_schema_extra={"examples": [{"needs": ["HVAC teacher training"], "city": None}]},
    )

    # Sent as null, these three are refused ("may be changed but not cleared").
    name: Name | None = Field(default=None, schema_extra={"json_schema_extra": drop_null})
    country: CountryCode | None = Field(default=None, schema_extra={"json_schema_extra": drop_null})
    kind: Kind | None = Field(default=None, schema_extra={"json_schema_extra": drop_null})
    city: City | None = None
    fields: PhraseList | None = None
    needs: PhraseList | None = None
    offers: PhraseList | None = None
    programs: PhraseList | None = None
    languages: LanguageList | None = None
    description: Description | None = None
    website: Website | None = None
    contact_email: EmailStr | None = None
    existing_partners: PartnerIds | None = None


class InstitutionPublic(InstitutionProfile):
    """An institution as anyone may see it: never the contact email."""

    id: int
    existing_partners: list[int]
    created_at: UtcDatetime
    updated_at: UtcDatetime


class InstitutionPrivate(InstitutionPublic):
    """An institution as its creator sees it, contact email included."""

    contact_email: str | None


class ApiKey(SQLModel, table=True):
    """An API key. Only a hash of the secret is stored; the secret is shown once."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=200)
    prefix: str = Field(
        max_length=16, description="First characters of the key, to tell keys apart."
    )
    secret_hash: str = Field(max_length=64, unique=True, index=True)
    role: str = Field(max_length=20)
    institution_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    scopes: list[str] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


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
    result: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
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


class IndexChange(SQLModel, table=True):
    """A committed change to an institution, for every service instance's index to follow."""

    __tablename__ = "index_change"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(index=True)
    changed_at: datetime = Field(
        default_factory=utc_now,
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True),
    )

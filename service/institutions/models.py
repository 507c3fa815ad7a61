"""The institution model family (base, table, create, update, public, private), the
declared partnerships, and the change log every instance's index catches up from.

Field checks live in the annotated types of ``service.values.validation``. Only data models are
inherited from; the table model adds the database-only columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, EmailStr, StrictBool
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

from service.values.times import UtcDatetime, utc_now
from service.values.validation import (
    City,
    CountryCode,
    Description,
    Kind,
    LanguageList,
    Name,
    PartnerIds,
    PhraseList,
    Website,
    drop_null,
)

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
    # The website is then shown only to the institution, admins and accepted partners.
    website_private: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
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
    website_private: StrictBool = Field(
        default=False,
        description="Show the website only to this institution, admins and the institutions "
        "that accepted a meeting request with it (or whose request it accepted).",
    )
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
    website_private: StrictBool | None = Field(
        default=None, schema_extra={"json_schema_extra": drop_null}
    )
    existing_partners: PartnerIds | None = None


class InstitutionPublic(InstitutionProfile):
    """An institution as anyone may see it: never the contact email, and the website
    only if it is not private (or the reader is an accepted partner)."""

    id: int
    existing_partners: list[int]
    created_at: UtcDatetime
    updated_at: UtcDatetime


class InstitutionPrivate(InstitutionPublic):
    """An institution as its creator sees it, contact email included."""

    contact_email: str | None
    website_private: bool


class IndexChange(SQLModel, table=True):
    """A committed change to an institution, for every service instance's index to follow."""

    __tablename__ = "index_change"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(index=True)
    changed_at: datetime = Field(
        default_factory=utc_now,
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True),
    )

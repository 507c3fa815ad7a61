"""What the opportunity routes take and give: create, change, list, match, interest."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from matching.floor import MIN_SCORE
from service.http.pagination import Page, PageParams
from service.institutions.schemas import MatchComponents
from service.opportunities.models import (
    Capacity,
    CountryList,
    Deadline,
    Direction,
    KindList,
    ProgramType,
)
from service.values.times import UtcDatetime
from service.values.validation import (
    MAX_ID,
    CountryCode,
    Description,
    Id,
    Kind,
    LanguageCode,
    Name,
    Note,
    PhraseList,
    SearchText,
    drop_null,
)

_EXAMPLE: dict[str, Any] = {
    "type": "internships",
    "direction": "offer",
    "title": "Hotel internships with free accommodation in Chiang Mai",
    "text": "Six-month paid placements for hospitality students. Accommodation is free.",
    "fields": ["tourism and hospitality"],
    "eligible_countries": ["KH", "LA", "VN"],
    "eligible_kinds": ["college"],
    "capacity": 12,
    "deadline": "2027-06-30",
    "language": "en",
}


class OpportunityCreate(BaseModel):
    """A new opportunity. ``institution_id`` is for admins; an institution key posts its own."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    institution_id: Id | None = None
    type: ProgramType = Field(description="A program type of the taxonomy, e.g. internships.")
    direction: Direction = Field(
        default=Direction.offer,
        description="offer: it gives what its text says; call: it asks for it.",
    )
    title: Name
    text: Description = ""
    fields: PhraseList = Field(default_factory=list, description="Technical fields.")
    eligible_countries: CountryList = Field(
        default_factory=list, description="Who may take it up, by country; empty: anyone."
    )
    eligible_kinds: KindList = Field(
        default_factory=list, description="Who may take it up, by kind; empty: any kind."
    )
    capacity: Capacity | None = Field(default=None, description="How many places, if limited.")
    deadline: Deadline | None = Field(
        default=None,
        description="When it closes: a date-time with offset, or a date (open through that "
        "day everywhere on Earth). Must be in the future.",
    )
    language: LanguageCode | None = Field(default=None, description="Language of the text.")


class OpportunityUpdate(BaseModel):
    """A partial change: only the fields sent change; ``null`` clears optional ones."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"capacity": 8}]})

    type: ProgramType | None = Field(default=None, json_schema_extra=drop_null)
    direction: Direction | None = Field(default=None, json_schema_extra=drop_null)
    title: Name | None = Field(default=None, json_schema_extra=drop_null)
    text: Description | None = None
    fields: PhraseList | None = None
    eligible_countries: CountryList | None = None
    eligible_kinds: KindList | None = None
    capacity: Capacity | None = None
    deadline: Deadline | None = None
    language: LanguageCode | None = None


class OwnerRef(BaseModel):
    """The institution behind an opportunity or an expression of interest."""

    id: int
    name: str
    country: str
    kind: str


class OpportunityPublic(BaseModel):
    """An opportunity as anyone may see it."""

    id: int
    institution: OwnerRef
    type: str
    direction: Direction
    title: str
    text: str
    fields: list[str]
    eligible_countries: list[str]
    eligible_kinds: list[str]
    capacity: int | None
    deadline: UtcDatetime | None
    language: str | None
    status: Literal["open", "closed"] = Field(
        description="closed once its owner closed it or its deadline passed."
    )
    closed_at: UtcDatetime | None = Field(description="When it closed, if it has.")
    created_at: UtcDatetime
    updated_at: UtcDatetime


class OpportunityPage(Page[OpportunityPublic]):
    """One page of opportunities, in id order, with the total that match the filters."""


class OpportunityFilters(PageParams):
    """Filters and paging for listing opportunities."""

    type: ProgramType | None = None
    direction: Direction | None = Field(default=None, description="Keep offers, or calls.")
    q: SearchText | None = Field(
        default=None, description="Keep those whose title or text contains this text."
    )
    country: CountryCode | None = Field(
        default=None, description="Keep those open to institutions of this country."
    )
    kind: Kind | None = Field(default=None, description="Keep those open to this kind.")
    institution_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Keep those of this institution."
    )
    field: SearchText | None = Field(
        default=None, description="Keep those with a technical field containing this text."
    )
    status: Literal["open", "closed", "all"] = "open"


class OpportunityMatchFilters(BaseModel):
    """How many institutions to suggest for an opportunity, and the lowest score."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=10, ge=1, le=100)
    min_score: float = Field(default=MIN_SCORE, ge=0.0, le=1.0)


class OpportunityMatchItem(BaseModel):
    """An opportunity that fits an institution."""

    opportunity: OpportunityPublic
    score: float = Field(description="0 to 1, the same reciprocal score as partner matches.")
    components: MatchComponents
    reasons: list[str] = Field(
        description="Why, in the language `Accept-Language` asks for (en or zh, else "
        "English; see `Content-Language`), quoting both sides' phrases verbatim."
    )


class OpportunityMatchList(BaseModel):
    """Open opportunities that fit an institution, best first."""

    items: list[OpportunityMatchItem]


class InterestCreate(BaseModel):
    """An expression of interest; ``institution_id`` is for admins acting for one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "We could send 4 students in July."}]},
    )

    institution_id: Id | None = None
    note: Note = ""


class InterestPublic(BaseModel):
    """An expression of interest, as its opportunity's owner sees it."""

    id: int
    opportunity_id: int
    institution: OwnerRef
    note: str
    created_at: UtcDatetime


class InterestPage(Page[InterestPublic]):
    """One page of expressions of interest, oldest first."""

"""What the saved-search and alert routes take and give."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from service.http.pagination import Page, PageParams
from service.opportunities.models import CountryList, KindList
from service.values.times import UtcDatetime
from service.values.validation import MAX_ID, Id, JsonNumber, SearchText, Text

Target = Literal["institutions", "opportunities"]


BOTH: list[Target] = ["institutions", "opportunities"]


def _distinct(values: list[Target]) -> list[Target]:
    return list(dict.fromkeys(values))


class SavedSearchCreate(BaseModel):
    """A search to watch, seen from one institution: filters and a lowest score.

    An institution key watches for its own institution; an admin or organiser key names
    the institution with ``institution_id``.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Chinese colleges for EV teacher training",
                    "targets": ["institutions", "opportunities"],
                    "country": ["CN"],
                    "kind": ["college"],
                    "field": "new energy vehicles",
                    "min_score": 0.2,
                }
            ]
        },
    )

    name: Annotated[Text, StringConstraints(max_length=200)] = ""
    institution_id: Id | None = None
    targets: Annotated[
        list[Target], Field(min_length=1, max_length=2), AfterValidator(_distinct)
    ] = Field(
        default_factory=lambda: list(BOTH),
        description="Watch new and changed profiles, opportunities, or both.",
    )
    country: CountryList = Field(
        default_factory=list, description="Only these countries (of the profile or publisher)."
    )
    kind: KindList = Field(default_factory=list, description="Only these kinds.")
    field: SearchText | None = Field(
        default=None, description="Only those with a technical field containing this text."
    )
    cross_border: StrictBool = Field(
        default=True, description="Only profiles or publishers from another country."
    )
    min_score: Annotated[float, Field(ge=0.0, le=1.0), JsonNumber] = Field(
        default=0.1, description="Lowest score that counts as a result."
    )


class SavedSearchPublic(BaseModel):
    """A saved search."""

    id: int
    name: str
    institution_id: int
    targets: list[Target]
    country: list[str]
    kind: list[str]
    field: str | None
    cross_border: bool
    min_score: float
    created_at: UtcDatetime


class SavedSearchPage(Page[SavedSearchPublic]):
    """One page of the caller's saved searches, in id order."""


class AlertPublic(BaseModel):
    """A profile or opportunity that entered a saved search's results."""

    id: int
    saved_search_id: int
    institution_id: int = Field(description="The institution the search is seen from.")
    target: Literal["institution", "opportunity"]
    target_id: int
    score: float
    reasons: list[str]
    created_at: UtcDatetime


class AlertPage(Page[AlertPublic]):
    """One page of alerts, newest first."""


class AlertFilters(PageParams):
    """Which alerts to list."""

    saved_search_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only this saved search's alerts."
    )

"""What the institution, match and taxonomy routes take and give, beside the model family."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

from matching import CandidateFilter
from matching.floor import MIN_SCORE
from service.http.pagination import Page, PageParams
from service.institutions.models import InstitutionCreate, InstitutionPrivate, InstitutionPublic
from service.values.validation import CountryCode, JsonNumber, Kind, SearchText

MAX_MATCHES = 100


MAX_BULK = 20_000


class InstitutionPage(Page[InstitutionPublic]):
    """One page of institutions, with the total number that match the filters."""


class InstitutionFilters(PageParams):
    """Filters and paging for listing institutions."""

    model_config = ConfigDict(extra="forbid")

    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    kind: Kind | None = None
    field: SearchText | None = Field(
        default=None,
        description="Keep institutions with a technical field containing this text.",
    )
    q: SearchText | None = Field(
        default=None,
        description="Free text: every word must appear in the name, city, fields, needs, "
        "offers, programs or description (case-insensitive).",
    )


MatchLimit = Annotated[int, Field(ge=1, le=MAX_MATCHES, description="How many suggestions.")]


CrossBorder = Annotated[bool, Field(description="Only suggest institutions from another country.")]


MinScore = Annotated[float, Field(ge=0.0, le=1.0, description="Lowest score returned.")]


Diversity = Annotated[
    float,
    Field(
        ge=0.0,
        le=1.0,
        description="0 to 1: trade some relevance for variety so near-copies do not fill "
        "the list (maximal marginal relevance over the best 5×limit).",
    ),
]


Exposure = Annotated[float, Field(ge=0.0, le=1.0)]
EXPOSURE = (
    "0 to 1: lower institutions that suit almost everyone, so suggestions spread across "
    "more partners. Scores are unchanged; only the order moves. Unset (or null): 0.5 when "
    "the asker holds only text (no needs, offers, fields or programs; there it finds more "
    "real partners, see docs/ranking.md), else 0. 0 turns it off."
)


class MatchFilters(BaseModel):
    """Which institutions may be suggested, and how many."""

    model_config = ConfigDict(extra="forbid")

    limit: MatchLimit = 10
    cross_border: CrossBorder = True
    country: list[CountryCode] = Field(
        default_factory=list, description="Only these countries (repeatable)."
    )
    kind: list[Kind] = Field(default_factory=list, description="Only these kinds (repeatable).")
    min_score: MinScore = MIN_SCORE
    diversity: Diversity = 0.0
    exposure: Exposure | None = Field(default=None, description=EXPOSURE)

    def candidate_filter(self) -> CandidateFilter:
        """Return the matching library's form of these filters."""
        return CandidateFilter(
            cross_border=self.cross_border,
            countries=frozenset(self.country),
            kinds=frozenset(str(kind) for kind in self.kind),
            min_score=self.min_score,
        )


class MatchRequest(MatchFilters):
    """Suggestions for a profile that is not stored."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "profile": {
                        "name": "Battambang Demo Polytechnic",
                        "country": "KH",
                        "kind": "college",
                        "fields": ["new energy vehicles", "electrical automation"],
                        "needs": ["EV maintenance teacher training", "training equipment"],
                        "offers": ["internship hosts", "Khmer language courses"],
                        "programs": ["teacher training"],
                    },
                    "limit": 5,
                }
            ]
        },
    )

    profile: InstitutionCreate
    # A JSON body, unlike the query string above: numbers and booleans must be JSON ones,
    # not text or each other (pydantic's lax mode would read "0.5" or false as a number).
    limit: Annotated[MatchLimit, JsonNumber] = 10
    cross_border: Annotated[CrossBorder, Strict()] = True
    min_score: Annotated[MinScore, JsonNumber] = MIN_SCORE
    diversity: Annotated[Diversity, JsonNumber] = 0.0
    exposure: Annotated[Exposure, JsonNumber] | None = Field(default=None, description=EXPOSURE)


class MatchComponents(BaseModel):
    """The parts of a score (see docs/ranking.md)."""

    they_meet_my_needs: float = Field(description="Their offers against my needs (cosine).")
    i_meet_their_needs: float = Field(description="My offers against their needs (cosine).")
    reciprocal: float = Field(description="Both directions fused by a harmonic mean.")
    fields: float = Field(
        description="Technical fields both list, weighted by how rare they are (IDF)."
    )
    programs: float = Field(
        description="Collaboration programs both want, weighted by how rare they are (IDF)."
    )
    description: float = Field(description="Overlap of names and descriptions (cosine).")
    overlap: float = Field(
        description="Weighted blend of the parts besides `reciprocal` that both profiles hold."
    )
    city: float = Field(default=0.0, description="1 when both are in the same city, else 0.")
    shared_partners: float = Field(
        default=0.0,
        description="Partners in common (Adamic-Adar), scaled to 1 for this asker's "
        "best-connected candidate; 0 without declared partners.",
    )


class MatchItem(BaseModel):
    """One suggested partner."""

    institution: InstitutionPublic
    score: float = Field(description="0 to 1; higher is a better mutual fit.")
    components: MatchComponents
    reasons: list[str] = Field(
        description="Why, in words, drawn from the matching terms: in the language "
        "`Accept-Language` asks for (en or zh, else English; see `Content-Language`), each "
        "profile's own phrases quoted verbatim in their own script."
    )


class MatchList(BaseModel):
    """Suggested partners, best first."""

    items: list[MatchItem]


class BulkCreated(BaseModel):
    """The ids given to a bulk of new institutions, in the order they were sent."""

    ids: list[int]


class TaxonomyEntry(BaseModel):
    """A canonical field or program type."""

    id: str = Field(description="Stable identifier, e.g. `new_energy_vehicles`.")
    labels: dict[str, str] = Field(description="Label by ISO 639-1 language code.")
    synonyms: dict[str, list[str]] = Field(description="Synonyms and abbreviations by language.")


class TaxonomyPublic(BaseModel):
    """Technical fields and collaboration program types that free text is mapped onto."""

    version: int
    languages: list[str]
    fields: list[TaxonomyEntry]
    programs: list[TaxonomyEntry]


class InstitutionCreated(InstitutionPrivate):
    """A new institution, with the key that can change it. The key is shown only here."""

    api_key: str = Field(description="Bearer key for this institution; store it now.")
    api_key_id: int

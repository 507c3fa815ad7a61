"""Request and response shapes other than the institution family."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

from matching import CandidateFilter
from service.models import InstitutionCreate, InstitutionPrivate, InstitutionPublic, UtcDatetime
from service.pagination import Page, PageParams
from service.validation import CountryCode, Id, JsonNumber, Kind, Name, SearchText

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
Exposure = Annotated[
    float,
    Field(
        ge=0.0,
        le=1.0,
        description="0 to 1: lower institutions that suit almost everyone, so suggestions "
        "spread across more partners. Scores are unchanged; only the order moves.",
    ),
]


class MatchFilters(BaseModel):
    """Which institutions may be suggested, and how many."""

    model_config = ConfigDict(extra="forbid")

    limit: MatchLimit = 10
    cross_border: CrossBorder = True
    country: list[CountryCode] = Field(
        default_factory=list, description="Only these countries (repeatable)."
    )
    kind: list[Kind] = Field(default_factory=list, description="Only these kinds (repeatable).")
    min_score: MinScore = 0.0
    diversity: Diversity = 0.0
    exposure: Exposure = 0.0

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
    min_score: Annotated[MinScore, JsonNumber] = 0.0
    diversity: Annotated[Diversity, JsonNumber] = 0.0
    exposure: Annotated[Exposure, JsonNumber] = 0.0


class MatchComponents(BaseModel):
    """The parts of a score (see docs/ranking.md)."""

    they_meet_my_needs: float = Field(description="Their offers against my needs (cosine).")
    i_meet_their_needs: float = Field(description="My offers against their needs (cosine).")
    reciprocal: float = Field(description="Both directions fused by a harmonic mean.")
    fields: float = Field(description="Overlap of technical fields (cosine).")
    programs: float = Field(description="Overlap of wanted collaboration programs (cosine).")
    description: float = Field(description="Overlap of descriptions (cosine).")
    overlap: float = Field(description="Weighted blend of fields, programs and description.")


class MatchItem(BaseModel):
    """One suggested partner."""

    institution: InstitutionPublic
    score: float = Field(description="0 to 1; higher is a better mutual fit.")
    components: MatchComponents
    reasons: list[str] = Field(description="Why, in words, drawn from the matching terms.")


class MatchList(BaseModel):
    """Suggested partners, best first."""

    items: list[MatchItem]


class BulkCreated(BaseModel):
    """The ids given to a bulk of new institutions, in the order they were sent."""

    ids: list[int]


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


class TaxonomyEntry(BaseModel):
    """A canonical field or program type."""

    id: str = Field(description="Stable identifier, e.g. `new_energy_vehicles`.")
    labels: dict[str, str] = Field(description="Label by ISO 639-1 language code.")
    synonyms: dict[str, list[str]] = Field(description="Synonyms and abbreviations by language.")


class TaxonomyOut(BaseModel):
    """Technical fields and collaboration program types that free text is mapped onto."""

    version: int
    languages: list[str]
    fields: list[TaxonomyEntry]
    programs: list[TaxonomyEntry]


class InstitutionCreated(InstitutionPrivate):
    """A new institution, with the key that can change it. The key is shown only here."""

    api_key: str = Field(description="Bearer key for this institution; store it now.")
    api_key_id: int


class KeyCreate(BaseModel):
    """A new admin or organiser key."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"label": "Phnom Penh 2026 organisers", "role": "organiser", "workshops": [1]}
            ]
        },
    )

    label: Name
    role: Literal["admin", "organiser"]
    workshops: list[Id] = Field(
        default_factory=list, max_length=100, description="Workshops an organiser key may run."
    )


class KeyPublic(BaseModel):
    """A key as listed: never its secret."""

    id: int
    label: str
    prefix: str = Field(description="The key's first characters, to recognise it.")
    role: str
    institution_id: int | None
    scopes: list[str]
    created_at: UtcDatetime
    revoked_at: UtcDatetime | None


class KeyPage(Page[KeyPublic]):
    """One page of keys, by id, without secrets."""


class KeyIssued(KeyPublic):
    """A new key, with its secret, shown this once."""

    key: str

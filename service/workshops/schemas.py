"""Request and response shapes of workshops: participants and pairing runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)
from pydantic.config import JsonDict

from matching.floor import MIN_SCORE
from matching.pairing import LockRefusal
from matching.types import ReasonKind
from service.http.pagination import Page
from service.institutions.models import InstitutionPublic
from service.institutions.schemas import MatchComponents
from service.values.times import UtcDatetime
from service.values.validation import (
    ID_KEY_PATTERN,
    CountryCode,
    Id,
    IdKey,
    IsoDate,
    IsoDatetime,
    JsonFloat,
    JsonInt,
    JsonNumber,
    Note,
    Text,
)
from service.workshops.country_groups import members
from service.workshops.survey_schemas import SurveyAnswersPublic

# What a pending meeting request adds to a pair's score: small against scores in [0, 1],
# so it tips close calls towards the pair that asked without overriding a far better match.
REQUEST_BONUS = 0.1
# Keys of JSON objects are strings: these name an institution by its id.
ID_KEYS: JsonDict = {"propertyNames": {"pattern": ID_KEY_PATTERN}}
GroupName = Annotated[Text, StringConstraints(max_length=100)]
GroupPair = Annotated[list[GroupName], Field(min_length=1, max_length=2)]
IdPair = Annotated[list[Id], Field(min_length=2, max_length=2)]


class Participants(BaseModel):
    """The institutions taking part in a workshop (replaces the whole list)."""

    model_config = ConfigDict(extra="forbid")

    institution_ids: list[Id] = Field(max_length=5000)


class PairingRequest(BaseModel):
    """Rules for one pairing run. Declared partnerships are always forbidden."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "max_partners": 2,
                    "china_with_asean_only": True,
                    "forbidden": [[3, 17]],
                    "locked": [[5, 12]],
                    "min_score": 0.05,
                }
            ]
        },
    )

    max_partners: JsonInt = Field(default=1, ge=1, le=20, description="Partners per participant.")
    max_partners_by_id: dict[IdKey, Annotated[int, Field(ge=0, le=20), JsonNumber]] = Field(
        default_factory=dict,
        description="Per-participant overrides (0 leaves one out).",
        json_schema_extra=ID_KEYS,
    )
    min_partners: JsonInt = Field(
        default=0, ge=0, le=20, description="Give everyone at least this many where feasible."
    )
    cross_border_only: StrictBool = Field(
        default=True, description="Never pair two from one country."
    )
    china_with_asean_only: StrictBool = Field(
        default=False,
        description="Shortcut: allow only pairs of China with an ASEAN country (the members "
        "of GET /country-groups).",
    )
    country_groups: dict[CountryCode, GroupName] = Field(
        default_factory=dict,
        description="Group countries (e.g. every ASEAN country to 'ASEAN'); a country "
        "not listed is its own group.",
    )
    allowed_group_pairs: list[GroupPair] = Field(
        default_factory=list,
        description="When not empty, only pairs whose two groups form one of these are "
        "allowed, e.g. [['CN', 'ASEAN']]; [['ASEAN']] allows ASEAN with ASEAN.",
    )
    forbidden: list[IdPair] = Field(default_factory=list, description="Pairs never to make.")
    locked: list[IdPair] = Field(default_factory=list, description="Pairs that must be made.")
    min_score: JsonFloat = Field(
        default=MIN_SCORE, ge=0.0, le=1.0, description="Lowest score paired."
    )
    fairness: Literal["none", "maximin"] = Field(
        default="none",
        description="'maximin' first raises the worst-off participant's best partner.",
    )
    candidates: JsonInt | None = Field(
        default=20, ge=1, le=500, description="Solve on each one's best candidates (None: all)."
    )
    time_limit: JsonFloat = Field(default=10.0, gt=0, le=120, description="Solver seconds at most.")
    keep_accepted_requests: StrictBool = Field(
        default=True,
        description="Lock the pairs of participants whose meeting request was accepted, where "
        "the other rules and capacities leave room (earliest accepted first); the rest, and "
        "with false all of them, get request_bonus instead.",
    )
    request_bonus: JsonFloat = Field(
        default=REQUEST_BONUS,
        ge=0.0,
        le=1.0,
        description="Added to the score (capped at 1) of two participants with a pending "
        "meeting request, or an accepted one not locked; only where the score is above 0.",
    )
    tolerance: JsonFloat = Field(
        default=1e-4,
        ge=0.0,
        le=0.1,
        description="Accept a pairing once it is proved within this fraction of the best "
        "possible total (0.0001 = 0.01%; 0 asks for exact optimality). The run reports the "
        "certified gap it reached.",
    )

    @model_validator(mode="after")
    def _min_within_max(self) -> PairingRequest:
        if self.min_partners > self.max_partners:
            raise ValueError("min_partners must not exceed max_partners")
        return self

    def groups(self) -> tuple[dict[str, str], frozenset[frozenset[str]]]:
        """Return the country groups and allowed group pairs these rules mean."""
        if self.china_with_asean_only:
            asean = members("ASEAN")  # seed/country_groups.json, with its source and date
            return dict.fromkeys(asean, "ASEAN"), frozenset({frozenset({"CN", "ASEAN"})})
        return dict(self.country_groups), frozenset(frozenset(p) for p in self.allowed_group_pairs)


class InstitutionRef(BaseModel):
    """Enough of an institution to read a pairing."""

    id: int
    name: str
    country: str


class PairReason(BaseModel):
    """A reason before it is put in words: its kind and the profiles' own words it quotes
    (see ``matching.Reason``)."""

    kind: ReasonKind
    items: list[str]


class PairPublic(BaseModel):
    """One suggested pair, why, and how well it scores."""

    a: InstitutionRef
    b: InstitutionRef
    score: float
    components: MatchComponents
    reasons: list[str]
    why: list[PairReason] = Field(
        default_factory=list,
        description="The reasons as kinds and quoted items, to say them in another language "
        "(empty on runs stored before it was added).",
    )
    locked: bool
    meeting_request: Literal["accepted", "pending"] | None = Field(
        default=None,
        description="The two asked to meet: 'accepted' (a mutual request) or 'pending'.",
    )


class RequestNotKept(BaseModel):
    """An accepted meeting request the run could not lock, and why (the rules win)."""

    a: InstitutionRef
    b: InstitutionRef
    why: str = Field(description="Why, in English.")
    code: LockRefusal | None = Field(
        default=None, description="The rule that refused it (absent on older runs)."
    )
    participant: InstitutionRef | None = Field(default=None, description="capacity: who is full.")
    groups: list[str] = Field(default_factory=list, description="groups: both sides' groups.")


class AlternatePublic(BaseModel):
    """A ranked fallback partner for a participant."""

    institution_id: int
    partner: InstitutionRef
    score: float


class UnpairedPublic(BaseModel):
    """A participant left without (enough) partners, and why."""

    institution: InstitutionRef
    reason: Literal["no eligible partner", "below threshold", "capacity"]


class PairingRunPublic(BaseModel):
    """A stored pairing run: its number, rules and result."""

    workshop_id: int
    number: int
    created_at: UtcDatetime
    rules: PairingRequest
    participants: int
    total: float = Field(description="Sum of the pair scores.")
    upper_bound: float = Field(description="No pairing under these rules can total more.")
    gap: float = Field(description="(upper_bound - total) / upper_bound: certified optimality.")
    objective: Literal["total", "maximin"]
    floor: float = Field(description="Lowest best-partner score among those pairable.")
    solver_seconds: float
    pairs: list[PairPublic]
    alternates: list[AlternatePublic]
    unpaired: list[UnpairedPublic]
    requests_not_kept: list[RequestNotKept] = Field(
        default_factory=list,
        description="Accepted meeting requests not locked (keep_accepted_requests), and why.",
    )


class PairingRunSummary(BaseModel):
    """A pairing run in a list."""

    number: int
    created_at: UtcDatetime
    pairs: int
    total: float
    gap: float


class PairingRunPage(Page[PairingRunSummary]):
    """One page of a workshop's pairing runs, oldest first."""


class ParticipantPage(Page[InstitutionPublic]):
    """One page of a workshop's participants (public profiles), by id."""


class PairingDiff(BaseModel):
    """What changed from one run to another."""

    run: int
    against: int
    added: list[IdPair]
    removed: list[IdPair]
    kept: int
    total_change: float


class OutcomeIn(BaseModel):
    """What happened to a pair: they met, signed an MoU, or declined."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"pair": [4, 12], "status": "mou_signed", "happened_on": "2026-05-13", "run": 2}
            ]
        },
    )

    pair: IdPair
    status: Literal["met", "mou_signed", "declined"]
    happened_on: IsoDate | None = None
    note: Note = ""
    run: Id | None = Field(default=None, description="The pairing run that suggested it.")

    @model_validator(mode="after")
    def _two_institutions(self) -> OutcomeIn:
        if self.pair[0] == self.pair[1]:
            raise ValueError("pair must name two different institutions")
        return self


class OutcomePublic(BaseModel):
    """A recorded outcome."""

    a: InstitutionRef
    b: InstitutionRef
    status: Literal["met", "mou_signed", "declined"]
    happened_on: date | None
    note: str
    run: int | None
    recorded_at: UtcDatetime


class CountryCount(BaseModel):
    """How many participants come from a country."""

    country: str
    participants: int


class WorkshopReport(BaseModel):
    """A workshop's results against its pre-pairing."""

    workshop_id: int
    run: int | None = Field(description="The pairing run compared (the latest by default).")
    participants: int
    by_country: list[CountryCount]
    pairs_suggested: int
    met: int = Field(description="Pairs recorded as met or as having signed an MoU.")
    mous_signed: int
    declined: int
    mous_suggested_share: float | None = Field(
        description="Share of signed MoUs whose pair the run had suggested (None: no MoU yet)."
    )
    never_suggested: list[InstitutionRef] = Field(
        description="Participants the run paired with nobody."
    )
    survey_answers: list[SurveyAnswersPublic] = Field(
        default_factory=list, description="Participants' Q2-Q4 answers, for the organiser."
    )


class ScheduleRequest(BaseModel):
    """How to lay a pairing run's meetings out in time."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "starts_at": "2026-05-13T14:00:00",
                    "slot_minutes": 20,
                    "break_minutes": 5,
                    "tables": 12,
                    "unavailable": {"17": [0, 1]},
                }
            ]
        },
    )

    starts_at: IsoDatetime = Field(
        description="First slot's start; without an offset it is read in the workshop's zone."
    )
    slot_minutes: JsonInt = Field(default=20, ge=5, le=240)
    break_minutes: JsonInt = Field(default=5, ge=0, le=120)
    tables: JsonInt = Field(default=20, ge=1, le=1000, description="Meetings at once.")
    max_slots: JsonInt = Field(default=48, ge=1, le=500)
    unavailable: dict[IdKey, list[Annotated[int, Field(ge=0), JsonNumber]]] = Field(
        default_factory=dict,
        description="Slots (0-based) an institution cannot attend.",
        json_schema_extra=ID_KEYS,
    )
    with_alternates: JsonInt = Field(
        default=0, ge=0, le=3, description="Also meet this many best alternates each."
    )


class MeetingPublic(BaseModel):
    """One scheduled meeting, in the workshop's time and in each side's own."""

    slot: int
    table: int
    starts_at: datetime = Field(description="In the workshop's time zone.")
    ends_at: datetime
    a: InstitutionRef
    b: InstitutionRef
    a_local_start: datetime = Field(description="Start in a's own time zone (by country).")
    b_local_start: datetime
    kind: Literal["pair", "alternate"]


class SchedulePublic(BaseModel):
    """A run's timetable."""

    workshop_id: int
    run: int
    time_zone: str
    slot_minutes: int
    slots_used: int
    lower_bound: int = Field(description="No timetable could use fewer slots.")
    idle_slots: int = Field(description="Empty slots between participants' meetings, summed.")
    meetings: list[MeetingPublic]
    unplaced: list[IdPair]

"""Plain value types that cross the library's boundary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

from matching.floor import MIN_SCORE


@dataclass(frozen=True, slots=True)
class Profile:
    """An institution as the ranker sees it: text lists, country, kind and known partners.

    ``id`` is ``None`` for a profile that is only asked about, never stored.
    ``existing_partners`` are declared partnerships (never suggested); ``worked_with``
    are institutions a recorded outcome links it to (met, MoU signed): edges of the
    partner graph like declared partnerships, but still suggested. An outcome is mutual:
    give it on both profiles.
    """

    id: int | None = None
    name: str = ""
    country: str = ""
    city: str = ""
    kind: str = ""
    fields: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    description: str = ""
    languages: tuple[str, ...] = ()
    existing_partners: frozenset[int] = frozenset()
    worked_with: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Components:
    """The parts of a score, each a cosine similarity in [0, 1] except where noted.

    ``they_meet_my_needs``: the candidate's offers against the asker's needs.
    ``i_meet_their_needs``: the asker's offers against the candidate's needs.
    ``reciprocal``: the two directions fused (harmonic mean, or half of the one known).
    ``fields``, ``programs``: the mean informativeness (IDF) of the items both list.
    ``description``: cosine of name and description; ``city``: 1 when both are in the
    same city.
    ``overlap``: the weighted blend of the parts besides ``reciprocal`` that both hold.
    ``shared_partners``: partners in common (Adamic–Adar), scaled to 1 for the
    best-connected candidate of this asker; 0 without declared partners.
    """

    they_meet_my_needs: float
    i_meet_their_needs: float
    reciprocal: float
    fields: float
    programs: float
    description: float
    overlap: float
    city: float = 0.0
    shared_partners: float = 0.0


@dataclass(frozen=True, slots=True)
class CandidateFilter:
    """Which stored profiles may be suggested.

    ``cross_border`` keeps only candidates from another country than the asker's;
    empty ``countries``/``kinds`` mean any; ``exclude`` lists ids never to return.
    Only candidates scoring above zero and at least ``min_score`` are returned; the
    default is :data:`matching.floor.MIN_SCORE`.
    """

    cross_border: bool = True
    countries: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    min_score: float = MIN_SCORE
    exclude: frozenset[int] = frozenset()


ReasonKind = Literal["offer", "need", "fields", "programs", "description", "city", "partners"]


class Reason(NamedTuple):
    """Why a candidate suits, before it is put in words: a kind and the items it quotes.

    ``items`` are the profiles' own words, kept verbatim in their own script: for
    ``offer`` (their offer, your need), for ``need`` (their need, your offer), for
    ``fields``, ``programs`` and ``description`` the shared phrases or terms, for ``city``
    the city, for ``partners`` the names of partners both work with.
    :func:`matching.explain.say` puts one in words in a language, cached by reason: a
    named tuple, whose hashing and comparing are compiled (a dataclass's are Python, and
    took half of each lookup).
    """

    kind: ReasonKind
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """One suggested partner: its id, score, the score's parts and the reasons.

    ``why`` holds the reasons as :class:`Reason` values, to be said in the reader's
    language; ``reasons`` are the same said in ``language``, the asker's (see
    :func:`matching.explain.reason_language`), put in words only when read: a service
    that says them in its reader's language never pays for them.
    """

    id: int
    score: float
    components: Components
    why: tuple[Reason, ...] = field(default=())
    language: str = "en"

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons in words, in ``language``."""
        from matching.explain import say  # explain builds on these types

        return tuple(say(reason, self.language) for reason in self.why)


# -- pairing ------------------------------------------------------------------------

UnpairedReason = Literal["no eligible partner", "capacity", "below threshold"]
Fairness = Literal["none", "maximin"]


def ordered(pair: tuple[int, int], what: str) -> tuple[int, int]:
    if len(pair) != 2:
        raise ValueError(f"{what} pair {pair!r} must have exactly two ids")
    a, b = int(pair[0]), int(pair[1])
    if a == b:
        raise ValueError(f"{what} pair ({a}, {b}) pairs a participant with itself")
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True)
class PairingRules:
    """Who may be paired with whom, how many partners each may get, and what to optimise.

    ``max_partners``: partners per participant; ``max_partners_by_id`` overrides it for
    some ids (0 takes a participant out of the pairing).
    ``min_partners``: a soft target: the solver first minimises the total shortfall below
    ``min(min_partners, cap_i)``, then optimises the objective; those still short are reported.
    ``cross_border_only``: forbid pairs of participants from the same country.
    ``country_groups`` and ``allowed_group_pairs``: when ``allowed_group_pairs`` is not empty,
    a pair is allowed only if ``{group(a), group(b)}`` is one of its members, where
    ``group(c) = country_groups.get(c, c)`` (an unmapped country is its own group). With
    ``{"KH": "ASEAN", "TH": "ASEAN", ...}`` and ``{frozenset({"CN", "ASEAN"})}`` only
    China-ASEAN pairs are allowed; adding ``frozenset({"ASEAN"})`` also allows ASEAN-ASEAN.
    ``forbidden``: pairs never to make (existing partners, vetoes), in either order; ids
    that are not participants are ignored.
    ``locked``: pairs that must be made; each must pass every rule and fit the capacities.
    ``min_score``: a pair needs a score above zero and at least ``min_score`` (default
    :data:`matching.floor.MIN_SCORE`, chosen on the evaluation sets).
    ``fairness``: ``"none"`` maximises the total score; ``"maximin"`` first maximises the
    lowest best-partner score among participants who have an eligible partner.
    """

    max_partners: int = 1
    max_partners_by_id: Mapping[int, int] = field(default_factory=dict)
    min_partners: int = 0
    cross_border_only: bool = True
    country_groups: Mapping[str, str] = field(default_factory=dict)
    allowed_group_pairs: frozenset[frozenset[str]] = frozenset()
    forbidden: frozenset[tuple[int, int]] = frozenset()
    locked: frozenset[tuple[int, int]] = frozenset()
    min_score: float = MIN_SCORE
    fairness: Fairness = "none"

    def __post_init__(self) -> None:
        if self.max_partners < 1:
            raise ValueError(f"max_partners must be at least 1, got {self.max_partners}")
        for pid, cap in self.max_partners_by_id.items():
            if cap < 0:
                raise ValueError(f"max_partners_by_id[{pid}] must be at least 0, got {cap}")
        if not 0 <= self.min_partners <= self.max_partners:
            raise ValueError(
                f"min_partners must be within [0, max_partners={self.max_partners}], "
                f"got {self.min_partners}"
            )
        if not 0.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be within [0, 1], got {self.min_score}")
        if self.fairness not in ("none", "maximin"):
            raise ValueError(f"fairness must be 'none' or 'maximin', got {self.fairness!r}")
        for groups in self.allowed_group_pairs:
            if not 1 <= len(groups) <= 2:
                raise ValueError(
                    f"allowed_group_pairs members hold one or two groups, got {set(groups)}"
                )
        forbidden = frozenset(ordered(p, "forbidden") for p in self.forbidden)
        locked = frozenset(ordered(p, "locked") for p in self.locked)
        if clash := sorted(forbidden & locked):
            raise ValueError(f"locked pair {clash[0]} is also forbidden")
        # Frozen means frozen: copy the mappings so a caller's later edits cannot leak in.
        object.__setattr__(
            self, "max_partners_by_id", MappingProxyType(dict(self.max_partners_by_id))
        )
        object.__setattr__(self, "country_groups", MappingProxyType(dict(self.country_groups)))
        object.__setattr__(self, "allowed_group_pairs", frozenset(self.allowed_group_pairs))
        object.__setattr__(self, "forbidden", forbidden)
        object.__setattr__(self, "locked", locked)


@dataclass(frozen=True, slots=True)
class Pair:
    """Two participants paired together, ``a < b``, and their score."""

    a: int
    b: int
    score: float


@dataclass(frozen=True, slots=True)
class Unpaired:
    """A participant left with no partner, or with fewer than ``min_partners``.

    ``reason`` says why no further partner was possible, looking at every other participant
    not already paired with this one:

    ``"no eligible partner"``: the country rules and forbidden pairs allow none of them;
    ``"below threshold"``: some are allowed, but each scores zero or below ``min_score``;
    ``"capacity"``: some are allowed and score high enough, but every one of them already
    has its maximum number of partners (the solver spent them where the objective gains
    more). The solver ends by adding any eligible pair whose two sides both have room, so
    these three cases are exhaustive.
    """

    id: int
    reason: UnpairedReason


@dataclass(frozen=True, slots=True)
class Alternate:
    """A ranked fallback: an eligible partner for ``id`` it was not paired with."""

    id: int
    partner: int
    score: float


@dataclass(frozen=True, slots=True)
class PairingResult:
    """The pairing and how good it is.

    ``pairs`` are sorted by ``(a, b)``; ``unpaired`` by id; ``alternates`` by id, then best
    first (at most three per participant, ties broken by partner id).
    ``total``: the sum of pair scores. ``upper_bound``: a certified bound on the highest total
    any pairing obeying the rules could reach, on the full problem even when only a
    candidate graph was solved; ``gap = (upper_bound - total) / upper_bound`` (0 when the
    bound is 0). With ``min_partners`` or ``maximin`` the gap also holds the price of those
    priorities. ``objective`` is ``"total"`` or ``"maximin"``; ``floor`` is the lowest
    best-partner score among participants who have an eligible partner.
    ``candidate_pairs`` is the number of pairs the solver chose among.
    """

    pairs: tuple[Pair, ...]
    unpaired: tuple[Unpaired, ...]
    alternates: tuple[Alternate, ...]
    total: float
    upper_bound: float
    gap: float
    objective: Literal["total", "maximin"]
    floor: float
    candidate_pairs: int
    solver_seconds: float = field(compare=False)

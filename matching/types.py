"""Plain value types that cross the library's boundary."""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.floor import MIN_SCORE


@dataclass(frozen=True, slots=True)
class Profile:
    """An institution as the ranker sees it: text lists, country, kind and known partners.

    ``id`` is ``None`` for a profile that is only asked about, never stored.
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


@dataclass(frozen=True, slots=True)
class Match:
    """One suggested partner: its id, score, the score's parts and the reasons in words."""

    id: int
    score: float
    components: Components
    reasons: tuple[str, ...] = field(default=())

"""Plain value types that cross the library's boundary."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    ``overlap``: the weighted blend of ``fields``, ``programs`` and ``description``.
    """

    they_meet_my_needs: float
    i_meet_their_needs: float
    reciprocal: float
    fields: float
    programs: float
    description: float
    overlap: float


@dataclass(frozen=True, slots=True)
class CandidateFilter:
    """Which stored profiles may be suggested.

    ``cross_border`` keeps only candidates from another country than the asker's;
    empty ``countries``/``kinds`` mean any; ``exclude`` lists ids never to return.
    Only candidates scoring above zero and at least ``min_score`` are returned.
    """

    cross_border: bool = True
    countries: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    min_score: float = 0.0
    exclude: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Match:
    """One suggested partner: its id, score, the score's parts and the reasons in words."""

    id: int
    score: float
    components: Components
    reasons: tuple[str, ...] = field(default=())

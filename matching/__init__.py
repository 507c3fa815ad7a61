"""Reciprocal partner ranking for TVET institutions: a pure numpy/scipy/scikit-learn library.

It takes plain :class:`Profile` values and returns ranked :class:`Match` values; it knows
nothing of the web service or its database.
"""

from matching.pairing import (
    Alternate,
    Pair,
    PairingResult,
    PairingRules,
    PairingSolver,
    Unpaired,
)
from matching.ranker import ReciprocalRanker
from matching.taxonomy import Concept, Taxonomy
from matching.text import analyze, normalize
from matching.types import CandidateFilter, Components, Match, Profile, Reason

__all__ = [
    "Alternate",
    "CandidateFilter",
    "Components",
    "Concept",
    "Match",
    "Pair",
    "PairingResult",
    "PairingRules",
    "PairingSolver",
    "Profile",
    "Reason",
    "ReciprocalRanker",
    "Taxonomy",
    "Unpaired",
    "analyze",
    "normalize",
]

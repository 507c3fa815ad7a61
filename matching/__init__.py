"""Reciprocal partner ranking for TVET institutions: a pure numpy/scipy/scikit-learn library.

It takes plain :class:`Profile` values and returns ranked :class:`Match` values; it knows
nothing of the web service or its database.
"""

from matching.ranker import ReciprocalRanker
from matching.taxonomy import Concept, Taxonomy
from matching.text import analyze, normalize
from matching.types import CandidateFilter, Components, Match, Profile

__all__ = [
    "CandidateFilter",
    "Components",
    "Concept",
    "Match",
    "Profile",
    "ReciprocalRanker",
    "Taxonomy",
    "analyze",
    "normalize",
]

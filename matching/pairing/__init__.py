"""Optimal MoU pre-pairing of workshop participants over a symmetric score matrix.

:mod:`~matching.pairing.problem` validates the input and builds the candidate graph,
:mod:`~matching.pairing.bounds` holds the LP relaxation, its pricing and the bounds, and
:mod:`~matching.pairing.solver` the lexicographic integer programs. The value types
(:class:`PairingRules`, :class:`PairingResult`...) live in :mod:`matching.types`.
"""

from matching.pairing.problem import fit_locks
from matching.pairing.solver import PairingSolver
from matching.types import (
    Alternate,
    Fairness,
    Pair,
    PairingResult,
    PairingRules,
    Unpaired,
    UnpairedReason,
)

__all__ = [
    "Alternate",
    "Fairness",
    "Pair",
    "PairingResult",
    "PairingRules",
    "PairingSolver",
    "Unpaired",
    "UnpairedReason",
    "fit_locks",
]

"""Optimal MoU pre-pairing of workshop participants over a symmetric score matrix.

:mod:`~matching.pairing.problem` validates the input and builds the candidate graph,
:mod:`~matching.pairing.bounds` holds the LP relaxation, its pricing and the bounds,
:mod:`~matching.pairing.solver` the lexicographic integer programs;
:mod:`~matching.pairing.locks` fits wanted pairs as locks where the rules leave room.
The value types (:class:`PairingRules`, :class:`PairingResult`...) live in :mod:`matching.types`.
"""

from matching.pairing.locks import LockRefusal, LockRefused, fit_locks
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
    "LockRefusal",
    "LockRefused",
    "Pair",
    "PairingResult",
    "PairingRules",
    "PairingSolver",
    "Unpaired",
    "UnpairedReason",
    "fit_locks",
]

"""One score from the part similarities, over the parts both profiles actually hold.

    a = they_meet_my_needs, b = i_meet_their_needs
    reciprocal = 2ab / (a + b)                 when both directions are known
               = one_sided_factor * a (or b)   when only one side wrote the text for it
    score = sum(w_p * s_p) / sum(w_p)          over the parts p present on both sides

The parts are the reciprocal core (present when either direction is known), fields,
programs, description (read with the name, so every named profile has one) and city.
A part that one side left empty is unknown, not zero: it leaves the denominator too, so
a profile that holds only a name, a country and a kind is scored on its name (and city)
alone rather than drowned in zeros. Where needs and offers exist on both sides the core
carries most of the weight, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.types import Components

__all__ = ["OVERLAP_PARTS", "Fused", "Weighing", "components_of", "fuse", "weighing"]

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

# The parts besides the reciprocal core, in the order reasons name them.
OVERLAP_PARTS = ("fields", "programs", "description", "city")

Fused = tuple[FloatArray, FloatArray, FloatArray]


@dataclass(frozen=True, slots=True)
class Weighing:
    """What :func:`fuse` takes from which parts are present, not from the similarities.

    The same for every asker holding the same parts against one index snapshot, so the
    ranker keeps one per such set (:meth:`matching.corpus.Corpus.kept`): about half of a
    fusion's array passes at 100k rows. A denominator is kept with its zeros raised to 1:
    where it is 0 no part is held, so every similarity and the numerator are 0, and
    dividing by 1 gives the 0 that ``np.where`` would choose, without branching on every
    element (``np.where`` on a mask without runs is five times slower than a division).
    """

    overlap_divisor: FloatArray  # the overlap denominator, 1 where it is 0
    divisor: FloatArray
    both_known: BoolArray | bool


def weighing(
    present: Mapping[str, BoolArray | bool], weights: Mapping[str, float], shape: tuple[int, ...]
) -> Weighing:
    """The denominators of :func:`fuse` for arrays of ``shape``."""
    a_known = present["they_meet_my_needs"]
    b_known = present["i_meet_their_needs"]
    denominator = np.zeros(shape, dtype=np.float32)
    for part in OVERLAP_PARTS:
        if present[part] is not False:
            denominator += weights[part] * np.asarray(present[part], dtype=np.float32)
    overlap_denominator = denominator.copy()
    denominator += weights["reciprocal"] * np.asarray(a_known | b_known, dtype=np.float32)
    return Weighing(_divisor(overlap_denominator), _divisor(denominator), a_known & b_known)


def _divisor(denominator: FloatArray) -> FloatArray:
    return np.where(denominator > 0, denominator, np.float32(1.0))


def fuse(
    similarity: Mapping[str, FloatArray],
    present: Mapping[str, BoolArray | bool],
    weights: Mapping[str, float],
    one_sided_factor: float,
    weighed: Weighing | None = None,
) -> Fused:
    """Return (score, reciprocal, overlap) for arrays of any one shape.

    ``similarity`` and ``present`` hold ``they_meet_my_needs``, ``i_meet_their_needs``
    and every name of :data:`OVERLAP_PARTS`; ``weights`` holds ``reciprocal`` and the
    same names. A similarity is zero wherever its part is not present (a cosine with an
    empty side is zero), and ``present`` may be a plain ``False`` for a part the asker
    left empty. Similarities are cosines, never negative. ``overlap`` is the score of the
    overlap parts alone. ``weighed``: the :func:`weighing` of these ``present`` and
    ``weights``, if kept from an earlier call.
    """
    a = similarity["they_meet_my_needs"]
    b = similarity["i_meet_their_needs"]
    a_known = present["they_meet_my_needs"]
    b_known = present["i_meet_their_needs"]
    shape = np.broadcast(a, b).shape
    weighed = weighed or weighing(present, weights, shape)
    numerator = np.zeros(shape, dtype=np.float32)
    for part in OVERLAP_PARTS:
        if present[part] is not False:
            numerator += weights[part] * similarity[part]
    overlap: FloatArray = numerator / weighed.overlap_divisor
    if a_known is False and b_known is False:
        return overlap, np.zeros(shape, dtype=np.float32), overlap
    # 2ab / (a + b), and 0 where a + b is 0: there a and b are 0, so 2ab is 0, and 0 over
    # the smallest positive float is 0; anywhere else the divisor is a + b itself.
    harmonic = 2 * a * b / np.maximum(a + b, _SMALLEST)
    # One side's similarity where only it is known: the other is 0 (an empty side).
    reciprocal = one_sided_factor * (a + b)
    np.copyto(reciprocal, harmonic, where=weighed.both_known)
    reciprocal = reciprocal.astype(np.float32, copy=False)  # when given float64 similarities
    numerator += weights["reciprocal"] * reciprocal
    return numerator / weighed.divisor, reciprocal, overlap


_SMALLEST = np.nextafter(np.float32(0), np.float32(1))


def components_of(
    similarity: Mapping[str, FloatArray], reciprocal: FloatArray, overlap: FloatArray
) -> list[Components]:
    """The score parts at every position of the score arrays."""
    names = ("they_meet_my_needs", "i_meet_their_needs", *OVERLAP_PARTS)
    columns = {name: similarity[name].tolist() for name in names}
    graph = similarity.get("shared_partners")
    shared = graph.tolist() if graph is not None else [0.0] * len(reciprocal)
    return [
        Components(
            reciprocal=float(mutual),
            overlap=float(common),
            shared_partners=float(partners),
            **{name: float(values[at]) for name, values in columns.items()},
        )
        for at, (mutual, common, partners) in enumerate(
            zip(reciprocal.tolist(), overlap.tolist(), shared, strict=True)
        )
    ]

"""Re-ranking for variety: maximal marginal relevance over a pool of good candidates.

Ten near-identical colleges from one province are a poor top 10. Given each pooled
candidate's relevance and the candidates' likeness to one another, MMR picks greedily the
candidate with the best ``(1 - diversity) * relevance - diversity * likeness to the ones
already picked``, so ``diversity=0`` keeps the plain order and higher values trade some
relevance for variety.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["mmr_order"]


def mmr_order(
    relevance: npt.NDArray[np.float64],
    likeness: npt.NDArray[np.float64] | None,
    k: int,
    diversity: float,
) -> list[int]:
    """Return the positions of up to ``k`` candidates in MMR order.

    ``relevance`` is scaled to a maximum of 1 so it is comparable with cosine likeness.
    Ties go to the earlier position, so a pool sorted by (score, id) stays deterministic.
    """
    count = len(relevance)
    top = float(relevance.max()) if count else 0.0
    scaled = relevance / top if top > 0 else relevance
    if likeness is None or diversity <= 0:
        return [int(i) for i in np.lexsort((np.arange(count), -scaled))[:k]]
    picked: list[int] = []
    closest = np.zeros(count)
    for _ in range(min(k, count)):
        gain = (1 - diversity) * scaled - diversity * closest
        gain[picked] = -np.inf
        best = int(np.argmax(gain))
        picked.append(best)
        closest = np.maximum(closest, likeness[best])
    return picked

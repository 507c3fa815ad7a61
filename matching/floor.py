"""The default floor under which a score is not a suggestion, nor a pair.

``MIN_SCORE`` was chosen on the evaluation sets (``docs/evaluation.md``): it is the
largest of 0.01, 0.02, ... 0.10 under which no set (generated, thin generated, articles,
CoVE) loses any hidden partner its top 10 found. At 0.05 the articles set would lose 11
of its 72 hits and the CoVE set 10 of 44, where true partners share little text. What
keeps a nonsense pair out of a pairing is not the floor alone: pairing also needs a
shared need, offer or field (:meth:`ReciprocalRanker.score_matrix`).
"""

from __future__ import annotations

from typing import Final

__all__ = ["MIN_SCORE"]

MIN_SCORE: Final = 0.02

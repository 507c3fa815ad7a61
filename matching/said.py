"""Match values for (asker, candidate) pairs: score, components and reasons.

Reasons are built only for the pairs given (a ranking passes its returned top k), to be
said in the language of the single asker, or of each asker when ``by_asker``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from matching.corpus import Corpus
from matching.explain import reason_language, reasons
from matching.graph import shared_names
from matching.phrase_reasons import PhraseReasons
from matching.score import components_of
from matching.types import Match, Profile

FloatArray = npt.NDArray[np.float32]


def said_matches(
    pairs: Sequence[tuple[Profile, Profile]],
    ids: Sequence[int],
    score: FloatArray,
    similarity: Mapping[str, FloatArray],
    reciprocal: FloatArray,
    overlap: FloatArray,
    phrases: PhraseReasons | None,
    corpus: Corpus,
    by_asker: bool = False,
) -> list[Match]:
    """Return one :class:`Match` per pair, with reasons when ``phrases`` are given.

    The arrays hold one position per pair; ``corpus`` names the partners both sides share.
    """
    language = reason_language(pairs[0][0]) if pairs and not by_asker else None
    components = components_of(similarity, reciprocal, overlap)
    why = (
        reasons(
            pairs,
            components,
            phrases=phrases,
            shared_partners=[shared_names(asker, other, corpus) for asker, other in pairs],
            corpus=corpus,
        )
        if phrases is not None
        else [()] * len(pairs)
    )
    return [
        Match(
            id=ids[i],
            score=float(score[i]),
            components=components[i],
            why=why[i],
            language=language or reason_language(asker),
        )
        for i, (asker, _) in enumerate(pairs)
    ]

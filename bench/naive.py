"""The naive baseline: refit a whole-profile TF-IDF on every request.

What a first version of a matching service often does: on each request, fit
``TfidfVectorizer`` (here with the project's own analyzer, so text analysis costs the
same) on the whole text of every stored profile, vectorise the asker, and rank by
cosine. The profile texts are joined once beforehand, as if a cache held them, so only
the per-request fit, transform and ranking are timed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.measure import Latency
from matching import Profile, analyze

__all__ = ["naive_latency", "naive_rank", "whole_text"]


def whole_text(profile: Profile) -> str:
    """Return every text of a profile as one document."""
    return "\n".join(
        [*profile.fields, *profile.needs, *profile.offers, *profile.programs, profile.description]
    )


def naive_rank(texts: Sequence[str], countries: Sequence[str], row: int, k: int = 10) -> list[int]:
    """Return the rows of the ``k`` profiles most similar to profile ``row``, refitting first."""
    vectorizer = TfidfVectorizer(analyzer=analyze)
    matrix = vectorizer.fit_transform(texts)
    similarity = np.asarray((matrix @ matrix[row].T).todense()).ravel()
    similarity[np.asarray(countries) == countries[row]] = -1.0  # cross-border, as by default
    similarity[row] = -1.0
    top = np.argpartition(-similarity, k)[:k]
    return [int(i) for i in top[np.argsort(-similarity[top], kind="stable")]]


def naive_latency(
    profiles: Sequence[Profile], query_rows: Sequence[int], budget_seconds: float
) -> Latency:
    """Time ``naive_rank`` for the query rows, stopping once ``budget_seconds`` are spent."""
    texts = [whole_text(p) for p in profiles]
    countries = [p.country for p in profiles]
    seconds: list[float] = []
    for row in query_rows:
        started = time.perf_counter()
        naive_rank(texts, countries, row)
        seconds.append(time.perf_counter() - started)
        if sum(seconds) >= budget_seconds:
            break
    return Latency.of(seconds)

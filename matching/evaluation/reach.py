"""How many hidden partners any ranking that scores what two profiles share could find.

Call a ranking *monotone in shared signals* when a candidate that shares with the asker
every signal the partner shares, and more, never ranks below the partner. A signal is a
term of one of the five documents (concept terms included, tagged by part) or the city
(through the gazetteer). TF-IDF and BM25 products, IDF overlaps, concept terms and a
city match are all monotone in this sense, up to length normalisation; the reciprocal
need↔offer core is not (it pairs different parts), so the bound is for profiles without
needs and offers, as imported directories hold them.

For each query of the harness's protocol (:func:`matching.evaluation.evaluate`) count the
eligible candidates whose shared signals strictly contain the partner's (``above``) and
those sharing exactly the partner's (``tied``). No such ranking finds the partner in its
top ``k`` when ``above >= k``; ``reachable`` counts the other queries, as if every tie
broke the partner's way. Ties broken without knowing the answer (at random) find it with
probability ``(k - above) / (tied + 1)`` at most 1; ``expected`` sums that.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.corpus import PARTS, place_key
from matching.documents import part_terms
from matching.evaluation.datasets import Dataset
from matching.taxonomy import Taxonomy

__all__ = ["QueryReach", "Reach", "reach"]


@dataclass(frozen=True, slots=True)
class QueryReach:
    """One query: who asks, the partner sought, and the candidates above and tied."""

    asker: str
    target: str
    above: int
    tied: int


@dataclass(frozen=True, slots=True)
class Reach:
    """The result of :func:`reach`."""

    k: int
    reachable: int
    expected: float
    queries: tuple[QueryReach, ...]


def _signals(dataset: Dataset, taxonomy: Taxonomy | None) -> dict[int, frozenset[str]]:
    found: dict[int, frozenset[str]] = {}
    for profile in dataset.profiles:
        terms = part_terms(profile, taxonomy)
        signals = {f"{part}\t{term}" for part in PARTS for term in terms[part]}
        if profile.city:
            signals.add(f"city\t{place_key(profile.city, taxonomy)}")
        found[profile.id or 0] = frozenset(signals)
    return found


def reach(dataset: Dataset, *, k: int = 10, taxonomy: Taxonomy | None = None) -> Reach:
    """Bound the hidden partners a ranking monotone in shared signals can find in a top ``k``."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    signals = _signals(dataset, taxonomy)
    partners, known = dataset.partners(), dataset.known()
    queries = [(q, t) for a, b in dataset.pairs for q, t in ((a, b), (b, a)) if dataset.asks(q)]
    rows: list[QueryReach] = []
    for asker, target in queries:
        # The harness's exclusions: the asker itself and its other partners.
        unwanted = ((partners[asker] | known[asker]) - {target}) | {asker, target}
        shared = signals[asker] & signals[target]
        above = tied = 0
        for candidate, held in signals.items():
            if candidate in unwanted:
                continue
            theirs = signals[asker] & held
            above += shared < theirs
            tied += shared == theirs
        rows.append(QueryReach(dataset.keys[asker], dataset.keys[target], above, tied))
    return Reach(
        k=k,
        reachable=sum(row.above < k for row in rows),
        expected=sum(min(1.0, max(k - row.above, 0) / (row.tied + 1)) for row in rows),
        queries=tuple(rows),
    )

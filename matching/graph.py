"""Partners of partners: who works with the institutions I already work with.

Declared partnerships (either side declaring is enough) and recorded outcomes (a met or
an MoU signed, ``Profile.worked_with``) form an undirected graph. A
candidate sharing partners with the asker scores by Adamic–Adar: each shared partner
``p`` adds ``1 / log(degree of p)``, so a partner of everyone says little and a partner
with three partnerships says a lot. Suggestions from the graph and from the text are
nearly disjoint on real data, so the graph is a signal of its own, fused with the text
score by :func:`blend` (see ``docs/ranking.md`` for the rule and how it was chosen).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from matching.corpus import Corpus
from matching.types import Profile

__all__ = [
    "asker_edges",
    "blend",
    "graph_scores",
    "neighbours",
    "shared_names",
    "shared_partner_scores",
    "shared_partners",
]

FloatArray = npt.NDArray[np.float32]


def neighbours(
    node: int, profiles: Mapping[int, Profile], declared_by: Mapping[int, frozenset[int]]
) -> frozenset[int]:
    """Everyone ``node`` declared or worked with, and everyone who declared ``node``."""
    profile = profiles.get(node)
    edges = profile.existing_partners | profile.worked_with if profile is not None else frozenset()
    return edges | declared_by.get(node, frozenset())


def asker_edges(query: Profile, corpus: Corpus) -> frozenset[int]:
    """The asker's own edges: its declared partners and whom it worked with.

    Outcomes are recorded on the stored profile; callers often ask with a profile built
    from the row and its declared partners only, so the index's copy is read too.
    """
    stored = corpus.profiles.get(query.id) if query.id is not None else None
    worked_with = stored.worked_with if stored is not None else frozenset()
    return query.existing_partners | query.worked_with | worked_with


def shared_partner_scores(
    partners: Iterable[int],
    profiles: Mapping[int, Profile],
    declared_by: Mapping[int, frozenset[int]],
) -> dict[int, float]:
    """Adamic–Adar score of every institution sharing at least one of ``partners``."""
    scores: dict[int, float] = {}
    for partner in partners:
        around = neighbours(partner, profiles, declared_by)
        if len(around) < 2:  # only the asker: nobody to recommend through it
            continue
        weight = 1.0 / math.log(len(around))
        for candidate in around:
            scores[candidate] = scores.get(candidate, 0.0) + weight
    return scores


def shared_partners(
    partners: Iterable[int],
    candidate: int,
    profiles: Mapping[int, Profile],
    declared_by: Mapping[int, frozenset[int]],
) -> list[int]:
    """The asker's partners that also work with ``candidate``, most selective first."""
    around = neighbours(candidate, profiles, declared_by)
    shared = [p for p in partners if p in around]
    degree = {p: len(neighbours(p, profiles, declared_by)) for p in shared}
    return sorted(shared, key=lambda p: (degree[p], p))


def blend(text: FloatArray, graph: FloatArray, weight: float) -> FloatArray:
    """Fuse text scores and graph scores (same rows) into one score in [0, 1].

    With graph scores scaled to a maximum of 1 for this asker,
    ``score = (1 - w) * text + w * graph``: the best-connected candidate gains ``w``,
    the others in proportion. With no graph score anywhere the text order is untouched.
    """
    if weight <= 0 or not graph.size or float(graph.max()) <= 0:
        return text
    fused: FloatArray = ((1 - weight) * text + weight * graph).astype(np.float32)
    return fused


def graph_scores(query: Profile, corpus: Corpus) -> FloatArray | None:
    """Adamic–Adar of every row for ``query``, scaled to a maximum of 1; None if all zero."""
    edges = asker_edges(query, corpus)
    if not edges:
        return None
    found = shared_partner_scores(edges, corpus.profiles, corpus.declared_by)
    rows = [corpus.row_of[c] for c in found if c in corpus.row_of]
    if not rows:
        return None
    graph = np.zeros(len(corpus.ids), dtype=np.float32)
    graph[rows] = [found[int(corpus.ids[row])] for row in rows]
    top = float(graph.max())
    return graph / top if top > 0 else None


def shared_names(query: Profile, candidate: Profile, corpus: Corpus) -> list[str]:
    """Names of the partners ``query`` and ``candidate`` share, most selective first."""
    edges = asker_edges(query, corpus)
    if not edges or candidate.id is None:
        return []
    shared = shared_partners(edges, candidate.id, corpus.profiles, corpus.declared_by)
    return [corpus.profiles[p].name for p in shared if p in corpus.profiles]

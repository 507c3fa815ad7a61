"""The solver: optimal MoU pre-pairing of workshop participants over a symmetric score matrix.

A pairing is a b-matching: a set of pairs in which participant ``i`` appears at most
``cap_i`` times. It is found as an integer program solved by HiGHS (``scipy.optimize.milp``)
with one binary variable per pair the rules allow and one capacity row per participant;
``locked`` pairs have their variable fixed to 1. With every ``cap_i = 1`` this is a maximum
weight matching on a general graph, so odd cycles rule out a plain assignment solver.

The objectives are lexicographic, solved one stage after another, each stage keeping the
optimum of the ones before it as a constraint:

1. when ``min_partners > 0``: minimise the total shortfall ``sum_i max(0, min_i - deg_i)``;
2. when ``fairness="maximin"``: maximise the floor, the lowest best-partner score over the
   participants who have any eligible partner (one left without a partner counts as 0);
3. maximise the total score.

Large instances are solved on a sparse candidate graph: each participant's best
``candidates`` eligible partners (union over both sides), grown by column generation with
the pairs the LP relaxation prices in (``bounds.price``). The reported ``upper_bound`` is valid for
the full problem all the same: the smaller of half the sum of every participant's best
``cap_i`` eligible scores and the Lagrangian bound of the full LP relaxation at the duals of
the candidate LP (``bounds.full_upper_bound``). For the plain total objective a small core
MILP (pairs of near-zero reduced cost) is solved first and kept when it is within
``mip_gap`` of that bound, as it usually is; otherwise the whole candidate graph is solved.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.pairing.bounds import full_upper_bound, price
from matching.pairing.problem import (
    ALTERNATES,
    BoolArray,
    FloatArray,
    Graph,
    IntArray,
    Problem,
    Run,
    graph_is_whole,
    prepare,
    top_candidates,
)
from matching.types import (
    Alternate,
    Pair,
    PairingResult,
    PairingRules,
    Unpaired,
    UnpairedReason,
)

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint

_PRICING_GAP = 1e-4
_CORE_SLACK = 0.01
_REPAIR_HOPS = 2
_INTEGRAL = 1e-6  # an LP value this close to 0 or 1 counts as whole
_EXACT = 1e-9  # absolute slack when mip_gap is 0, for rounding in the bound


__all__ = ["PairingSolver"]


class PairingSolver:
    """Compute optimal MoU pre-pairings from a symmetric score matrix.

    Parameters
    ----------
    candidates:
        Keep only each participant's best ``candidates`` eligible partners (union over both
        sides) before solving; ``None`` solves over every eligible pair.
    time_limit:
        Seconds for all solver calls together; on expiry the best pairing found so far is
        returned (it obeys every rule, but may then differ between runs) and ``gap`` shows
        how far from optimal it may be.
    mip_gap:
        Relative optimality tolerance (HiGHS's own default): a pairing is accepted once it
        is proved within this fraction of the best possible. 0 asks for exact optimality.
    """

    def __init__(
        self, *, candidates: int | None = 20, time_limit: float = 10.0, mip_gap: float = 1e-4
    ) -> None:
        self.candidates = candidates
        self.time_limit = time_limit
        self.mip_gap = mip_gap

    def solve(
        self,
        ids: Sequence[int],
        countries: Sequence[str],
        scores: npt.ArrayLike,
        rules: PairingRules | None = None,
    ) -> PairingResult:
        """Pair the participants ``ids`` (from ``countries``) by ``scores`` under ``rules``.

        ``scores[i, j]`` is the score of ``ids[i]`` with ``ids[j]``; the diagonal is ignored.
        Raises ``ValueError`` for malformed input and for locked pairs that break a rule.
        """
        if self.candidates is not None and self.candidates < 1:
            raise ValueError(f"candidates must be at least 1 or None, got {self.candidates}")
        if not self.time_limit > 0:
            raise ValueError(f"time_limit must be positive, got {self.time_limit}")
        if not 0 <= self.mip_gap < 1:
            raise ValueError(f"mip_gap must be within [0, 1), got {self.mip_gap}")
        start = time.perf_counter()
        rules = rules or PairingRules()
        problem = prepare(ids, countries, scores, rules)
        deadline = start + self.time_limit
        keep = top_candidates(problem, self.candidates)
        per_row = self.candidates or len(problem.ids)
        pricing_gap = max(_PRICING_GAP, self.mip_gap / 2)
        graph, duals, relaxed = price(problem, keep, per_row, deadline, pricing_gap)
        bound = full_upper_bound(problem, duals)
        chosen, proved = optimise(
            problem,
            graph,
            rules,
            deadline,
            mip_gap=self.mip_gap,
            duals=duals,
            relaxed=relaxed,
            bound=bound,
        )
        partners = _fill(graph, chosen, problem)
        upper_bound = bound if proved is None else min(bound, proved)
        return result_of(problem, graph, rules, partners, upper_bound, start)


# -- input ----------------------------------------------------------------------------------


def optimise(
    problem: Problem,
    graph: Graph,
    rules: PairingRules,
    deadline: float,
    *,
    mip_gap: float,
    duals: FloatArray,
    relaxed: FloatArray | None,
    bound: float,
) -> tuple[BoolArray, float | None]:
    """Run the stages; return the chosen edges and, if valid for the full problem, a bound.

    ``duals`` and ``relaxed`` are the capacity duals and the solution of the graph's LP
    relaxation (``None`` if it did not solve), and ``bound`` a bound on the full problem.
    """
    # Imported when solving: a serving process that never pairs does not pay its import.
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = len(graph.u)
    short = np.flatnonzero(problem.targets > 0)
    k = len(short)
    padding = sparse.csr_array((len(problem.ids), k))
    constraints = [
        LinearConstraint(sparse.hstack([graph.incidence, padding]), -np.inf, problem.caps)
    ]
    if k:
        # z_i <= deg_i and z_i <= target_i, so max sum(z) is the coverage of the targets.
        coverage = sparse.hstack([-graph.incidence[short], sparse.eye_array(k)])
        constraints.append(LinearConstraint(coverage, -np.inf, 0))
    lower = np.concatenate([graph.locked.astype(np.float64), np.zeros(k)])
    upper = np.concatenate([np.ones(m), problem.targets[short].astype(np.float64)])
    integrality = np.concatenate([np.ones(m), np.zeros(k)])

    def run(
        c: FloatArray,
        extra: Sequence[LinearConstraint] = (),
        only: BoolArray | None = None,
        fixed: BoolArray | None = None,
    ) -> Any:
        remaining = deadline - time.perf_counter()
        if m == 0 or remaining <= 0:
            return None
        high = upper if only is None else upper * np.concatenate([only, np.ones(k)])
        low = lower if fixed is None else np.maximum(lower, np.concatenate([fixed, np.zeros(k)]))
        result = milp(
            c,
            constraints=[*constraints, *extra],
            bounds=Bounds(low, high),
            integrality=integrality,
            options={"time_limit": remaining, "mip_rel_gap": mip_gap},
        )
        return result if result.x is not None else None

    # Locked pairs alone obey the capacities: the fallback if every stage runs out of time.
    chosen = graph.locked.copy()
    if k:
        result = run(np.concatenate([np.zeros(m), -np.ones(k)]))
        if result is not None:
            chosen = result.x[:m] > 0.5
            covered = float(np.round(-result.fun))
            row = sparse.csr_array(np.concatenate([np.zeros(m), np.ones(k)])[None, :])
            constraints.append(LinearConstraint(row, covered - 0.5, np.inf))
    if rules.fairness == "maximin":
        floor_rows, floor_chosen = _best_floor(problem, graph, k, run)
        if floor_chosen is not None:
            chosen = floor_chosen
        constraints.extend(floor_rows)

    by_total = np.concatenate([-graph.s, np.zeros(k)])
    plain = k == 0 and rules.fairness == "none"
    # On a large graph HiGHS's heuristics need many seconds to find a good pairing. On a
    # neighbourhood of the LP optimum it finds the best pairing there quickly, and that is
    # often within the tolerance of the full bound already; if not, the whole graph is
    # solved as well.
    if plain:
        for only, fixed in _neighbourhoods(graph, duals, relaxed):
            attempt = run(by_total, only=only, fixed=fixed)
            if attempt is not None and graph.s[attempt.x[:m] > 0.5].sum() > graph.s[chosen].sum():
                chosen = attempt.x[:m] > 0.5
            if bound - graph.s[chosen].sum() <= mip_gap * bound + _EXACT:
                return chosen, None
    result = run(by_total)
    if result is None:
        return chosen, None
    # Every earlier pairing is feasible here too: keep the best should HiGHS run out of time.
    if graph.s[result.x[:m] > 0.5].sum() >= graph.s[chosen].sum():
        chosen = result.x[:m] > 0.5
    # The dual bound bounds the full problem only when nothing narrowed the search.
    whole = plain and graph_is_whole(problem, graph)
    proved = -float(getattr(result, "mip_dual_bound", np.nan))
    return chosen, proved if whole and np.isfinite(proved) else None


def _neighbourhoods(
    graph: Graph, duals: FloatArray, relaxed: FloatArray | None
) -> Iterator[tuple[BoolArray, BoolArray | None]]:
    """Yield smaller programs to try first, as (pairs allowed, pairs fixed to 1).

    The LP optimum of a b-matching is half-integral: most pairs are whole (1) and a few odd
    cycles are split (1/2). First the whole pairs far from any split one are kept and the rest
    re-solved: the participants on split pairs, those up to ``_REPAIR_HOPS`` pairs away, and
    the whole or near-zero reduced cost pairs touching them. Then the core: every pair whose
    reduced cost is near zero, the LP optimum's support and its close rivals.
    """
    near = graph.locked | (graph.s - duals[graph.u] - duals[graph.v] >= -_CORE_SLACK)
    if relaxed is not None:
        whole = relaxed > 1 - _INTEGRAL
        split = (relaxed > _INTEGRAL) & ~whole
        if split.any():
            touched = np.zeros(graph.incidence.shape[0], dtype=bool)
            touched[graph.u[split]] = touched[graph.v[split]] = True
            for _ in range(_REPAIR_HOPS):
                reach = (touched[graph.u] | touched[graph.v]) & (whole | near)
                touched[graph.u[reach]] = touched[graph.v[reach]] = True
            fixed = whole & ~(touched[graph.u] | touched[graph.v])
            open_pairs = (touched[graph.u] | touched[graph.v]) & (near | whole)
            yield fixed | open_pairs, fixed
    if not near.all():
        yield near, None


def _floor_rows(graph: Graph, k: int, pairable: IntArray, threshold: float) -> LinearConstraint:
    """Every pairable participant gets at least one partner scoring ``threshold`` or more."""
    from scipy.optimize import LinearConstraint

    good = sparse.diags_array((graph.s >= threshold).astype(np.float64))
    rows = graph.incidence[pairable] @ good
    padding = sparse.csr_array((len(pairable), k))
    return LinearConstraint(sparse.hstack([rows, padding]), 1, np.inf)


def _best_floor(
    problem: Problem, graph: Graph, k: int, run: Run
) -> tuple[list[LinearConstraint], BoolArray | None]:
    """Binary-search the highest feasible floor; return its rows and a pairing meeting it."""
    m = len(graph.u)
    pairable = np.flatnonzero(problem.n_usable > 0)
    if not len(pairable) or not m:
        return [], None
    best = np.zeros(len(problem.ids))
    np.maximum.at(best, graph.u, graph.s)
    np.maximum.at(best, graph.v, graph.s)
    ceiling = best[pairable].min()
    thresholds = np.unique(graph.s[graph.s <= ceiling])
    low, high = -1, len(thresholds)  # thresholds[low] feasible (or none), [high] infeasible
    rows: list[LinearConstraint] = []
    chosen = None
    zero = np.zeros(m + k)
    while high - low > 1:
        middle = (low + high) // 2
        candidate = _floor_rows(graph, k, pairable, float(thresholds[middle]))
        result = run(zero, [candidate])
        if result is None:
            # Infeasible, or out of time: either way this floor is not established.
            high = middle
        else:
            low, rows, chosen = middle, [candidate], result.x[:m] > 0.5
    return rows, chosen


def _fill(graph: Graph, chosen: BoolArray, problem: Problem) -> list[set[int]]:
    """Add, best first, any eligible pair whose two sides both still have room.

    After an optimal solve on the whole graph this adds nothing; after a time-out or on a
    candidate graph it can only raise the total, and it makes "capacity" an exact reason.
    """
    partners: list[set[int]] = [set() for _ in problem.ids]
    for i, j in zip(graph.u[chosen], graph.v[chosen], strict=True):
        partners[int(i)].add(int(j))
        partners[int(j)].add(int(i))
    room = np.array([len(p) for p in partners], dtype=np.int64) < problem.caps
    open_rows = np.flatnonzero(room)
    if len(open_rows) < 2:
        return partners
    sub = problem.usable[np.ix_(open_rows, open_rows)]
    a, b = np.nonzero(np.triu(sub, k=1))
    i_all, j_all = open_rows[a], open_rows[b]
    order = np.lexsort((j_all, i_all, -problem.scores[i_all, j_all]))
    for i, j in zip(i_all[order].tolist(), j_all[order].tolist(), strict=True):
        if j in partners[i]:
            continue
        if len(partners[i]) < problem.caps[i] and len(partners[j]) < problem.caps[j]:
            partners[i].add(j)
            partners[j].add(i)
    return partners


# -- bounds and result ----------------------------------------------------------------------


def result_of(
    problem: Problem,
    graph: Graph,
    rules: PairingRules,
    partners: list[set[int]],
    upper_bound: float,
    start: float,
) -> PairingResult:
    ids, scores = problem.ids, problem.scores
    pairs = tuple(
        Pair(a=int(ids[i]), b=int(ids[j]), score=float(scores[i, j]))
        for i in range(len(ids))
        for j in sorted(partners[i])
        if i < j
    )
    total = float(sum(pair.score for pair in pairs))
    upper_bound = max(upper_bound, total)
    gap = (upper_bound - total) / upper_bound if upper_bound > 0 else 0.0

    unpaired: list[Unpaired] = []
    alternates: list[Alternate] = []
    pairable = problem.n_usable > 0
    best = np.zeros(len(ids))
    for i, mine in enumerate(partners):
        if mine:
            best[i] = max(scores[i, j] for j in mine)
        others = np.ones(len(ids), dtype=bool)
        others[[i, *mine]] = False
        if problem.caps[i] > 0 and len(mine) < max(problem.targets[i], 1):
            reason: UnpairedReason
            if not problem.allowed[i, others].any():
                reason = "no eligible partner"
            elif not problem.eligible[i, others].any():
                reason = "below threshold"
            else:
                reason = "capacity"
            unpaired.append(Unpaired(id=int(ids[i]), reason=reason))
        ranked = problem.rank[i, : problem.n_usable[i]]
        fallback = [int(j) for j in ranked[: len(mine) + ALTERNATES] if int(j) not in mine]
        alternates.extend(
            Alternate(id=int(ids[i]), partner=int(ids[j]), score=float(scores[i, j]))
            for j in fallback[:ALTERNATES]
        )
    return PairingResult(
        pairs=pairs,
        unpaired=tuple(unpaired),
        alternates=tuple(alternates),
        total=total,
        upper_bound=upper_bound,
        gap=gap,
        objective="maximin" if rules.fairness == "maximin" else "total",
        floor=float(best[pairable].min()) if pairable.any() else 0.0,
        candidate_pairs=len(graph.u),
        solver_seconds=time.perf_counter() - start,
    )

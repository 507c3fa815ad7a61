"""LP relaxation of the pairing, its pricing and the upper bounds reported with a pairing.

The bound is valid for the full problem even when only a candidate graph was solved:
the smaller of half the sum of every participant's best eligible scores and the
Lagrangian bound of the full LP relaxation at the duals of the candidate LP. Pricing adds
the pairs the duals say could improve the candidate LP (column generation).
"""

from __future__ import annotations

import time

import numpy as np

from matching.pairing.problem import BoolArray, FloatArray, Graph, Problem, candidate_graph

_PRICING_ROUNDS = 20
_PRICING_TOLERANCE = 1e-9


def lp_relaxation(
    problem: Problem, graph: Graph, deadline: float
) -> tuple[FloatArray, float, FloatArray] | None:
    """Capacity duals, value and solution of the graph's LP relaxation, if it solves in time."""
    # Imported when solving: a serving process that never pairs does not pay its import.
    from scipy.optimize import linprog

    n, m = len(problem.ids), len(graph.u)
    remaining = deadline - time.perf_counter()
    if m == 0:
        return np.zeros(n), 0.0, np.zeros(0)
    if remaining <= 0:
        return None
    result = linprog(
        -graph.s,
        A_ub=graph.incidence,
        b_ub=problem.caps,
        bounds=np.column_stack([graph.locked.astype(np.float64), np.ones(m)]),
        method="highs",
        options={"time_limit": remaining},
    )
    if result.status != 0:
        return None
    duals = np.maximum(-np.asarray(result.ineqlin.marginals, dtype=np.float64), 0.0)
    return duals, -float(result.fun), np.asarray(result.x, dtype=np.float64)


def full_upper_bound(problem: Problem, duals: FloatArray) -> float:
    """A bound on the best total over the full eligible graph, whatever was solved.

    Half the sum of each participant's ``cap_i`` best eligible scores bounds it, as every
    pair is counted from both sides. So does, for any ``y >= 0``, the Lagrangian of the LP
    relaxation ``sum_i cap_i y_i + sum_ij max(0, s_ij - y_i - y_j)`` (locked pairs enter
    without the ``max``): the duals of the candidate LP make it tight when the pairs left out
    are covered by ``y_i + y_j``.
    """
    n = len(problem.ids)
    if n == 0:
        return 0.0
    widest = int(problem.caps.max(initial=0))
    best = np.take_along_axis(problem.scores, problem.rank[:, :widest], axis=1)
    within = np.arange(best.shape[1])[None, :] < np.minimum(problem.caps, problem.n_usable)[:, None]
    simple = float(np.where(within, best, 0.0).sum() / 2)
    return min(simple, lagrangian(problem, duals))


def lagrangian(
    problem: Problem,
    duals: FloatArray,
    reduced: FloatArray | None = None,
    free: BoolArray | None = None,
) -> float:
    """Bound the full LP relaxation by relaxing the capacity rows with multipliers ``duals``.

    ``reduced`` (scores less both duals) and ``free`` (usable, unlocked, upper triangle) may
    be passed in when the caller already has them.
    """
    if reduced is None:
        reduced = problem.scores - duals[:, None] - duals[None, :]
    if free is None:
        free = np.triu(problem.usable, k=1) & ~problem.is_locked
    value = float(problem.caps @ duals)
    value += float(np.maximum(reduced[free], 0.0).sum())
    return value + float(reduced[problem.is_locked].sum())


def price(
    problem: Problem, keep: BoolArray, per_row: int, deadline: float, gap: float
) -> tuple[Graph, FloatArray, FloatArray | None]:
    """Grow the candidate graph by the pairs its LP relaxation says it is missing.

    Column generation: a pair left out whose score beats the capacity duals of its two
    sides (positive reduced cost) could raise the LP optimum, so the best ``per_row`` such
    pairs per participant join the graph and the LP is solved again. When none is left, the
    candidate LP equals the full LP, so the bound is tight and the MILP misses little; once
    the Lagrangian bound of the full LP is within ``gap`` of the candidate LP, more pairs
    could not raise it by more than that. Popular participants crowd everyone's top lists;
    without this their less popular neighbours would hardly ever appear as candidates.

    Returns the graph, the capacity duals and the LP solution on it (``None`` if the LP did
    not solve in time).
    """
    duals = np.zeros(len(problem.ids))
    free = np.triu(problem.usable, k=1) & ~problem.is_locked
    graph = candidate_graph(problem, keep)
    for _ in range(_PRICING_ROUNDS):
        solved = lp_relaxation(problem, graph, deadline)
        if solved is None:
            return graph, duals, None
        duals, value, x = solved
        reduced = np.subtract(problem.scores, duals[:, None])
        reduced -= duals[None, :]
        missing = problem.usable & ~keep & (reduced > _PRICING_TOLERANCE)
        if not missing.any() or lagrangian(problem, duals, reduced, free) - value <= gap * value:
            return graph, duals, x
        take = min(per_row, missing.shape[1])
        reduced[~missing] = -np.inf
        best = np.argpartition(-reduced, take - 1, axis=1)[:, :take]
        rows = np.repeat(np.arange(len(problem.ids)), take).reshape(best.shape)
        chosen = missing[rows, best]
        added = np.zeros_like(keep)
        added[rows[chosen], best[chosen]] = True
        keep = keep | added | added.T
        graph = candidate_graph(problem, keep)
    return graph, duals, None


# -- optimisation ---------------------------------------------------------------------------

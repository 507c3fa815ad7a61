"""The pairing problem: validated input, eligibility, and the candidate graph.

Scores, capacities and rules are checked and reordered by ascending id (ties break by
id); each participant's best eligible partners are ranked once; the candidate graph is
the sparse set of pairs the integer program chooses among.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.types import (
    PairingRules,
)

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_SYMMETRY_TOLERANCE = 1e-9


class RuleBroken(ValueError):
    """Rules the participants cannot meet (a locked pair that breaks one, say): the
    message in English, and a ``code`` with ``params`` to say it in another language."""

    def __init__(self, message: str, code: str, **params: str | int | float) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


ALTERNATES = 3  # ranked alternates kept per participant

# One MILP solve: objective and extra rows in, HiGHS result (or None: no solution in time) out.
Run = Callable[[FloatArray, Sequence["LinearConstraint"]], Any]


@dataclass(frozen=True, slots=True)
class Problem:
    """The validated input, reordered by ascending id so ties break by id."""

    ids: IntArray
    scores: FloatArray
    caps: IntArray
    targets: IntArray
    allowed: BoolArray  # the country rules and forbidden pairs permit the pair
    eligible: BoolArray  # allowed, and the score passes the threshold
    usable: BoolArray  # eligible, and both sides may have partners at all
    is_locked: BoolArray  # upper triangle only
    # Per row, the best usable columns by descending score then id, as many as the widest
    # capacity plus the alternates need; entries past ``n_usable`` mean nothing.
    rank: IntArray
    n_usable: IntArray


@dataclass(frozen=True, slots=True)
class Graph:
    """The candidate pairs the program chooses among: edge ``e`` joins ``u[e] < v[e]``."""

    u: IntArray
    v: IntArray
    s: FloatArray
    locked: BoolArray
    incidence: Any  # scipy.sparse CSR, participants x edges


def prepare(
    ids: Sequence[int], countries: Sequence[str], scores: npt.ArrayLike, rules: PairingRules
) -> Problem:
    raw_ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    n = len(raw_ids)
    if len(np.unique(raw_ids)) != n:
        raise ValueError("ids must be unique")
    if len(countries) != n:
        raise ValueError(f"got {len(countries)} countries for {n} ids")
    matrix = np.asarray(scores, dtype=np.float64)
    if matrix.shape != (n, n):
        raise ValueError(f"scores must have shape ({n}, {n}) for {n} ids, got {matrix.shape}")
    off_diagonal = ~np.eye(n, dtype=bool)
    if not np.isfinite(matrix[off_diagonal]).all():
        raise ValueError("scores must be finite")
    if n > 1 and (matrix[off_diagonal].min() < 0 or matrix[off_diagonal].max() > 1):
        raise ValueError("scores must be within [0, 1]")
    asymmetry = np.where(off_diagonal, np.abs(matrix - matrix.T), 0.0)
    if n > 1 and asymmetry.max() > _SYMMETRY_TOLERANCE:
        i, j = np.unravel_index(int(np.argmax(asymmetry)), asymmetry.shape)
        raise ValueError(
            f"scores must be symmetric: scores[{i}, {j}]={matrix[i, j]:.6g} but "
            f"scores[{j}, {i}]={matrix[j, i]:.6g} (ids {raw_ids[i]} and {raw_ids[j]})"
        )

    order = np.argsort(raw_ids, kind="stable")
    sorted_ids = raw_ids[order]
    row_of = {int(pid): row for row, pid in enumerate(sorted_ids)}
    # Average away rounding noise so the matrix is exactly symmetric.
    matrix = (matrix + matrix.T)[np.ix_(order, order)] / 2
    country = np.array([str(countries[k]) for k in order], dtype=object)

    caps = np.full(n, rules.max_partners, dtype=np.int64)
    for pid, cap in rules.max_partners_by_id.items():
        if pid not in row_of:
            raise RuleBroken(
                f"max_partners_by_id names unknown participant {pid}",
                "capacity_unknown_participant",
                participant=pid,
            )
        caps[row_of[pid]] = cap
    targets = np.minimum(caps, rules.min_partners)

    allowed = off_diagonal[np.ix_(order, order)].copy()
    if rules.cross_border_only:
        # Integer codes: comparing n^2 Python strings would take longer than the solve.
        country_code = np.unique(country.astype(str), return_inverse=True)[1]
        allowed &= country_code[:, None] != country_code[None, :]
    if rules.allowed_group_pairs:
        group = np.array([rules.country_groups.get(c, c) for c in country], dtype=object)
        names = sorted(set(group))
        code = np.array([names.index(g) for g in group], dtype=np.int64)
        permitted = np.zeros((len(names), len(names)), dtype=bool)
        for members in rules.allowed_group_pairs:
            first, last = min(members), max(members)
            if first in names and last in names:
                permitted[names.index(first), names.index(last)] = True
                permitted[names.index(last), names.index(first)] = True
        allowed &= permitted[np.ix_(code, code)]
    for a, b in rules.forbidden:
        if a in row_of and b in row_of:
            allowed[row_of[a], row_of[b]] = allowed[row_of[b], row_of[a]] = False
    eligible = allowed & (matrix > 0) & (matrix >= rules.min_score)
    usable = eligible & (caps[:, None] > 0) & (caps[None, :] > 0)

    locked = _check_locked(rules, row_of, country, matrix, allowed, caps)
    depth = int(caps.max(initial=0)) + ALTERNATES
    return Problem(
        ids=sorted_ids,
        scores=matrix,
        caps=caps,
        targets=targets,
        allowed=allowed,
        eligible=eligible,
        usable=usable,
        is_locked=locked,
        rank=_ranked_columns(matrix, usable, depth),
        n_usable=usable.sum(axis=1).astype(np.int64),
    )


def _check_locked(
    rules: PairingRules,
    row_of: Mapping[int, int],
    country: npt.NDArray[np.object_],
    matrix: FloatArray,
    allowed: BoolArray,
    caps: IntArray,
) -> BoolArray:
    locked = np.zeros(matrix.shape, dtype=bool)
    load = np.zeros(len(caps), dtype=np.int64)
    for a, b in sorted(rules.locked):
        for pid in (a, b):
            if pid not in row_of:
                raise RuleBroken(
                    f"locked pair ({a}, {b}): unknown participant {pid}",
                    "locked_unknown_participant",
                    a=a,
                    b=b,
                    participant=pid,
                )
        i, j = row_of[a], row_of[b]
        score = matrix[i, j]
        if not allowed[i, j]:
            if rules.cross_border_only and country[i] == country[j]:
                why = f"both are from {country[i]} and cross_border_only is set"
                code, params = "locked_same_country", {"country": str(country[i])}
            elif any(pair == (a, b) for pair in rules.forbidden):
                why, code, params = "the pair is forbidden", "locked_forbidden", {}
            else:
                groups = sorted({rules.country_groups.get(c, c) for c in (country[i], country[j])})
                why = f"country groups {groups} are not an allowed group pair"
                code, params = "locked_groups", {"groups": " × ".join(groups)}
            raise RuleBroken(
                f"locked pair ({a}, {b}) breaks a rule: {why}", code, a=a, b=b, **params
            )
        if not (score > 0 and score >= rules.min_score):
            raise RuleBroken(
                f"locked pair ({a}, {b}) breaks a rule: its score {score:.6g} is zero or "
                f"below min_score {rules.min_score:.6g}",
                "locked_low_score",
                a=a,
                b=b,
                score=f"{score:.2f}",
                min_score=f"{rules.min_score:.2f}",
            )
        for pid, row in ((a, i), (b, j)):
            load[row] += 1
            if load[row] > caps[row]:
                raise RuleBroken(
                    f"locked pair ({a}, {b}) exceeds capacity: participant {pid} would have "
                    f"{load[row]} locked partners but may have {caps[row]}",
                    "locked_over_capacity",
                    a=a,
                    b=b,
                    participant=pid,
                    load=int(load[row]),
                    cap=int(caps[row]),
                )
        locked[min(i, j), max(i, j)] = True
    return locked


def _ranked_columns(scores: FloatArray, usable: BoolArray, depth: int) -> IntArray:
    """Each row's best ``depth`` usable columns, by descending score then ascending column.

    A full sort of every row would cost more than the rest of the preparation; a partition
    finds each row's ``depth``-th best score, and only the columns at or above it are sorted.
    """
    n = scores.shape[0]
    depth = min(depth, n)
    ranked = np.zeros((n, depth), dtype=np.int64)
    if depth == 0:
        return ranked
    keyed = np.where(usable, scores, -np.inf)
    threshold = np.partition(keyed, n - depth, axis=1)[:, n - depth]
    rows, cols = np.nonzero((keyed >= threshold[:, None]) & usable)
    order = np.lexsort((cols, -keyed[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    position = np.arange(len(rows)) - np.searchsorted(rows, rows)
    within = position < depth
    ranked[rows[within], position[within]] = cols[within]
    return ranked


def top_candidates(problem: Problem, candidates: int | None) -> BoolArray:
    """Each participant's ``candidates`` most promising partners, union over both sides.

    Promise is the score less a guess at both sides' LP duals: half the score of each one's
    ``cap_i``-th best partner, about what one more partner is worth to it. By raw score every
    list would fill with the few participants everyone rates highly, who can take only
    ``cap_i`` partners each, and column generation would need more rounds to undo that.
    """
    n = len(problem.ids)
    if candidates is None or candidates >= n - 1:
        return problem.usable.copy()
    rows = np.arange(n)
    kth = problem.scores[rows, problem.rank[rows, np.clip(problem.caps, 1, None) - 1]]
    guess = np.where(problem.n_usable >= problem.caps, kth / 2, 0.0)
    promise = np.where(problem.usable, problem.scores - guess[:, None] - guess[None, :], -np.inf)
    best = np.argpartition(-promise, candidates - 1, axis=1)[:, :candidates]
    chosen_rows = np.repeat(rows, candidates).reshape(best.shape)
    valid = problem.usable[chosen_rows, best]
    keep = np.zeros((n, n), dtype=bool)
    keep[chosen_rows[valid], best[valid]] = True
    return keep | keep.T


def candidate_graph(problem: Problem, keep: BoolArray) -> Graph:
    u, v = np.nonzero(np.triu(keep | problem.is_locked, k=1))
    n, m = len(problem.ids), len(u)
    incidence = sparse.csr_array(
        (np.ones(2 * m), (np.concatenate([u, v]), np.concatenate([np.arange(m)] * 2))),
        shape=(n, m),
    )
    return Graph(
        u=u.astype(np.int64),
        v=v.astype(np.int64),
        s=problem.scores[u, v],
        locked=problem.is_locked[u, v],
        incidence=incidence,
    )


def graph_is_whole(problem: Problem, graph: Graph) -> bool:
    return len(graph.u) == int(np.triu(problem.usable, k=1).sum())

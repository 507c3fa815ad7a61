"""Optimal MoU pre-pairing of workshop participants over a symmetric score matrix.

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
the pairs the LP relaxation prices in (``_price``). The reported ``upper_bound`` is valid for
the full problem all the same: the smaller of half the sum of every participant's best
``cap_i`` eligible scores and the Lagrangian bound of the full LP relaxation at the duals of
the candidate LP (``_upper_bound``). For the plain total objective a small core MILP (pairs
of near-zero reduced cost) is solved first and kept when it is within ``mip_gap`` of that
bound, as it usually is; otherwise the whole candidate graph is solved.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from matching.floor import MIN_SCORE

__all__ = [
    "Alternate",
    "Pair",
    "PairingResult",
    "PairingRules",
    "PairingSolver",
    "Unpaired",
    "UnpairedReason",
]

UnpairedReason = Literal["no eligible partner", "capacity", "below threshold"]
Fairness = Literal["none", "maximin"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_SYMMETRY_TOLERANCE = 1e-9
_ALTERNATES = 3
_PRICING_ROUNDS = 20
_PRICING_TOLERANCE = 1e-9
_PRICING_GAP = 1e-4
_CORE_SLACK = 0.01
_REPAIR_HOPS = 2
_INTEGRAL = 1e-6  # an LP value this close to 0 or 1 counts as whole
_EXACT = 1e-9  # absolute slack when mip_gap is 0, for rounding in the bound


def _ordered(pair: tuple[int, int], what: str) -> tuple[int, int]:
    if len(pair) != 2:
        raise ValueError(f"{what} pair {pair!r} must have exactly two ids")
    a, b = int(pair[0]), int(pair[1])
    if a == b:
        raise ValueError(f"{what} pair ({a}, {b}) pairs a participant with itself")
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True)
class PairingRules:
    """Who may be paired with whom, how many partners each may get, and what to optimise.

    ``max_partners``: partners per participant; ``max_partners_by_id`` overrides it for
    some ids (0 takes a participant out of the pairing).
    ``min_partners``: a soft target: the solver first minimises the total shortfall below
    ``min(min_partners, cap_i)``, then optimises the objective; those still short are reported.
    ``cross_border_only``: forbid pairs of participants from the same country.
    ``country_groups`` and ``allowed_group_pairs``: when ``allowed_group_pairs`` is not empty,
    a pair is allowed only if ``{group(a), group(b)}`` is one of its members, where
    ``group(c) = country_groups.get(c, c)`` (an unmapped country is its own group). With
    ``{"KH": "ASEAN", "TH": "ASEAN", ...}`` and ``{frozenset({"CN", "ASEAN"})}`` only
    China-ASEAN pairs are allowed; adding ``frozenset({"ASEAN"})`` also allows ASEAN-ASEAN.
    ``forbidden``: pairs never to make (existing partners, vetoes), in either order; ids
    that are not participants are ignored.
    ``locked``: pairs that must be made; each must pass every rule and fit the capacities.
    ``min_score``: a pair needs a score above zero and at least ``min_score`` (default
    :data:`matching.floor.MIN_SCORE`, chosen on the evaluation sets).
    ``fairness``: ``"none"`` maximises the total score; ``"maximin"`` first maximises the
    lowest best-partner score among participants who have an eligible partner.
    """

    max_partners: int = 1
    max_partners_by_id: Mapping[int, int] = field(default_factory=dict)
    min_partners: int = 0
    cross_border_only: bool = True
    country_groups: Mapping[str, str] = field(default_factory=dict)
    allowed_group_pairs: frozenset[frozenset[str]] = frozenset()
    forbidden: frozenset[tuple[int, int]] = frozenset()
    locked: frozenset[tuple[int, int]] = frozenset()
    min_score: float = MIN_SCORE
    fairness: Fairness = "none"

    def __post_init__(self) -> None:
        if self.max_partners < 1:
            raise ValueError(f"max_partners must be at least 1, got {self.max_partners}")
        for pid, cap in self.max_partners_by_id.items():
            if cap < 0:
                raise ValueError(f"max_partners_by_id[{pid}] must be at least 0, got {cap}")
        if not 0 <= self.min_partners <= self.max_partners:
            raise ValueError(
                f"min_partners must be within [0, max_partners={self.max_partners}], "
                f"got {self.min_partners}"
            )
        if not 0.0 <= self.min_score <= 1.0:
            raise ValueError(f"min_score must be within [0, 1], got {self.min_score}")
        if self.fairness not in ("none", "maximin"):
            raise ValueError(f"fairness must be 'none' or 'maximin', got {self.fairness!r}")
        for groups in self.allowed_group_pairs:
            if not 1 <= len(groups) <= 2:
                raise ValueError(
                    f"allowed_group_pairs members hold one or two groups, got {set(groups)}"
                )
        forbidden = frozenset(_ordered(p, "forbidden") for p in self.forbidden)
        locked = frozenset(_ordered(p, "locked") for p in self.locked)
        if clash := sorted(forbidden & locked):
            raise ValueError(f"locked pair {clash[0]} is also forbidden")
        # Frozen means frozen: copy the mappings so a caller's later edits cannot leak in.
        object.__setattr__(
            self, "max_partners_by_id", MappingProxyType(dict(self.max_partners_by_id))
        )
        object.__setattr__(self, "country_groups", MappingProxyType(dict(self.country_groups)))
        object.__setattr__(self, "allowed_group_pairs", frozenset(self.allowed_group_pairs))
        object.__setattr__(self, "forbidden", forbidden)
        object.__setattr__(self, "locked", locked)


@dataclass(frozen=True, slots=True)
class Pair:
    """Two participants paired together, ``a < b``, and their score."""

    a: int
    b: int
    score: float


@dataclass(frozen=True, slots=True)
class Unpaired:
    """A participant left with no partner, or with fewer than ``min_partners``.

    ``reason`` says why no further partner was possible, looking at every other participant
    not already paired with this one:

    ``"no eligible partner"``: the country rules and forbidden pairs allow none of them;
    ``"below threshold"``: some are allowed, but each scores zero or below ``min_score``;
    ``"capacity"``: some are allowed and score high enough, but every one of them already
    has its maximum number of partners (the solver spent them where the objective gains
    more). The solver ends by adding any eligible pair whose two sides both have room, so
    these three cases are exhaustive.
    """

    id: int
    reason: UnpairedReason


@dataclass(frozen=True, slots=True)
class Alternate:
    """A ranked fallback: an eligible partner for ``id`` it was not paired with."""

    id: int
    partner: int
    score: float


@dataclass(frozen=True, slots=True)
class PairingResult:
    """The pairing and how good it is.

    ``pairs`` are sorted by ``(a, b)``; ``unpaired`` by id; ``alternates`` by id, then best
    first (at most three per participant, ties broken by partner id).
    ``total``: the sum of pair scores. ``upper_bound``: a certified bound on the highest total
    any pairing obeying the rules could reach, on the full problem even when only a
    candidate graph was solved; ``gap = (upper_bound - total) / upper_bound`` (0 when the
    bound is 0). With ``min_partners`` or ``maximin`` the gap also holds the price of those
    priorities. ``objective`` is ``"total"`` or ``"maximin"``; ``floor`` is the lowest
    best-partner score among participants who have an eligible partner.
    ``candidate_pairs`` is the number of pairs the solver chose among.
    """

    pairs: tuple[Pair, ...]
    unpaired: tuple[Unpaired, ...]
    alternates: tuple[Alternate, ...]
    total: float
    upper_bound: float
    gap: float
    objective: Literal["total", "maximin"]
    floor: float
    candidate_pairs: int
    solver_seconds: float = field(compare=False)


# One MILP solve: objective and extra rows in, HiGHS result (or None: no solution in time) out.
_Run = Callable[[FloatArray, Sequence[LinearConstraint]], Any]


@dataclass(frozen=True, slots=True)
class _Problem:
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
class _Graph:
    """The candidate pairs the program chooses among: edge ``e`` joins ``u[e] < v[e]``."""

    u: IntArray
    v: IntArray
    s: FloatArray
    locked: BoolArray
    incidence: Any  # scipy.sparse CSR, participants x edges


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
        problem = _prepare(ids, countries, scores, rules)
        deadline = start + self.time_limit
        keep = _top_candidates(problem, self.candidates)
        per_row = self.candidates or len(problem.ids)
        pricing_gap = max(_PRICING_GAP, self.mip_gap / 2)
        graph, duals, relaxed = _price(problem, keep, per_row, deadline, pricing_gap)
        bound = _upper_bound(problem, duals)
        chosen, proved = _optimise(
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
        return _result(problem, graph, rules, partners, upper_bound, start)


# -- input ----------------------------------------------------------------------------------


def _prepare(
    ids: Sequence[int], countries: Sequence[str], scores: npt.ArrayLike, rules: PairingRules
) -> _Problem:
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
            raise ValueError(f"max_partners_by_id names unknown participant {pid}")
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
    depth = int(caps.max(initial=0)) + _ALTERNATES
    return _Problem(
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
                raise ValueError(f"locked pair ({a}, {b}): unknown participant {pid}")
        i, j = row_of[a], row_of[b]
        score = matrix[i, j]
        if not allowed[i, j]:
            if rules.cross_border_only and country[i] == country[j]:
                why = f"both are from {country[i]} and cross_border_only is set"
            elif any(pair == (a, b) for pair in rules.forbidden):
                why = "the pair is forbidden"
            else:
                groups = sorted({rules.country_groups.get(c, c) for c in (country[i], country[j])})
                why = f"country groups {groups} are not an allowed group pair"
            raise ValueError(f"locked pair ({a}, {b}) breaks a rule: {why}")
        if not (score > 0 and score >= rules.min_score):
            raise ValueError(
                f"locked pair ({a}, {b}) breaks a rule: its score {score:.6g} is zero or "
                f"below min_score {rules.min_score:.6g}"
            )
        for pid, row in ((a, i), (b, j)):
            load[row] += 1
            if load[row] > caps[row]:
                raise ValueError(
                    f"locked pair ({a}, {b}) exceeds capacity: participant {pid} would have "
                    f"{load[row]} locked partners but may have {caps[row]}"
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


def _top_candidates(problem: _Problem, candidates: int | None) -> BoolArray:
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


def _graph(problem: _Problem, keep: BoolArray) -> _Graph:
    u, v = np.nonzero(np.triu(keep | problem.is_locked, k=1))
    n, m = len(problem.ids), len(u)
    incidence = sparse.csr_array(
        (np.ones(2 * m), (np.concatenate([u, v]), np.concatenate([np.arange(m)] * 2))),
        shape=(n, m),
    )
    return _Graph(
        u=u.astype(np.int64),
        v=v.astype(np.int64),
        s=problem.scores[u, v],
        locked=problem.is_locked[u, v],
        incidence=incidence,
    )


def _price(
    problem: _Problem, keep: BoolArray, per_row: int, deadline: float, gap: float
) -> tuple[_Graph, FloatArray, FloatArray | None]:
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
    graph = _graph(problem, keep)
    for _ in range(_PRICING_ROUNDS):
        solved = _lp_relaxation(problem, graph, deadline)
        if solved is None:
            return graph, duals, None
        duals, value, x = solved
        reduced = np.subtract(problem.scores, duals[:, None])
        reduced -= duals[None, :]
        missing = problem.usable & ~keep & (reduced > _PRICING_TOLERANCE)
        if not missing.any() or _lagrangian(problem, duals, reduced, free) - value <= gap * value:
            return graph, duals, x
        take = min(per_row, missing.shape[1])
        reduced[~missing] = -np.inf
        best = np.argpartition(-reduced, take - 1, axis=1)[:, :take]
        rows = np.repeat(np.arange(len(problem.ids)), take).reshape(best.shape)
        chosen = missing[rows, best]
        added = np.zeros_like(keep)
        added[rows[chosen], best[chosen]] = True
        keep = keep | added | added.T
        graph = _graph(problem, keep)
    return graph, duals, None


# -- optimisation ---------------------------------------------------------------------------


def _optimise(
    problem: _Problem,
    graph: _Graph,
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
    whole = plain and _graph_is_whole(problem, graph)
    proved = -float(getattr(result, "mip_dual_bound", np.nan))
    return chosen, proved if whole and np.isfinite(proved) else None


def _graph_is_whole(problem: _Problem, graph: _Graph) -> bool:
    return len(graph.u) == int(np.triu(problem.usable, k=1).sum())


def _neighbourhoods(
    graph: _Graph, duals: FloatArray, relaxed: FloatArray | None
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


def _floor_rows(graph: _Graph, k: int, pairable: IntArray, threshold: float) -> LinearConstraint:
    """Every pairable participant gets at least one partner scoring ``threshold`` or more."""
    good = sparse.diags_array((graph.s >= threshold).astype(np.float64))
    rows = graph.incidence[pairable] @ good
    padding = sparse.csr_array((len(pairable), k))
    return LinearConstraint(sparse.hstack([rows, padding]), 1, np.inf)


def _best_floor(
    problem: _Problem, graph: _Graph, k: int, run: _Run
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


def _fill(graph: _Graph, chosen: BoolArray, problem: _Problem) -> list[set[int]]:
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


def _lp_relaxation(
    problem: _Problem, graph: _Graph, deadline: float
) -> tuple[FloatArray, float, FloatArray] | None:
    """Capacity duals, value and solution of the graph's LP relaxation, if it solves in time."""
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


def _upper_bound(problem: _Problem, duals: FloatArray) -> float:
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
    return min(simple, _lagrangian(problem, duals))


def _lagrangian(
    problem: _Problem,
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


def _result(
    problem: _Problem,
    graph: _Graph,
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
        fallback = [int(j) for j in ranked[: len(mine) + _ALTERNATES] if int(j) not in mine]
        alternates.extend(
            Alternate(id=int(ids[i]), partner=int(ids[j]), score=float(scores[i, j]))
            for j in fallback[:_ALTERNATES]
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

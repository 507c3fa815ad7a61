"""Fusing the part similarities: the formula, bit for bit, and a kept weighing changes no
bit of any score."""

from __future__ import annotations

import random

import numpy as np

from matching import Profile, ReciprocalRanker
from matching.pairwise import locality, present_in_index
from matching.score import OVERLAP_PARTS, fuse

TOPICS = ["CNC", "welding", "HVAC", "robotics", "logistics", "solar", "EV", "hotel", "drones"]


def _profile(rng: random.Random, number: int) -> Profile:
    """A profile that leaves some parts empty, so askers hold different sets of parts."""

    def maybe(*items: str) -> tuple[str, ...]:
        return items if rng.random() < 0.7 else ()

    return Profile(
        id=number,
        name=f"{rng.choice(TOPICS)} college {number}",
        country=rng.choice(["CN", "KH", "TH", "VN"]),
        city=rng.choice(["", "Phnom Penh", "Kunming"]),
        kind="college",
        fields=maybe(rng.choice(TOPICS)),
        needs=maybe(f"{rng.choice(TOPICS)} teacher training"),
        offers=maybe(f"{rng.choice(TOPICS)} internships"),
        programs=maybe(rng.choice(["student exchange", "staff exchange"])),
    )


def _fused_afresh(ranker: ReciprocalRanker, query: Profile) -> tuple[np.ndarray, ...]:
    """The fusion of ``score_all``'s similarities with every denominator computed again."""
    corpus = ranker.corpus_
    _, similarity, _, _ = ranker.score_all(query)
    asked = ranker._asked_parts(query)
    present = present_in_index(corpus, asked)
    _, present["city"] = locality(corpus, query.city)
    return fuse(similarity, present, ranker._weights(), ranker.one_sided_factor)


def _assert_same_bits(ranker: ReciprocalRanker, query: Profile) -> None:
    score, _, reciprocal, overlap = ranker.score_all(query)
    expected = _fused_afresh(ranker, query)
    for got, want in zip((score, reciprocal, overlap), expected, strict=True):
        assert got.dtype == want.dtype == np.float32
        assert np.array_equal(got, want)


def test_askers_holding_the_same_parts_share_a_weighing_and_keep_their_bits() -> None:
    rng = random.Random(3)
    ranker = ReciprocalRanker().fit([_profile(rng, number) for number in range(1, 400)])
    askers = [_profile(rng, number) for number in range(1000, 1060)]
    held = {(bool(a.needs), bool(a.offers), bool(a.fields), bool(a.programs)) for a in askers}
    assert len(held) > 4  # several sets of parts, each met more than once
    for asker in askers:
        _assert_same_bits(ranker, asker)
    score, *_ = ranker.score_all(askers[0])
    assert score.any()


def test_a_new_snapshot_weighs_its_own_rows() -> None:
    rng = random.Random(5)
    ranker = ReciprocalRanker().fit([_profile(rng, number) for number in range(1, 200)])
    asker = _profile(rng, 500)
    _assert_same_bits(ranker, asker)
    rows = len(ranker.corpus_.ids)
    # Every row gains what the asker holds, so the same set of parts weighs differently.
    ranker.upsert([_profile(rng, number) for number in range(200, 260)])
    assert len(ranker.corpus_.ids) > rows
    _assert_same_bits(ranker, asker)


def _fused_by_the_formula(
    similarity: dict[str, np.ndarray],
    present: dict[str, np.ndarray | bool],
    weights: dict[str, float],
    one_sided: float,
) -> tuple[np.ndarray, ...]:
    """The module docstring's formula, written plainly: np.where at every choice."""
    a, b = similarity["they_meet_my_needs"], similarity["i_meet_their_needs"]
    a_known, b_known = present["they_meet_my_needs"], present["i_meet_their_needs"]
    numerator = np.zeros(a.shape, dtype=np.float32)
    denominator = np.zeros(a.shape, dtype=np.float32)
    for part in OVERLAP_PARTS:
        if present[part] is not False:
            numerator += weights[part] * similarity[part]
            denominator += weights[part] * np.asarray(present[part], dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        overlap = np.where(denominator > 0, numerator / denominator, 0.0).astype(np.float32)
        harmonic = np.where(a + b > 0, 2 * a * b / (a + b), 0.0)
    single = one_sided * (np.where(a_known, a, 0.0) + np.where(b_known, b, 0.0))
    reciprocal = np.where(a_known & b_known, harmonic, single).astype(np.float32)
    numerator += weights["reciprocal"] * reciprocal
    denominator += weights["reciprocal"] * np.asarray(a_known | b_known, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(denominator > 0, numerator / denominator, 0.0).astype(np.float32)
    return score, reciprocal, overlap


def test_fusing_gives_the_formula_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    rows = 4000
    for trial in range(60):
        present: dict[str, np.ndarray | bool] = {}
        similarity: dict[str, np.ndarray] = {}
        for part in ("they_meet_my_needs", "i_meet_their_needs", *OVERLAP_PARTS):
            kind = trial % 3 if part == "they_meet_my_needs" else int(rng.integers(3))
            held: np.ndarray | bool = (False, True, rng.random(rows) < rng.random())[kind]
            values = (rng.random(rows) ** int(rng.integers(1, 40))).astype(np.float32)
            values[rng.random(rows) < 0.5] = 0.0  # cosines of disjoint texts
            values[:5] = np.float32(1e-40)  # subnormal cosines
            present[part] = held
            similarity[part] = values * np.asarray(held, dtype=np.float32)  # 0 where absent
        weights = {name: float(rng.random()) for name in ("reciprocal", *OVERLAP_PARTS)}
        one_sided = float(rng.random())
        fused = fuse(similarity, present, weights, one_sided)
        expected = _fused_by_the_formula(similarity, present, weights, one_sided)
        named = zip(("score", "reciprocal", "overlap"), fused, expected, strict=True)
        for name, got, want in named:
            assert got.dtype == np.float32, name
            assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), (trial, name)
        assert np.count_nonzero(fused[0]) > rows // 4  # the scores say something

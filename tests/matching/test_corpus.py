"""The segmented corpus: writes land in a delta that merges, and scores never change."""

from __future__ import annotations

import os
import random
import signal
import time

import numpy as np

from matching import Profile, ReciprocalRanker
from matching.corpus import SIMILARITIES
from matching.documents import stored_parts

TOPICS = ["CNC", "welding", "HVAC", "robotics", "logistics", "solar", "EV", "hotel", "drones"]


def _profiles(count: int) -> list[Profile]:
    rng = random.Random(7)
    return [
        Profile(
            id=i,
            country=rng.choice(["CN", "KH", "TH", "VN"]),
            kind="college",
            fields=(rng.choice(TOPICS),),
            needs=(f"{rng.choice(TOPICS)} teacher training", f"{rng.choice(TOPICS)} lab"),
            offers=(f"{rng.choice(TOPICS)} internships", f"{rng.choice(TOPICS)} courses"),
            programs=(rng.choice(["student exchange", "staff exchange"]),),
        )
        for i in range(1, count + 1)
    ]


def _scores_by_id(ranker: ReciprocalRanker, query: Profile) -> dict[int, float]:
    corpus = ranker.corpus_
    score, *_ = ranker.score_all(query)
    return {int(corpus.ids[row]): float(score[row]) for row in np.flatnonzero(corpus.alive)}


def test_rows_written_after_fit_score_exactly_as_fitted_rows() -> None:
    profiles = _profiles(1500)
    fitted = ReciprocalRanker().fit(profiles)
    rewritten = ReciprocalRanker().fit(profiles)
    rewritten.remove(p.id for p in profiles if p.id is not None)
    for start in range(0, len(profiles), 100):
        rewritten.upsert(profiles[start : start + 100])
    # 1,500 rows written one hundred at a time: the delta was folded into the base.
    assert rewritten.corpus_.base.rows > len(profiles)
    assert rewritten.corpus_.delta.rows < 1000
    for query in profiles[:5]:
        expected = _scores_by_id(fitted, query)
        got = _scores_by_id(rewritten, query)
        assert got.keys() == expected.keys()
        assert np.allclose([got[i] for i in expected], list(expected.values()), atol=1e-6)
        assert [m.id for m in rewritten.rank(query)] == [m.id for m in fitted.rank(query)]


def test_diversity_reads_rows_from_both_segments() -> None:
    profiles = _profiles(300)
    ranker = ReciprocalRanker().fit(profiles[:200])
    ranker.upsert(profiles[200:])
    query = profiles[0]
    varied = ranker.rank(query, k=10, diversity=0.5, exposure=0.5)
    assert len(varied) == 10
    assert any(m.id > 200 for m in ranker.rank(query, k=50))


def test_an_askers_similarities_are_the_same_bits_by_posting_lists_and_by_sparse_product() -> None:
    profiles = _profiles(800)
    ranker = ReciprocalRanker().fit(profiles)
    segment = ranker.corpus_.base
    nothing = (np.zeros(0, np.int32), np.zeros(0, np.float32))
    for number, query in enumerate(profiles[:20]):
        parts = stored_parts(ranker.corpus_, query)
        assert parts is not None
        asked = [parts[asked_part] for _, _, asked_part in SIMILARITIES]
        if number % 2:  # an asker who left some parts empty: those similarities are zero
            asked[number % len(asked)] = asked[(number + 2) % len(asked)] = nothing
        by_postings = segment.similarities(asked, product_from=2**62)
        by_product = segment.similarities(asked, product_from=0, threads_from=2**62)
        on_threads = segment.similarities(asked, product_from=0, threads_from=0)
        assert by_postings.dtype == by_product.dtype == on_threads.dtype == np.float32
        assert by_postings.any()
        assert np.array_equal(by_postings, by_product)
        assert np.array_equal(by_postings, on_threads)


def test_a_process_forked_after_threaded_products_runs_its_own() -> None:
    """A worker forked from a process that already ran products on threads gets threads
    of its own: the parent's did not survive the fork, and handing them work would hang."""
    profiles = _profiles(300)
    corpus = ReciprocalRanker().fit(profiles).corpus_
    segment = corpus.base
    parts = stored_parts(corpus, profiles[0])
    assert parts is not None
    asked = [parts[asked_part] for _, _, asked_part in SIMILARITIES]
    expected = segment.similarities(asked, product_from=0, threads_from=0)  # pool started
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's status is the assertion
        same = np.array_equal(segment.similarities(asked, product_from=0, threads_from=0), expected)
        os._exit(0 if same else 1)
    deadline = time.monotonic() + 30
    while (ended := os.waitpid(child, os.WNOHANG)) == (0, 0) and time.monotonic() < deadline:
        time.sleep(0.02)
    if ended == (0, 0):
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        raise AssertionError("the forked process hung on its products")
    assert os.waitstatus_to_exitcode(ended[1]) == 0

"""``python -m bench.profile_columns``: what ranking pays for profiles read from columns.

On one cached generation (``bench.startup``'s, fitted if missing), the same queries are
ranked on the mapped corpus twice per query, in alternating order: once as mapped (the
profiles as columns, each built when read) and once with every profile and partner set
copied into dictionaries first (what format 1 gave a worker). The phrase cache is
cleared before each ranking, so neither side reuses the other's analysis. Prints the
p50 of each, the microseconds one profile takes to build, and how many of ``--exact``
top-10 lists on the mapped corpus equal the exact recomputation (``bench.exact``).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from bench.exact import check_top_k
from bench.startup import cached_generation

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Time top-10 rankings over columns and over dictionaries, alternated."""
    from matching import CandidateFilter, ReciprocalRanker, Taxonomy, documents, persist
    from matching.columns import ProfileColumns
    from seed import load_taxonomy
    from service.institutions.generations import Generations

    parser = argparse.ArgumentParser(prog="python -m bench.profile_columns", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--exact", type=int, default=20)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/tvet-bench-cache"))
    args = parser.parse_args(argv)
    store = Generations(cached_generation(args.n, args.seed, args.cache_dir)[0])
    name = store.current()
    assert name is not None
    mapped = store.open(name, ReciprocalRanker(taxonomy=Taxonomy.from_dict(load_taxonomy())))
    assert mapped is not None
    ranker, columns = mapped.ranker, mapped.ranker.corpus_
    copied = dataclasses.replace(
        columns, profiles=dict(columns.profiles), declared_by=dict(columns.declared_by)
    )
    ids = random.Random(0).sample(sorted(columns.profiles), args.queries + 5)
    times: dict[str, list[float]] = {"columns": [], "dictionaries": []}
    sides = [("columns", columns), ("dictionaries", copied)]
    for number, pid in enumerate(ids):
        query = copied.profiles[pid]
        for side, corpus in sides if number % 2 else sides[::-1]:
            ranker.corpus_ = corpus
            documents._terms_of.cache_clear()
            began = time.perf_counter()
            ranker.rank(query, k=10, where=CandidateFilter())
            if number >= 5:  # warm-up
                times[side].append((time.perf_counter() - began) * 1000)
    # Mapped again, so no profile is built yet (checksums skipped: open checked them).
    fresh = ProfileColumns(persist.read_state(store.root / name, verify=False)[0].arrays)
    began = time.perf_counter()
    for pid in ids:
        fresh[pid]
    build_us = (time.perf_counter() - began) / len(ids) * 1e6
    print(f"n={args.n}, top-10 p50 over {args.queries} queries, alternated")
    for side, measured in times.items():
        print(f"  profiles as {side}: {statistics.median(measured):.1f} ms")
    print(f"  one profile built from the columns: {build_us:.0f} us")
    ranker.corpus_ = columns
    queries = [columns.profiles[pid] for pid in ids[: args.exact]]
    results = [ranker.rank(query, k=10, where=CandidateFilter()) for query in queries]
    check = check_top_k(ranker, queries, results, columns.declared_by)
    print(f"  top-10 identical to exact on the mapped corpus: {check.identical}/{check.checked}")
    mapped.release()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Top-10 latency of two versions of the ranker in ONE process, queries interleaved.

    git archive main | tar -x -C /tmp/before
    .venv/bin/python -m bench.compare /tmp/before --n 100000 --queries 200

The other version (a source tree: ``matching/``, ``seed/``) and this checkout are
imported one after the other under the same package names; each fitted ranker keeps its
own module globals, so both answer side by side. The profiles come from this
checkout's ``bench.profiles``; each version fits them with its own shipped taxonomy. Every
asker is timed on both rankers in turn, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_PACKAGES = ("matching", "seed", "bench")


def _load(tree: Path) -> tuple[Callable[..., Any], Any]:
    """Import ``matching`` and ``seed`` from ``tree``; return (ranker class, taxonomy)."""
    for name in [m for m in sys.modules if m.split(".")[0] in _PACKAGES]:
        del sys.modules[name]
    sys.path.insert(0, str(tree))
    try:
        import matching
        import seed
    finally:
        sys.path.remove(str(tree))
    if not str(matching.__file__).startswith(str(tree)):
        raise SystemExit(f"matching was not imported from {tree}")
    taxonomy = matching.Taxonomy.from_dict(seed.load_taxonomy())
    return matching.ReciprocalRanker, taxonomy


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="source tree of the version to compare with")
    parser.add_argument("--n", type=int, default=100_000, help="stored profiles")
    parser.add_argument("--queries", type=int, default=200, help="timed askers")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the profile generator")
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parents[1]
    _load(here)
    from bench.inprocess import pick_queries
    from bench.profiles import generate
    from seed import load_taxonomy

    profiles = list(generate(args.n, seed=args.seed, taxonomy=load_taxonomy()))
    queries = pick_queries(profiles, args.queries, seed=args.seed + 1)
    rankers = {}
    for label, tree in (("before", args.before.resolve()), ("after", here)):
        ranker_class, taxonomy = _load(tree)
        started = time.perf_counter()
        rankers[label] = ranker_class(taxonomy=taxonomy).fit(profiles)
        print(f"{label}: fitted in {time.perf_counter() - started:.1f}s", flush=True)
    for explain in (True, False):
        seconds: dict[str, list[float]] = {label: [] for label in rankers}
        for query in queries:
            for label, ranker in rankers.items():
                started = time.perf_counter()
                ranker.rank(query, k=10, explain=explain)
                seconds[label].append(time.perf_counter() - started)
        median = {label: statistics.median(values) * 1000 for label, values in seconds.items()}
        print(
            f"n={args.n} reasons={explain} askers={len(queries)}: median before "
            f"{median['before']:.2f} ms, after {median['after']:.2f} ms, "
            f"ratio {median['after'] / median['before']:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()

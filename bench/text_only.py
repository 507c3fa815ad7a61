"""What the rule for an asker holding only text costs a ranking, in-process.

    .venv/bin/python -m bench.text_only --n 10000 --queries 100

Stored profiles come from ``bench.profiles`` (they all hold needs or offers, so the rule
never acts on them as askers); each timed asker is a stored profile cut down to its name,
city and description, asked unsaved. Every asker is ranked three ways in turn, so a busy
machine slows all alike: as served (concept terms dropped, exposure 0.5), the same with
``exposure=0``, and with the rule off (concept terms kept, exposure 0). The difference
between the first two is the exposure re-ranking: a pool of 50 candidates scored against
the corpus's sample of askers.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.inprocess import pick_queries
from bench.profiles import generate
from matching import Profile, ReciprocalRanker, Taxonomy
from matching.documents import holds_only_text
from seed import load_taxonomy

_KEPT = ("name", "country", "city", "kind", "description")


def _text_only(profile: Profile) -> Profile:
    return Profile(**{name: getattr(profile, name) for name in _KEPT})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="stored profiles")
    parser.add_argument("--queries", type=int, default=100, help="timed askers")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the profile generator")
    args = parser.parse_args(argv)
    profiles = list(generate(args.n, seed=args.seed, taxonomy=load_taxonomy()))
    print(f"stored profiles holding only text: {sum(map(holds_only_text, profiles))}")
    ranker = ReciprocalRanker(taxonomy=Taxonomy.from_dict(load_taxonomy())).fit(profiles)
    askers = [_text_only(p) for p in pick_queries(profiles, args.queries, seed=args.seed + 1)]
    # (text_only_concepts, exposure): a query-time parameter, so one fit serves all three.
    ways = {
        "as served (no concepts, exposure 0.5)": (False, None),
        "no concepts, exposure 0": (False, 0.0),
        "rule off (concepts, exposure 0)": (True, 0.0),
    }
    for asker in askers[:5]:  # warm-up: caches of the text analysis and the sample
        ranker.rank(asker, k=10)
    for explain in (True, False):
        seconds: dict[str, list[float]] = {label: [] for label in ways}
        for asker in askers:
            for label, (concepts, exposure) in ways.items():
                ranker.text_only_concepts = concepts
                started = time.perf_counter()
                ranker.rank(asker, k=10, exposure=exposure, explain=explain)
                seconds[label].append(time.perf_counter() - started)
        for label, values in seconds.items():
            print(
                f"n={args.n} reasons={explain} askers={len(askers)} {label}: "
                f"median {statistics.median(values) * 1000:.2f} ms",
                flush=True,
            )


if __name__ == "__main__":
    main()

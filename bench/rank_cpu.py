"""``python -m bench.rank_cpu --before DIR``: one ranking's CPU time in-process, before and after.

What a match request asks of the index: ``ReciprocalRanker.rank(asker, k=10)`` with the
default filter, with reasons and without (``explain=False``), at 1,000 and 10,000
``bench.profiles`` profiles (``--sizes``). An asker is a stored profile as the service
builds it from the database: a new ``Profile`` with the same text and declared partners,
and no outcomes (``service.institutions.profiles.to_profile`` without ``worked_with``).
Each version first ranks ``--warmup`` other askers, untimed, as a serving index has
(reasons reuse the phrase vectors of profiles explained before: ``matching.phrases``).
Medians are of CPU time (the thread's) and of wall time; on a shared machine the CPU
figure is the steadier one.

With ``--before DIR`` (a source tree, say ``git archive main | tar -x -C DIR``) both
versions are fitted on the same profiles in this one process (as ``bench.compare`` does)
and every asker is timed on each in turn, so a busy machine slows both alike. Each
version's answers are then compared field by field (ids, scores, components, reasons said
in the asker's language, the ``Reason`` values) for the timed askers and for variants
that take other paths: the asker unsaved (no id), re-ranked for diversity and exposure,
pairs explained (``explain_pairs``) and unindexed candidates (``rank_profiles``). Any
difference is printed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.compare import _load


def as_served(profile: Any) -> Any:
    """The asker the service builds from a stored row: equal text, a new object, no outcomes."""
    return dataclasses.replace(profile, worked_with=frozenset())


def _plain(matches: Sequence[Any]) -> list[tuple[object, ...]]:
    return [dataclasses.astuple(match) for match in matches]


def _answers(ranker: Any, askers: Sequence[Any], profiles: Sequence[Any]) -> list[object]:
    """Every answer compared between the versions, in a fixed order."""
    answers: list[object] = []
    for asker in askers:
        answers.append(_plain(ranker.rank(asker, k=10)))
        answers.append(_plain(ranker.rank(asker, k=10, explain=False)))
        answers.append(_plain(ranker.rank(dataclasses.replace(asker, id=None), k=5)))
    for asker in askers[:20]:
        answers.append(_plain(ranker.rank(asker, k=10, diversity=0.3, exposure=0.5)))
        answers.append(_plain(ranker.rank_profiles(asker, profiles[:200], k=10)))
    pairs = [(int(a.id), int(b.id)) for a, b in zip(askers, profiles[::7], strict=False)]
    answers.append(_plain(ranker.explain_pairs(pairs)))
    return answers


def _differences(before: Sequence[object], after: Sequence[object]) -> list[str]:
    found = []
    for position, (old, new) in enumerate(zip(before, after, strict=True)):
        if old != new:
            found.append(f"answer {position}:\n  before {old}\n  after  {new}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="source tree of the version to compare with")
    parser.add_argument("--sizes", default="1000,10000", help="stored profiles, comma-separated")
    parser.add_argument("--queries", type=int, default=300, help="timed askers per size")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the profile generator")
    parser.add_argument(
        "--warmup", type=int, default=300, help="other askers ranked first, untimed"
    )
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parents[1]
    trees = {"after": here} if args.before is None else {"before": args.before.resolve()}
    trees["after"] = here
    _load(here)
    from bench.inprocess import pick_queries
    from bench.profiles import generate
    from seed import load_taxonomy

    differences: list[str] = []
    for n in (int(size) for size in args.sizes.split(",")):
        profiles = list(generate(n, seed=args.seed, taxonomy=load_taxonomy()))
        askers = [as_served(p) for p in pick_queries(profiles, args.queries, seed=args.seed + 1)]
        warmup = [as_served(p) for p in pick_queries(profiles, args.warmup, seed=args.seed + 2)]
        rankers = {}
        for label, tree in trees.items():
            ranker_class, taxonomy = _load(tree)
            started = time.perf_counter()
            rankers[label] = ranker_class(taxonomy=taxonomy).fit(profiles)
            print(f"n={n} {label}: fitted in {time.perf_counter() - started:.1f}s", flush=True)
            for asker in warmup:  # a serving index has explained most profiles before
                rankers[label].rank(asker, k=10)
        for explain in (True, False):
            wall: dict[str, list[float]] = {label: [] for label in rankers}
            cpu: dict[str, list[float]] = {label: [] for label in rankers}
            for asker in askers:  # each asker on each version in turn
                for label, ranker in rankers.items():
                    started, used = time.perf_counter(), time.process_time()
                    ranker.rank(asker, k=10, explain=explain)
                    cpu[label].append(time.process_time() - used)
                    wall[label].append(time.perf_counter() - started)
            print(f"n={n} reasons={explain} askers={len(askers)}:", flush=True)
            for kind, seconds in (("cpu", cpu), ("wall", wall)):
                median = {label: statistics.median(s) * 1000 for label, s in seconds.items()}
                said = ", ".join(f"{label} {ms:.2f} ms" for label, ms in median.items())
                if "before" in median:
                    said += f", ratio {median['after'] / median['before']:.3f}"
                print(f"  median {kind}: {said}", flush=True)
        if "before" in rankers:
            answers = {label: _answers(r, askers, profiles) for label, r in rankers.items()}
            found = _differences(answers["before"], answers["after"])
            print(f"n={n}: {len(answers['after'])} answers compared, {len(found)} differ")
            differences.extend(found)
    for difference in differences[:10]:
        print(difference)
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m bench.startup``: a worker's start from a persisted generation, step by step.

For one size: the generation of ``n`` generated profiles is fitted once and kept in
``--cache-dir`` (``startup-n<N>-seed<S>/index``; fitting 1M takes minutes and ~9 GiB),
then a fresh process, as a worker would, imports the service and maps the generation
(``Generations.open``), timing each step: the import, the checksums, mapping the arrays
(the profiles among them, as columns: none is built until one is read), restoring the
ranker. The
same process then times top-10 queries (reasons included) on the mapped ranker and
reports its resident and proportional memory. Each figure is printed beside the issue's
goal at that size (startup ≤ 5 s at 100k, ≤ 30 s at 1M; p50 ≤ 100 ms at 1M; total
memory ≤ 1.5 GiB at 100k, ≤ 8 GiB at 1M, the total being N workers' PSS).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.measure import log, memory_mib, percentile

__all__ = ["cached_generation", "main"]


def cached_generation(n: int, seed: int, cache_dir: Path) -> tuple[Path, float | None]:
    """The index directory holding a generation of ``n`` profiles; the fit's seconds if
    it was fitted now (``None``: found in the cache)."""
    from matching import ReciprocalRanker, Taxonomy
    from matching.fitted import FORMAT_VERSION
    from seed import load_taxonomy
    from service.institutions.generations import Generations, Position
    from service.values.times import utc_now

    store = Generations(cache_dir / f"startup-n{n}-seed{seed}" / "index")
    if store.current() is not None and _current_format(store) == FORMAT_VERSION:
        return store.root, None
    from bench.profiles import generate

    profiles = list(generate(n, seed=seed, taxonomy=load_taxonomy()))
    log(f"n={n}: fitting the generation to cache in {store.root}")
    began = time.perf_counter()
    ranker = ReciprocalRanker(taxonomy=Taxonomy.from_dict(load_taxonomy())).fit(profiles)
    fit_s = time.perf_counter() - began
    store.write(ranker, Position(0, frozenset(), utc_now()))
    log(f"n={n}: fitted in {fit_s:.1f}s")
    return store.root, fit_s


def _current_format(store: Any) -> object:
    """The format of the cached generation (an older one is fitted again, in this format)."""
    from matching import persist

    return persist.read_manifest(store.root / store.current()).scalars.get("format")


def _start(index_dir: str, queries: int) -> dict[str, float]:
    """In a fresh process: import, map step by step, then time queries; every figure."""
    figures: dict[str, float] = {}
    began = time.perf_counter()
    import service.main  # noqa: F401  (what a worker imports before its index)
    from matching import CandidateFilter, ReciprocalRanker, Taxonomy, persist
    from matching.fitted import restore_state
    from seed import load_taxonomy
    from service.institutions.generations import Generations

    figures["import_s"] = time.perf_counter() - began
    store = Generations(Path(index_dir))
    name = store.current()
    assert name is not None
    directory = store.root / name
    taxonomy = Taxonomy.from_dict(load_taxonomy())
    # The whole as a worker does it (checks included): the startup figure.
    step = time.perf_counter()
    mapped = store.open(name, ReciprocalRanker(taxonomy=taxonomy))
    assert mapped is not None
    figures["open_s"] = time.perf_counter() - step
    figures["startup_s"] = figures["import_s"] + figures["open_s"]
    ranker = mapped.ranker
    ids = sorted(ranker.profiles)
    rng = random.Random(0)
    times = []
    for number, pid in enumerate(rng.sample(ids, min(len(ids), queries + 5))):
        step = time.perf_counter()
        ranker.rank(ranker.profiles[pid], k=10, where=CandidateFilter())
        if number >= 5:  # warm-up
            times.append((time.perf_counter() - step) * 1000)
    figures["p50_ms"] = percentile(times, 50)
    figures["p99_ms"] = percentile(times, 99)
    figures["rss_mib"] = memory_mib("self", "VmRSS")
    figures["peak_rss_mib"] = memory_mib("self", "VmHWM")
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith(("Pss:", "Pss_File:", "Pss_Anon:")):
            key = line.split(":")[0].lower()
            figures[f"{key}_mib"] = int(line.split()[1]) / 1024
    # Then its steps one by one (after the memory figures, which they would inflate).
    step = time.perf_counter()
    manifest = persist.read_manifest(directory)
    for file in manifest.files:
        persist._sha256(directory / file)
    figures["checksums_s"] = time.perf_counter() - step
    step = time.perf_counter()
    state, _ = persist.read_state(directory, verify=False)
    figures["map_s"] = time.perf_counter() - step
    step = time.perf_counter()
    restore_state(ReciprocalRanker(taxonomy=taxonomy), state)
    figures["restore_s"] = time.perf_counter() - step
    return figures


_GOALS = {
    100_000: {"startup_s": "<= 5 s", "pss_total": "<= 1536 MiB", "p50_ms": ""},
    1_000_000: {"startup_s": "<= 30 s", "pss_total": "<= 8192 MiB", "p50_ms": "<= 100 ms"},
}


def table(n: int, workers: int, figures: dict[str, float], fit_s: float | None) -> str:
    """Each figure beside its goal at this size."""
    goals = _GOALS.get(n, {})
    # Another worker shares the mapped files: it adds its anonymous memory, not theirs.
    total = figures["pss_mib"] + (workers - 1) * figures["pss_anon_mib"]
    f, g = figures, goals
    fit = "cached" if fit_s is None else f"{fit_s:.1f} s"
    latency = f"{f['p50_ms']:.1f} / {f['p99_ms']:.1f} ms"
    rss = f"{f['rss_mib']:.0f} / {f['peak_rss_mib']:.0f} MiB"
    pss = f"{f['pss_mib']:.0f} ({f['pss_file_mib']:.0f} / {f['pss_anon_mib']:.0f}) MiB"
    rows = [
        ("figure", "measured", "goal"),
        ("fit (cached, not part of a start)", fit, ""),
        ("import the service", f"{f['import_s']:.2f} s", ""),
        ("checksums of every file", f"{f['checksums_s']:.2f} s", ""),
        ("map the arrays (profiles as columns)", f"{f['map_s']:.2f} s", ""),
        ("restore the ranker", f"{f['restore_s']:.2f} s", ""),
        ("open the generation as a worker does", f"{f['open_s']:.2f} s", ""),
        ("startup (import + open)", f"{f['startup_s']:.1f} s", g.get("startup_s", "")),
        ("top-10 in-process p50 / p99", latency, g.get("p50_ms", "")),
        ("RSS / peak RSS, one worker", rss, ""),
        ("PSS one worker (file / anon)", pss, ""),
        (f"PSS of {workers} workers (estimated)", f"{total:.0f} MiB", g.get("pss_total", "")),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit (or find) the generation, then time a worker's start on it in a fresh process."""
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="for the total PSS estimate")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/tvet-bench-cache"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    index_dir, fit_s = cached_generation(args.n, args.seed, args.cache_dir)
    code = (
        "import json, sys; from bench.startup import _start; "
        "print(json.dumps(_start(sys.argv[1], int(sys.argv[2]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(index_dir), str(args.queries)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    if args.json is not None:
        args.json.write_text(json.dumps({"n": args.n, "fit_s": fit_s, **figures}, indent=1))
    print(f"n={args.n}, a worker's start from a persisted generation")
    print(table(args.n, args.workers, figures, fit_s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure one corpus size in this process, and write the figures as JSON.

``python -m bench`` runs this once per size in a fresh process, so the peak resident
memory it reports belongs to that size alone. Order matters for that figure: the
in-process measurements come first and the peak is read right after them, before the
naive baseline and the database are built.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.anatomy import layout, part_matrices
from bench.bandwidth import PostingCounter, scoring_bytes
from bench.database import build_database
from bench.exact import check_top_k
from bench.inprocess import breakdown, can_skip_reasons, pick_queries, run_queries
from bench.load import load, write_to_visible
from bench.measure import log, memory_mib
from bench.naive import naive_latency
from bench.profiles import generate
from bench.provenance import matching_digest
from bench.server import Server
from matching import Profile, ReciprocalRanker, Taxonomy
from seed import load_taxonomy

__all__ = ["main", "measure"]


def _declared_by(profiles: Sequence[Profile]) -> dict[int, frozenset[int]]:
    reverse: dict[int, set[int]] = {}
    for profile in profiles:
        for partner in profile.existing_partners:
            reverse.setdefault(partner, set()).add(profile.id or 0)
    return {partner: frozenset(ids) for partner, ids in reverse.items()}


def _in_process(args: argparse.Namespace, result: dict[str, Any]) -> list[Profile]:
    taxonomy = load_taxonomy()
    started = time.perf_counter()
    profiles = list(generate(args.n, seed=args.seed, taxonomy=taxonomy))
    result["generate_s"] = time.perf_counter() - started
    result["rss_profiles_mib"] = memory_mib(field="VmRSS")
    log(f"n={args.n}: generated in {result['generate_s']:.1f}s")

    ranker = ReciprocalRanker(taxonomy=Taxonomy.from_dict(taxonomy))
    started = time.perf_counter()
    ranker.fit(profiles)
    result["fit_s"] = time.perf_counter() - started
    result["rss_after_fit_mib"] = memory_mib(field="VmRSS")
    result["peak_rss_after_fit_mib"] = memory_mib()
    result["vocabulary"] = len(ranker.terms_)
    parts = part_matrices(ranker)
    result["layout"] = layout(ranker)
    result["nnz"] = {name: int(m.nnz) for name, m in parts.items()}
    log(f"n={args.n}: fitted in {result['fit_s']:.1f}s, {result['vocabulary']} terms")

    queries = pick_queries(profiles, args.queries, seed=args.seed + 1)
    run = run_queries(ranker, queries)
    result["rank"] = asdict(run.latency)
    result["gc_during_queries"] = {
        "collections": run.gc.collections,
        "total_ms": run.gc.total_ms,
        "longest_ms": run.gc.longest_ms,
    }
    log(f"n={args.n}: top-10 median {run.latency.median_ms:.2f} ms over {len(queries)} queries")
    if can_skip_reasons(ranker):
        bare = run_queries(ranker, queries, explain=False).latency
        result["rank_without_reasons"] = asdict(bare)
        log(f"n={args.n}: top-10 median without reasons {bare.median_ms:.2f} ms")
    result["breakdown"] = asdict(breakdown(ranker, queries[: args.breakdown]))

    per_part = scoring_bytes(parts)
    floor_ms = sum(per_part.values()) / (args.bandwidth_gbps * 1e9) * 1000
    result["scoring_bytes"] = per_part
    result["floor_ms"] = floor_ms
    result["median_over_floor"] = run.latency.median_ms / floor_ms
    products = result["breakdown"]["products_ms"]
    result["products_over_floor"] = products / floor_ms if products is not None else None
    _posting_floor(args, result, ranker, parts, queries[: args.breakdown])

    sample = min(args.exact, len(queries))
    check = check_top_k(ranker, queries[:sample], run.results[:sample], _declared_by(profiles))
    result["exact"] = asdict(check)
    log(f"n={args.n}: top-10 identical to exact: {check.identical}/{check.checked}")
    result["rss_inprocess_mib"] = memory_mib()
    # Free the index before the naive baseline and the server, which build their own.
    del ranker, run
    gc.collect()
    return profiles


def _posting_floor(
    args: argparse.Namespace,
    result: dict[str, Any],
    ranker: ReciprocalRanker,
    parts: dict[str, Any],
    queries: Sequence[Profile],
) -> None:
    transform = getattr(ranker, "_transform_one", None)
    if transform is None:
        return
    counter = PostingCounter(parts)
    touched = statistics.median(counter.bytes(transform(query)) for query in queries)
    result["posting_bytes_median"] = touched
    result["posting_floor_ms"] = touched / (args.bandwidth_gbps * 1e9) * 1000
    similarities = result["breakdown"]["similarities_ms"]
    if similarities is not None:
        result["similarities_over_posting_floor"] = similarities / result["posting_floor_ms"]


def _naive(args: argparse.Namespace, result: dict[str, Any], profiles: list[Profile]) -> None:
    if args.n > args.naive_max:
        result["naive"] = {"skipped": f"n > {args.naive_max}: one refit per query takes too long"}
        return
    rows = [
        p.id - 1 for p in pick_queries(profiles, args.naive_queries, seed=args.seed + 2) if p.id
    ]
    latency = naive_latency(profiles, rows, budget_seconds=args.naive_budget)
    result["naive"] = asdict(latency)
    result["naive"]["over_real"] = latency.median_ms / result["rank"]["median_ms"]
    log(f"n={args.n}: naive refit median {latency.median_ms:.0f} ms")


def _http(args: argparse.Namespace, result: dict[str, Any], profiles: list[Profile]) -> None:
    if args.no_http or args.n > args.http_max:
        reason = "--no-http" if args.no_http else f"n > {args.http_max}"
        result["http"] = {"skipped": reason}
        return
    http: dict[str, Any] = {}
    result["http"] = http
    with tempfile.TemporaryDirectory(prefix="tvet-bench-") as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        build_database(profiles, data_dir)
        http["db_build_s"] = time.perf_counter() - started
        log(f"n={args.n}: database built in {http['db_build_s']:.1f}s")
        with Server(data_dir=data_dir, log_path=data_dir / "server.log") as server:
            http["startup_s"] = server.startup_seconds
            http["server_rss_ready_mib"] = server.memory_mib("VmRSS")
            log(f"n={args.n}: server ready in {server.startup_seconds:.1f}s")
            http["busy_after_ready_s"], http["busy_after_ready_cpu_s"] = server.settle()
            if http["busy_after_ready_cpu_s"] > 1.0:
                log(
                    f"n={args.n}: server kept busy {http['busy_after_ready_s']:.1f}s after "
                    f"ready ({http['busy_after_ready_cpu_s']:.1f} CPU s); measuring after that"
                )
            ids = [p.id for p in profiles if p.id is not None]
            for name, clients, requests in (
                ("one_client", 1, args.http_requests),
                ("concurrent", args.clients, args.http_concurrent_requests),
            ):
                outcome = load(
                    server.base_url,
                    ids,
                    server_pid=server.pid,
                    clients=clients,
                    requests=requests,
                    seed=args.seed + clients,
                    budget_seconds=args.http_budget,
                )
                http[name] = asdict(outcome)
                log(
                    f"n={args.n}: HTTP {clients} client(s): {outcome.req_per_s:.0f} req/s, "
                    f"p50 {outcome.p50_ms:.1f} ms, p99 {outcome.p99_ms:.1f} ms, "
                    f"{outcome.errors} errors"
                )
            targets = [
                p for p in pick_queries(profiles, 200, seed=args.seed + 3) if p.needs and p.offers
            ]
            visible = write_to_visible(
                server.base_url,
                targets[: args.visible_tries],
                seed=args.seed,
                token=server.admin_token,
            )
            http["write_to_visible"] = asdict(visible)
            log(f"n={args.n}: write-to-visible median {visible.visible_median_ms:.1f} ms")
            http["server_refits"] = server.log_lines("refit")
            if server.exit_code is not None:
                http["server_exit_code"] = server.exit_code
            else:
                http["server_peak_rss_mib"] = server.memory_mib("VmHWM")
                http["server_rss_end_mib"] = server.memory_mib("VmRSS")
            failed = sum(http[name]["errors"] for name in ("one_client", "concurrent"))
            if failed or visible.failures or server.exit_code is not None:
                http["server_log_tail"] = server.log_tail()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement for ``args.n`` profiles and return the figures."""
    started = time.perf_counter()
    result: dict[str, Any] = {
        "n": args.n,
        "seed": args.seed,
        "queries": args.queries,
        "matching_digest": matching_digest(),
    }
    profiles = _in_process(args, result)
    _naive(args, result, profiles)
    _http(args, result, profiles)
    result["rss_final_mib"] = memory_mib()
    result["wall_s"] = time.perf_counter() - started
    return result


def build_parser() -> argparse.ArgumentParser:
    """Return the parser; ``python -m bench`` passes its options through."""
    parser = argparse.ArgumentParser(prog="python -m bench.run_size")
    parser.add_argument("--n", type=int, required=True, help="number of profiles")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--bandwidth-gbps", type=float, required=True)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--breakdown", type=int, default=50, help="queries timed stage by stage")
    parser.add_argument("--exact", type=int, default=20, help="queries checked against exact")
    parser.add_argument("--naive-max", type=int, default=10_000)
    parser.add_argument("--naive-queries", type=int, default=5)
    parser.add_argument("--naive-budget", type=float, default=30.0)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--http-max", type=int, default=100_000)
    parser.add_argument("--http-requests", type=int, default=400)
    parser.add_argument("--http-concurrent-requests", type=int, default=1600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--http-budget", type=float, default=180.0, help="seconds per phase")
    parser.add_argument("--visible-tries", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Measure one size and write its figures to ``--out``."""
    args = build_parser().parse_args(argv)
    result = measure(args)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

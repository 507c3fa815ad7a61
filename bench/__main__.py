"""``python -m bench``: how fast the real ranking is at 1k, 10k and 100k profiles.

Run from the repository root. Each size runs in a fresh process (``bench.run_size``), so
its peak memory is its own; the memory bandwidth is measured once, here, first. The
table goes to stdout, progress to stderr, and every figure to the JSON file ``--json``.
See ``docs/benchmark.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import sklearn

from bench.bandwidth import memory_bandwidth_gbps
from bench.measure import log
from bench.provenance import ROOT, code_identity
from bench.report import GOALS, table

DEFAULT_SIZES = (1_000, 10_000, 100_000)
MILLION = 1_000_000


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"sizes are integers separated by commas: {error}"
        ) from None
    if not sizes or min(sizes) < 20:
        raise argparse.ArgumentTypeError("give at least one size, each of 20 profiles or more")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark tvet-match's ranking in-process and over HTTP at several sizes.",
    )
    parser.add_argument(
        "--sizes", type=_sizes, help="comma-separated corpus sizes (default 1000,10000,100000)"
    )
    parser.add_argument("--with-1m", action="store_true", help="also run 1,000,000 profiles")
    parser.add_argument(
        "--json", type=Path, default=Path("bench-results.json"), help="where to write every figure"
    )
    parser.add_argument("--seed", type=int, default=2024, help="seed of the profile generator")
    parser.add_argument("--queries", type=int, default=200, help="timed top-10 queries per size")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurements")
    parser.add_argument("--http-max", type=int, default=100_000, help="largest size served")
    parser.add_argument("--naive-max", type=int, default=10_000, help="largest naive size")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--http-requests", type=int, default=400, help="requests, 1 client")
    parser.add_argument(
        "--http-concurrent-requests", type=int, default=1600, help="requests, concurrent clients"
    )
    parser.add_argument(
        "--workers",
        action="store_true",
        help="also run bench.workers at each served size: 1 and N workers, startup from a "
        "generation, p99 during writes and refits, PSS (issue 17's figures)",
    )
    parser.add_argument(
        "--no-request-cpu",
        action="store_true",
        help="skip bench.request_cpu (server CPU per match request at 1k, 1 and 2 workers)",
    )
    return parser


def _workers_figures(n: int, args: argparse.Namespace) -> int:
    """Run ``bench.workers`` for one size in its own process; it prints its own table."""
    out = args.json.with_name(f"{args.json.stem}-workers-{n}.json")
    command = [sys.executable, "-m", "bench.workers", f"--n={n}", f"--seed={args.seed}"]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([*command, f"--json={out}"], cwd=ROOT, env=env, check=False).returncode


def _request_cpu_figures(args: argparse.Namespace) -> int:
    """Run ``bench.request_cpu`` at 1k in its own process; it prints its own table."""
    out = args.json.with_name(f"{args.json.stem}-request-cpu.json")
    command = [sys.executable, "-m", "bench.request_cpu", f"--json={out}"]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def _machine(bandwidth: float) -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpu": model,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(int(memory) / 2**20, 1),
        "bandwidth_gbps": bandwidth,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }


def _run_size(n: int, args: argparse.Namespace, bandwidth: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tvet-bench-") as folder:
        out = Path(folder) / "result.json"
        command = [
            sys.executable,
            "-m",
            "bench.run_size",
            f"--n={n}",
            f"--seed={args.seed}",
            f"--bandwidth-gbps={bandwidth}",
            f"--queries={args.queries}",
            f"--http-max={args.http_max}",
            f"--naive-max={args.naive_max}",
            f"--clients={args.clients}",
            f"--http-requests={args.http_requests}",
            f"--http-concurrent-requests={args.http_concurrent_requests}",
            f"--out={out}",
            *(["--no-http"] if args.no_http else []),
        ]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        started = time.perf_counter()
        status = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        if status != 0 or not out.exists():
            return {"n": n, "error": f"bench.run_size exited with {status}"}
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        result["process_wall_s"] = time.perf_counter() - started
        return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run every size, print the table and write the JSON."""
    args = build_parser().parse_args(argv)
    sizes = list(args.sizes or DEFAULT_SIZES)
    if args.with_1m and MILLION not in sizes:
        sizes.append(MILLION)
    started = time.perf_counter()
    log("measuring memory bandwidth (sum of a 1 GiB float32 array, best of 5)")
    bandwidth = memory_bandwidth_gbps()
    log(f"memory bandwidth {bandwidth:.1f} GB/s")
    report: dict[str, Any] = {
        "command": ["python", "-m", "bench", *(argv if argv is not None else sys.argv[1:])],
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(bandwidth),
        "code": code_identity(),
        "goals": GOALS,
        "sizes": [],
    }
    for n in sizes:
        log(f"size {n:,}: starting a fresh process")
        report["sizes"].append(_run_size(n, args, bandwidth))
        report["total_s"] = time.perf_counter() - started
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    machine = report["machine"]
    code = report["code"]
    print(
        f"tvet-match benchmark, seed {args.seed}: {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, memory bandwidth {bandwidth:.1f} GB/s (1 core); "
        f"commit {code['commit']}, matching/ digest {code['matching_digest']}"
        + (f" + uncommitted {', '.join(code['uncommitted'])}" if code["uncommitted"] else "")
    )
    print(table(report["sizes"]))
    for result in report["sizes"]:
        if "error" in result:
            print(f"n={result['n']}: {result['error']} (its output is above)")
        elif "server_log_tail" in result.get("http", {}):
            print(f"n={result['n']}: HTTP failures; the server's last log lines are in the JSON")
    print(f"total {report['total_s']:.0f} s; every figure in {args.json}")
    failed = [r["n"] for r in report["sizes"] if "error" in r]
    if args.workers and not args.no_http:
        failed += [n for n in sizes if n <= args.http_max and _workers_figures(n, args) != 0]
    if not args.no_http and not args.no_request_cpu:
        print("server CPU per match request at 1k (bench.request_cpu):", flush=True)
        failed += [1_000] if _request_cpu_figures(args) != 0 else []
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

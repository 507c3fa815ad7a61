"""``python -m bench.request_cpu``: what one match request costs the server, over HTTP.

Builds a database of ``--n`` generated profiles (1,000 by default), starts ``tvet-match
serve`` as a subprocess with 1 and with 2 workers, waits until it is idle, warms it up,
then sends ``GET /api/v1/institutions/{id}/matches?limit=10`` from 1 and from 8 clients
(``bench.load``). The server's CPU time is read from ``/proc/<pid>/stat`` (user + system)
of every serving process before and after each phase, so the figure is server CPU
milliseconds per request; each phase is repeated and the median kept. The clients run
on the same cores as the server, and what they cost is reported too (client CPU per
request): by default they are asyncio connections in a process of their own
(``bench.lean_load``); ``--client httpx`` sends from threads of this process with httpx
instead, and ``--client lean,httpx`` both, their repeats taken in turn on the same
server. On a shared machine, compare the figures of one run with each other rather than
with another run's. ``--before DIR`` serves the code
in ``DIR`` too (say ``git archive main | tar -x -C DIR``), in turn with this checkout's on
the same database, so a change is judged by a ratio taken in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.database import build_database
from bench.load import CLIENTS, Client, LoadResult, load
from bench.measure import cpu_seconds, log
from bench.profiles import generate
from bench.server import Server
from seed import load_taxonomy

__all__ = ["GOALS", "main", "measure", "table"]

GOALS = {"cpu_ms": 3.0, "req_per_s_8": 600.0}
_CLIENTS = (1, 8)
_IDLE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Phase:
    """The median over repeats of one load phase."""

    code: str  # "this" checkout, or "before"
    workers: int
    client: str  # the load generator (bench.load.CLIENTS)
    clients: int
    req_per_s: float
    server_cpu_ms: float
    client_cpu_ms: float
    p50_ms: float
    errors: int


def _server_cpu(server: Server) -> float:
    pids = {server.pid, *server.worker_pids()}
    return sum(cpu_seconds(pid) for pid in pids)


def _send(
    server: Server, ids: Sequence[int], args: argparse.Namespace
) -> Callable[[Client, int, int, int], LoadResult]:
    """Match requests to this server: (client, clients, requests, seed) -> what they measured."""

    def send(client: Client, clients: int, requests: int, seed: int) -> LoadResult:
        return load(
            server.base_url,
            ids,
            server_pid=server.pid,
            clients=clients,
            requests=requests,
            seed=seed,
            budget_seconds=args.budget,
            client=client,
        )

    return send


def _phases(
    server: Server, ids: Sequence[int], clients: int, label: str, args: argparse.Namespace
) -> list[Phase]:
    """One phase per load generator in ``args.client``, their repeats taken in turn."""
    runs: dict[Client, list[tuple[float, float, float, float, int]]] = {
        client: [] for client in args.client
    }
    for repeat in range(args.repeats):
        for client in args.client:
            before = _server_cpu(server)
            outcome = _send(server, ids, args)(client, clients, args.requests, args.seed + repeat)
            cpu_ms = (_server_cpu(server) - before) * 1000 / max(outcome.requests, 1)
            runs[client].append(
                (
                    outcome.req_per_s,
                    cpu_ms,
                    outcome.client_cpu_ms_per_request,
                    outcome.p50_ms,
                    outcome.errors,
                )
            )
    return [
        Phase(
            code=label,
            workers=server.workers,
            client=client,
            clients=clients,
            req_per_s=statistics.median(r[0] for r in done),
            server_cpu_ms=statistics.median(r[1] for r in done),
            client_cpu_ms=statistics.median(r[2] for r in done),
            p50_ms=statistics.median(r[3] for r in done),
            errors=sum(r[4] for r in done),
        )
        for client, done in runs.items()
    ]


@contextlib.contextmanager
def _code_from(tree: Path | None) -> Iterator[None]:
    """Start servers importing ``service`` from ``tree`` (``None``: this checkout).

    ``PYTHONPATH`` comes before the editable install on the import path.
    """
    saved = os.environ.get("PYTHONPATH")
    if tree is not None:
        os.environ["PYTHONPATH"] = str(tree.resolve())
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def _serve(
    data_dir: Path,
    workers: int,
    label: str,
    ids: Sequence[int],
    args: argparse.Namespace,
    result: dict[str, Any],
) -> None:
    log_path = data_dir / f"server-{label}-{workers}.log"
    with Server(data_dir=data_dir, log_path=log_path, workers=workers) as server:
        server.settle()
        # What the server spends doing nothing (the index's change-log poller): counted in
        # every phase's CPU per request, the more so the fewer requests a second.
        idle_from = _server_cpu(server)
        time.sleep(_IDLE_SECONDS)
        idle = (_server_cpu(server) - idle_from) * 1000 / _IDLE_SECONDS
        result[f"{label}_workers_{workers}_idle_cpu_ms_per_s"] = idle
        # Warm up: first requests fill caches and lazily built parts.
        _send(server, ids, args)(args.client[0], 2, args.warmup, args.seed - 1)
        for clients in _CLIENTS:
            for phase in _phases(server, ids, clients, label, args):
                key = f"{label}_workers_{workers}_clients_{clients}_{phase.client}"
                result[key] = asdict(phase)
                log(
                    f"n={args.n} {label} workers={workers} clients={clients} "
                    f"({phase.client}): {phase.req_per_s:.0f} req/s, "
                    f"{phase.server_cpu_ms:.2f} ms server CPU, "
                    f"{phase.client_cpu_ms:.2f} ms client CPU"
                )


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every figure for ``args.n`` profiles, with each worker count in ``args.workers``."""
    profiles = list(generate(args.n, seed=args.seed, taxonomy=load_taxonomy()))
    ids = [p.id for p in profiles if p.id is not None]
    result: dict[str, Any] = {"n": args.n, "cpus": os.cpu_count(), "goals": GOALS}
    with tempfile.TemporaryDirectory(prefix="tvet-bench-request-") as folder:
        data_dir = Path(folder)
        build_database(profiles, data_dir)
        trees = [("before", args.before)] if args.before else []
        for workers in args.workers:
            # Before and after in turn at each worker count, so their ratio is of one run.
            for label, tree in [*trees, ("this", None)]:
                with _code_from(tree):
                    _serve(data_dir, workers, label, ids, args, result)
    return result


def table(result: dict[str, Any]) -> str:
    """One line per (workers, clients, load generator) phase, each beside its goal."""
    rows = [
        (
            "code",
            "workers",
            "clients",
            "client",
            "req/s",
            "server CPU ms/request",
            "client CPU ms/request",
            "p50 ms",
            "goal",
        )
    ]
    for key in sorted(k for k in result if "_workers_" in k and "_clients_" in k):
        phase = result[key]
        goal = f"<= {GOALS['cpu_ms']:g} ms CPU"
        if phase["clients"] == 8:
            goal += f", >= {GOALS['req_per_s_8']:g} req/s"
        rows.append(
            (
                phase["code"],
                str(phase["workers"]),
                str(phase["clients"]),
                phase["client"],
                f"{phase['req_per_s']:.0f}",
                f"{phase['server_cpu_ms']:.2f}",
                f"{phase['client_cpu_ms']:.2f}",
                f"{phase['p50_ms']:.1f}",
                goal + (f" ({phase['errors']} errors)" if phase["errors"] else ""),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    idle = ", ".join(
        f"{key.removesuffix('_idle_cpu_ms_per_s')} {value:.0f}"
        for key, value in sorted(result.items())
        if key.endswith("_idle_cpu_ms_per_s")
    )
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([*lines, f"idle server CPU, ms per second: {idle}"])


def _clients(text: str) -> list[Client]:
    chosen = [part.strip() for part in text.split(",")]
    unknown = [part for part in chosen if part not in CLIENTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(CLIENTS)}: not {text!r}")
    return [client for client in CLIENTS if client in chosen]


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(prog="python -m bench.request_cpu", description=__doc__)
    parser.add_argument("--n", type=int, default=1_000, help="corpus size")
    parser.add_argument(
        "--workers",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 2],
        help="comma-separated worker counts (default 1,2)",
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per repeat")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per phase (median)")
    parser.add_argument("--warmup", type=int, default=200, help="requests before measuring")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds at most per repeat")
    parser.add_argument(
        "--before",
        type=Path,
        help="also serve the code in this folder (e.g. `git archive main | tar -x -C DIR`), "
        "in turn with this checkout's, for ratios taken in one run",
    )
    parser.add_argument(
        "--client",
        type=_clients,
        default=["lean"],
        help="load generators, comma-separated: lean (a process of its own, raw HTTP/1.1), "
        "httpx (threads of this process); 'lean,httpx' takes their repeats in turn",
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", type=Path, default=Path("bench-request-cpu.json"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table."""
    args = build_parser().parse_args(argv)
    result = measure(args)
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"n={args.n}, {result['cpus']} cores (shared: compare figures within one run)")
    print(table(result))
    phases = [k for k in result if "_clients_" in k]
    return 1 if any(result[k]["errors"] for k in phases) else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``python -m bench.poll``: what the change-log poll of N idle workers costs, per interval.

Every worker's index polls the database's change log (``TVETMATCH_CHANGE_POLL_SECONDS``)
for writes made through other workers; with nothing new, a poll is ``CURRENT`` read from
the index directory and one count query on ``index_change``. This bench stores
``--profiles`` generated profiles (so the change log holds as many entries), publishes a
generation, then starts N worker processes that each map it as a worker does
(``MatchIndex.load``) and poll for ``--seconds`` at each interval, and measures the CPU
the workers used (user + system, ``getrusage`` in each) and, on PostgreSQL, the CPU of
the server backends they talked to (``/proc/<pid>/stat`` of the pids
``pg_stat_activity`` lists for the database). On SQLite the database is the worker's own
process, so its cost is in the worker figure. It also prints PostgreSQL's plan of the
idle poll's query. PostgreSQL is a throwaway server (``tests/support/postgres.py``) unless
``--postgres-url`` names one.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

from sqlalchemy import func, text
from sqlmodel import col, select

from bench.database import build_database
from bench.measure import log
from bench.profiles import generate
from matching import Taxonomy
from seed import load_taxonomy
from service.config import Settings
from service.db import make_engine, session_scope
from service.institutions.generations import Generations
from service.institutions.index import MatchIndex
from service.institutions.models import IndexChange
from service.institutions.profiles import CHANGE_OVERLAP
from service.institutions.reindex import reindex

__all__ = ["main"]


@dataclass(frozen=True, slots=True)
class PollCost:
    """CPU of N idle workers polling at one interval, in percent of one core."""

    database: str
    workers: int
    interval: float
    polls_per_second: float
    worker_cpu_percent: float
    database_cpu_percent: float | None

    @property
    def microseconds_per_poll(self) -> float:
        busy = self.worker_cpu_percent + (self.database_cpu_percent or 0.0)
        return busy / 100 / self.polls_per_second * 1e6


def _worker(
    settings: Settings, interval: float, seconds: float, out: Queue[float], measured: Event
) -> None:
    engine = make_engine(settings)
    index = MatchIndex(
        engine,
        taxonomy=Taxonomy.from_dict(load_taxonomy()),
        generations=Generations(settings.data_dir / "index"),
    )
    index.load()
    out.put(-1.0)  # mapped: ready to be measured
    before = resource.getrusage(resource.RUSAGE_SELF)
    index.start_polling(interval)
    time.sleep(seconds)
    index.close()
    after = resource.getrusage(resource.RUSAGE_SELF)
    out.put((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    measured.wait(120)  # the backends end with the connections: read their CPU first
    engine.dispose()


def _backends(settings: Settings) -> list[int]:
    """The pids of the PostgreSQL backends connected to this database, but ours."""
    engine = make_engine(settings)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            return [int(pid) for (pid,) in rows]
    finally:
        engine.dispose()


def _backend_cpu(pids: Sequence[int]) -> dict[int, float]:
    """CPU seconds of each backend, from ``schedstat`` (nanoseconds on the CPU): the
    tick-sampled ``stat`` misses most of a backend's many 0.1 ms bursts."""
    used = {}
    for pid in pids:
        try:
            used[pid] = int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
        except OSError:  # a backend that ended meanwhile
            continue
    return used


def measure(
    settings: Settings, database: str, workers: int, interval: float, seconds: float
) -> PollCost:
    """Start ``workers`` polling processes and return what they and the database used."""
    spawn = multiprocessing.get_context("spawn")
    out: Queue[float] = spawn.Queue()
    measured = spawn.Event()
    processes = [
        spawn.Process(target=_worker, args=(settings, interval, seconds, out, measured))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        out.get(timeout=600)
    pids = _backends(settings) if database == "postgres" else []
    server_before = _backend_cpu(pids)
    began = time.perf_counter()
    used = [out.get(timeout=seconds + 120) for _ in processes]
    wall = time.perf_counter() - began
    server_after = _backend_cpu(pids)
    server_used = sum(server_after[pid] - server_before[pid] for pid in server_after)
    if database == "postgres":
        log(f"{len(pids)} backends, {server_used:.2f} s of their CPU in {wall:.1f} s")
    measured.set()
    for process in processes:
        process.join(timeout=60)
    return PollCost(
        database=database,
        workers=workers,
        interval=interval,
        polls_per_second=workers / interval,
        worker_cpu_percent=100 * sum(used) / seconds,
        database_cpu_percent=100 * server_used / wall if database == "postgres" else None,
    )


def explain_idle_poll(settings: Settings) -> str:
    """PostgreSQL's plan (with timing) of the query an idle poll sends."""
    engine = make_engine(settings)
    try:
        with session_scope(engine) as session:
            newest = session.exec(select(func.max(IndexChange.id))).one() or 0
            query = select(func.count(), func.max(IndexChange.id)).where(
                col(IndexChange.id) > newest - CHANGE_OVERLAP
            )
            sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
            plan = session.connection().execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"))
            return sql + "\n" + "\n".join(row[0] for row in plan)
    finally:
        engine.dispose()


@contextmanager
def _database(kind: str, postgres_url: str | None) -> Iterator[str | None]:
    if kind == "sqlite":
        yield None
    elif postgres_url:
        yield postgres_url
    else:
        from tests.support.postgres import throwaway_postgres

        with throwaway_postgres() as url:
            yield url


def table(costs: Sequence[PollCost]) -> str:
    """One row per database, worker count and interval."""
    rows = [("database", "workers", "interval", "polls/s", "workers CPU", "DB CPU", "per poll")]
    for c in costs:
        db = (
            "in the workers" if c.database_cpu_percent is None else f"{c.database_cpu_percent:.1f}%"
        )
        rows.append(
            (
                c.database,
                str(c.workers),
                f"{c.interval:g} s",
                f"{c.polls_per_second:.0f}",
                f"{c.worker_cpu_percent:.1f}% of a core",
                db,
                f"{c.microseconds_per_poll:.0f} µs",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the poll cost on SQLite and PostgreSQL."""
    parser = argparse.ArgumentParser(prog="python -m bench.poll", description=__doc__)
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--workers", default="2,8", help="comma-separated worker counts")
    parser.add_argument("--intervals", default="0.05,0.1,0.25,1", help="seconds, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="polling time per figure")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres-url", help="an empty database to use (default: throwaway)")
    args = parser.parse_args(argv)
    profiles = list(generate(args.profiles, seed=0, taxonomy=load_taxonomy()))
    costs: list[PollCost] = []
    for kind in args.databases.split(","):
        with (
            tempfile.TemporaryDirectory(prefix="tvet-bench-poll-") as folder,
            _database(kind, args.postgres_url) as url,
        ):
            settings = build_database(profiles, Path(folder), database_url=url)
            engine = make_engine(settings)
            try:
                store = Generations(Path(folder) / "index")
                reindex(engine, store, Taxonomy.from_dict(load_taxonomy()))
            finally:
                engine.dispose()
            if kind == "postgres":
                print(explain_idle_poll(settings), end="\n\n")
            for workers in (int(w) for w in args.workers.split(",")):
                for interval in (float(i) for i in args.intervals.split(",")):
                    cost = measure(settings, kind, workers, interval, args.seconds)
                    log(f"{kind} {workers} workers every {interval:g} s: {cost}")
                    costs.append(cost)
    print(table(costs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

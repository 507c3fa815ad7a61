"""The ``tvet-match`` command: serve, migrate, reindex, load the seed, evaluate match quality."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence

from service.config import get_settings
from service.workshops.cli import add_commands

# Up to this many profiles the first generation is fitted in the serving process (a
# second, in the time a refit process takes to start); above, in a refit process.
_FIT_HERE_MAX_PROFILES = 2000


def _serve(args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE

    from service.http.blas import one_blas_thread
    from service.http.logs import configure_logging
    from service.http.long_lived import freeze_after_start
    from service.http.slow_clients import guarded_protocol
    from service.http.workers import PortReservation, serve_forked

    settings = get_settings()
    configure_logging(settings.log_format, args.log_level)
    one_blas_thread()  # before the refit process or a worker starts
    workers = args.workers or os.cpu_count() or 1
    reservation = None
    if workers > 1:
        # Held before the migrations, seed and fit: a port taken fails the start at once.
        try:
            reservation = PortReservation(args.host, args.port)
        except OSError as error:
            print(f"tvet-match serve: {error.strerror or error}", file=sys.stderr)
            return 1
    try:
        _prepare_for_workers()
    except BaseException:
        if reservation is not None:
            reservation.close()
        raise
    # The app of this process (one worker) or of the forked workers skips this: read the
    # settings again.
    os.environ["TVETMATCH_PREPARE_ON_START"] = "false"
    get_settings.cache_clear()
    from service.main import create_app

    # Built once, before any fork (nothing is connected before its lifespan starts): a
    # forked worker only runs the lifespan, and the routes' models stay shared pages.
    app = create_app()
    freeze_after_start(app)  # what the start leaves stays out of full collections

    def config() -> uvicorn.Config:
        return uvicorn.Config(
            app,
            host=args.host,
            port=args.port if reservation is None else reservation.port,
            # Our handler formats every record (uvicorn's too, through the root logger).
            log_config=None,
            log_level=args.log_level,
            # Slow or idle clients must not hold sockets for ever (service.http.slow_clients).
            http=guarded_protocol(
                header_timeout=settings.header_timeout_seconds,
                body_timeout=settings.body_timeout_seconds,
            ),
            # The service writes its own access line, with the request id.
            access_log=False,
            # Forwarding headers are believed from configured proxies only (uvicorn would
            # believe 127.0.0.1 by default): anyone else could pick the address counted.
            proxy_headers=bool(settings.trusted_proxies),
            forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
            timeout_keep_alive=settings.keep_alive_seconds,
            limit_concurrency=settings.max_connections,
        )

    if reservation is None:
        # Served from this process, as uvicorn.run would (which takes no Config).
        server = uvicorn.Server(config())
        with contextlib.suppress(KeyboardInterrupt):  # SIGINT, raised again once stopped
            server.run()
        return 0 if server.started else STARTUP_FAILURE
    # Forked after the preparation: the workers inherit everything imported
    # (service.http.workers says why, and why each has a socket of its own).
    return serve_forked(config, reservation, workers=workers)


def _prepare_for_workers() -> None:
    """Migrate, seed, make the admin token and a current index generation, once.

    With one worker too: a restart then maps the generation instead of fitting again. A
    large corpus is fitted by the refit process (``spawn_reindex``), so this process,
    which serves (one worker) or supervises (several), keeps none of the fit's memory.
    """
    from matching import Taxonomy
    from seed import load_taxonomy
    from service.auth.keys import load_admin_token
    from service.db import make_engine, session_scope
    from service.institutions import crud
    from service.institutions.generations import Generations, spawn_reindex
    from service.institutions.reindex import reindex
    from service.main import prepare_storage

    settings = get_settings()
    engine = make_engine(settings)
    try:
        prepare_storage(settings, engine)
        load_admin_token(settings)
        store = Generations(settings.data_dir / "index")
        if not settings.index_files:
            return
        if store.current_is_recent():
            with store.reindex_lock() as held:
                if held:  # what a refit killed mid-write left behind
                    store.clean()
            return
        with session_scope(engine) as session:
            count = crud.count_institutions(session=session)
        if count > _FIT_HERE_MAX_PROFILES:
            spawn_reindex(engine, store).wait()  # a failure leaves the workers to fit
        else:
            reindex(engine, store, Taxonomy.from_dict(load_taxonomy()))
    finally:
        engine.dispose()


def _seed(_args: argparse.Namespace) -> int:
    from service.db import make_engine, session_scope
    from service.institutions.seeding import load_seed
    from service.migrations.runner import upgrade

    settings = get_settings()
    engine = make_engine(settings)
    upgrade(engine)
    with session_scope(engine) as session:
        report = load_seed(session=session)
    engine.dispose()
    print(
        f"seed: {len(report.created)} institutions created, "
        f"{report.already_present} already present "
        f"({settings.resolved_database_url.split('@')[-1]})"
    )
    return 0


def _reindex(_args: argparse.Namespace) -> int:
    from matching import Taxonomy
    from seed import load_taxonomy
    from service.db import make_engine
    from service.institutions.generations import Generations
    from service.institutions.reindex import reindex
    from service.migrations.runner import upgrade

    settings = get_settings()
    engine = make_engine(settings)
    try:
        upgrade(engine)
        store = Generations(settings.data_dir / "index")
        name = reindex(engine, store, Taxonomy.from_dict(load_taxonomy()))
    finally:
        engine.dispose()
    if name is None:
        print("reindex: another refit is running; nothing done", file=sys.stderr)
        return 1
    print(f"reindex: {store.root / name} is current")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from service.db import make_engine
    from service.migrations import runner as migrate

    settings = get_settings()
    engine = make_engine(settings)
    try:
        before = migrate.current(engine)
        if args.down is not None:
            migrate.downgrade(engine, args.down)
        else:
            migrate.upgrade(engine, args.revision)
        after = migrate.current(engine)
    finally:
        engine.dispose()
    print(f"migrate: {before or 'empty'} -> {after or 'empty'} (newest: {migrate.head()})")
    return 0


_SHIPPED_DATASETS = ("articles", "cove", "generated", "thin")


def _evaluate(args: argparse.Namespace) -> int:
    import dataclasses
    import json
    from contextlib import ExitStack
    from importlib import resources
    from pathlib import Path

    from matching import Taxonomy
    from matching.evaluation import DatasetError, evaluate, format_report, load_dataset
    from seed import load_taxonomy

    with ExitStack() as stack:
        path = Path(args.dataset)
        if not path.is_file():
            # Not a file here: a shipped dataset, by name, from the installed seed package.
            shipped = resources.files("seed.eval").joinpath(f"{args.dataset}.json")
            if args.dataset not in _SHIPPED_DATASETS or not shipped.is_file():
                names = ", ".join(_SHIPPED_DATASETS)
                print(
                    f"tvet-match evaluate: {args.dataset!r} is neither a file nor a shipped "
                    f"dataset ({names})",
                    file=sys.stderr,
                )
                return 2
            path = stack.enter_context(resources.as_file(shipped))
        try:
            dataset = load_dataset(path)
            report = evaluate(
                dataset,
                k=args.k,
                seed=args.seed,
                resamples=args.resamples,
                taxonomy=Taxonomy.from_dict(load_taxonomy()),
            )
        except DatasetError as error:
            print(f"tvet-match evaluate: {error}", file=sys.stderr)
            return 2
    print(format_report(report), end="")
    if args.json is not None:
        text = json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2)
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="tvet-match", description="Reciprocal partner matching for TVET institutions."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        help="worker processes forked from this one, each with its own listening socket, "
        "sharing one mapped index (default: the number of cores; 1 serves from this process)",
    )
    serve.set_defaults(run=_serve)
    seed = commands.add_parser("seed", help="load the demo seed institutions (idempotent)")
    seed.set_defaults(run=_seed)
    migrate = commands.add_parser(
        "migrate", help="upgrade the database schema (the service also does so on start)"
    )
    migrate.add_argument(
        "revision", nargs="?", default="head", help="revision to upgrade to (default: head)"
    )
    migrate.add_argument(
        "--down", metavar="REVISION", help="downgrade to REVISION instead (base removes all)"
    )
    migrate.set_defaults(run=_migrate)
    reindex = commands.add_parser(
        "reindex",
        help="fit the index from the database and publish it as the next generation "
        "(running servers switch to it)",
    )
    reindex.set_defaults(run=_reindex)
    add_commands(commands)
    evaluate = commands.add_parser(
        "evaluate", help="measure how well known partners are found (hold-out evaluation)"
    )
    evaluate.add_argument(
        "dataset", help=f"a dataset JSON file, or a shipped one: {', '.join(_SHIPPED_DATASETS)}"
    )
    evaluate.add_argument("--k", type=_positive, default=10, help="length of the suggestion list")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of bootstrap and random ranker")
    evaluate.add_argument("--resamples", type=_positive, default=1000, help="bootstrap resamples")
    evaluate.add_argument("--json", metavar="OUT", help="also write the report as JSON to OUT")
    evaluate.set_defaults(run=_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())

"""The ``tvet-match`` command: serve the API, load the seed."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from service.config import get_settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "service.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
    )
    return 0


def _seed(_args: argparse.Namespace) -> int:
    from service.db import create_schema, make_engine, session_scope
    from service.seeding import load_seed

    settings = get_settings()
    engine = make_engine(settings)
    create_schema(engine)
    with session_scope(engine) as session:
        report = load_seed(session=session)
    engine.dispose()
    print(
        f"seed: {len(report.created)} institutions created, "
        f"{report.already_present} already present "
        f"({settings.resolved_database_url.split('@')[-1]})"
    )
    return 0


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
    serve.set_defaults(run=_serve)
    seed = commands.add_parser("seed", help="load the demo seed institutions (idempotent)")
    seed.set_defaults(run=_seed)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())

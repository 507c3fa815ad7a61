"""Organiser commands over HTTP: import a survey, run a pairing, export a run."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from service.client import ApiError, TvetMatchClient
from service.client.operations import ExportKind
from service.workshops.import_schemas import ImportPlanPublic


@contextmanager
def _progress(label: str) -> Iterator[None]:
    """Show a ticking progress line on a terminal while slow work runs on the server."""
    if not sys.stderr.isatty():
        yield
        return
    done = threading.Event()
    started = time.monotonic()

    def tick() -> None:
        frames = "|/-\\"
        i = 0
        while not done.wait(0.2):
            elapsed = time.monotonic() - started
            print(f"\r{frames[i % 4]} {label} {elapsed:5.1f} s", end="", file=sys.stderr)
            i += 1

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        print(f"\r✓ {label} {time.monotonic() - started:5.1f} s", file=sys.stderr)


def _client(args: argparse.Namespace) -> TvetMatchClient:
    return TvetMatchClient(args.url, key=args.key)


def _import(args: argparse.Namespace) -> int:
    data = Path(args.file).read_bytes()
    with _client(args) as api, _progress("importing"):
        result = api.import_survey(
            args.workshop, data, dry_run=args.dry_run, encoding=args.encoding
        )
    if isinstance(result, ImportPlanPublic):
        for rejected in result.rejected:
            where = f"row {rejected.row}" if rejected.row else "file"
            column = f", {rejected.column}" if rejected.column else ""
            print(f"rejected {where}{column}: {rejected.reason}")
        print(
            f"dry run: {len(result.create)} to create, {len(result.update)} to update, "
            f"{len(result.unchanged)} unchanged, {len(result.proposal)} to propose, "
            f"{len(result.participant)} participant only, {len(result.rejected)} rejected"
        )
        return 1 if result.rejected else 0
    print(
        f"imported: {len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged, {len(result.proposal)} proposed; "
        f"{result.participants} participants"
    )
    return 0


def _pair(args: argparse.Namespace) -> int:
    rules: dict[str, Any] = json.loads(args.rules) if args.rules else {}
    rules.setdefault("max_partners", args.max_partners)
    if args.china_with_asean_only:
        rules["china_with_asean_only"] = True
    with _client(args) as api, _progress("pairing"):
        run = api.run_pairing(args.workshop, rules)
    for pair in run.pairs:
        print(
            f"{pair.score:.3f}  {pair.a.name} ({pair.a.country})"
            f"  <->  {pair.b.name} ({pair.b.country})"
        )
    print(
        f"run {run.number}: {len(run.pairs)} pairs, total {run.total:.3f}, "
        f"bound {run.upper_bound:.3f}, gap {run.gap:.2%}, {len(run.unpaired)} unpaired"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    what: ExportKind = "ics" if args.format == "ics" else args.what
    with _client(args) as api:
        body = api.export_pairing(args.workshop, args.run_number, what, args.institution)
    if args.output == "-":
        sys.stdout.buffer.write(body)
    else:
        Path(args.output).write_bytes(body)
        print(f"wrote {len(body)} bytes to {args.output}", file=sys.stderr)
    return 0


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except ApiError as error:
            print(f"tvet-match: the service refused: {error}", file=sys.stderr)
            for issue in error.errors:
                print(f"  {'.'.join(map(str, issue.loc))}: {issue.msg}", file=sys.stderr)
            return 1
        except httpx.TransportError as error:
            print(f"tvet-match: cannot reach the service at {args.url}: {error}", file=sys.stderr)
            return 1
        except OSError as error:
            print(f"tvet-match: {error}", file=sys.stderr)
            return 1

    return run


def add_commands(commands: Any) -> None:
    """Register import, pair and export on the CLI's subparsers."""

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--workshop", type=int, required=True, help="workshop id")
        parser.add_argument(
            "--url",
            default=os.environ.get("TVETMATCH_URL", "http://127.0.0.1:8000"),
            help="the service (default $TVETMATCH_URL or http://127.0.0.1:8000)",
        )
        parser.add_argument("--key", help="organiser or admin key (default $TVETMATCH_API_KEY)")

    survey = commands.add_parser("import", help="import a workshop survey (CSV or .xlsx)")
    survey.add_argument("file", help="the CSV or .xlsx file")
    survey.add_argument("--dry-run", action="store_true", help="only report what would happen")
    survey.add_argument("--encoding", default="utf-8", help="the file's encoding if not UTF-8")
    common(survey)
    survey.set_defaults(run=_guarded(_import))

    pair = commands.add_parser("pair", help="run an MoU pre-pairing for a workshop")
    pair.add_argument("--max-partners", type=int, default=1)
    pair.add_argument("--china-with-asean-only", action="store_true")
    pair.add_argument("--rules", help="more rules as a JSON object (see the API docs)")
    common(pair)
    pair.set_defaults(run=_guarded(_pair))

    export = commands.add_parser("export", help="download a pairing run as CSV or .ics")
    export.add_argument("--run", dest="run_number", type=int, required=True, help="run number")
    export.add_argument("--format", choices=["csv", "ics"], default="csv")
    export.add_argument(
        "--what", choices=["pairs", "alternates", "schedule"], default="pairs", help="for csv"
    )
    export.add_argument("--institution", type=int, help="for ics: one institution's meetings")
    export.add_argument("--output", "-o", default="-", help="file to write (default stdout)")
    common(export)
    export.set_defaults(run=_guarded(_export))

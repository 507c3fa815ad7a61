#!/usr/bin/env python3
"""Set up and run tvet-match with nothing but python3.

    python3 dev.py serve [--host H] [--port P] [--workers N]   install, then serve the seeded demo
    python3 dev.py test [pytest args...]         install, then lint, type-check and test
                                                 (on every core; ``-n 0`` runs in one process)

Both create ``.venv`` beside this file on first use and reinstall only when
``pyproject.toml`` changes. With ``CI=true`` the test command also installs the
PostgreSQL server and the Chromium browser the suite runs against.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def _run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True, env=env)


def _install(extra: str | None) -> None:
    if not (BIN / "python").exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extra}]" if extra else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + target.encode()).hexdigest()
    stamp = VENV / f".installed-{extra or 'runtime'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--editable", target)
    stamp.write_text(digest)


def serve(args: list[str]) -> int:
    """Install the runtime and serve the API on the embedded database."""
    _install(None)
    os.execv(BIN / "tvet-match", [str(BIN / "tvet-match"), "serve", *args])


def _parallel(args: list[str]) -> list[str]:
    """The pytest-xdist options, unless the arguments choose their own (``-n 0``: none)."""
    own = ("-n", "--numprocesses", "--dist", "--pdb", "-p")  # -p no:xdist, --pdb: one process
    if any(arg.split("=", 1)[0].startswith(own) for arg in args):
        return []
    # One worker per core. "worksteal" hands each worker a contiguous half of the suite (so a
    # module's shared fixtures are mostly set up once) and lets an idle worker take the rest
    # of the other's queue, so one slow module does not leave a core idle at the end.
    return ["--numprocesses=auto", "--dist=worksteal"]


def test(args: list[str]) -> int:
    """Install the test tools, then lint, type-check and run the whole suite."""
    _install("test")
    if os.environ.get("CI") == "true":
        _run("bash", ROOT / ".ci" / "install-postgres.sh")
        _run("bash", ROOT / ".ci" / "install-chromium.sh")
    steps: list[list[str | Path]] = [
        [BIN / "ruff", "check", "."],
        [BIN / "ruff", "format", "--check", "."],
        [BIN / "mypy"],
        [
            *(BIN / "python", "-m", "pytest", "--cov", "--cov-report=term:skip-covered"),
            *_parallel(args),
            *args,
        ],
    ]
    for step in steps:
        try:
            _run(*step)
        except subprocess.CalledProcessError as failure:
            print(f"FAILED: {' '.join(map(str, step))} (exit {failure.returncode})", flush=True)
            return failure.returncode or 1
    return 0


def main() -> int:
    """Dispatch ``serve`` or ``test``."""
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())

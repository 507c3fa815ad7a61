"""``tvet-match serve`` processes forked from one that has imported the service already.

Most of a server's start is importing FastAPI, SQLAlchemy, scipy and scikit-learn
(about 5 s of CPU on the CI machine). A test that starts a server again and again, each
on a fresh copy of one database (the stateful schemathesis chains), pays that once: a
small fork server imports the service, then forks a child per start. The child takes
the environment it is given, points its output at its log and runs the command line's
own ``main(["serve", ...])``: the same start (migrate, admin token, index generation,
uvicorn on its own socket) as the installed command, on a database of its own.

The fork server forks before it has started any thread or opened any database, so a
child holds nothing of another's. It speaks one JSON line per request on its stdin and
stdout: ``start`` (answers the child's pid) and ``poll`` (its exit status, once it has
exited); on end of input it kills the children left and exits.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
_POLL_SECONDS = 0.05


class ForkedProcess:
    """A forked server, handled as a ``subprocess.Popen`` is (poll, wait, terminate, kill)."""

    def __init__(self, forker: Forker, pid: int) -> None:
        self._forker = forker
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """Return the exit status once the process has exited, else None."""
        if self.returncode is None:
            self.returncode = self._forker.exit_status(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit status; raise ``subprocess.TimeoutExpired`` after ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (status := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"forked server {self.pid}", timeout or 0)
            time.sleep(_POLL_SECONDS)
        return status

    def terminate(self) -> None:
        """Send SIGTERM (uvicorn shuts down gracefully)."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """Send SIGKILL."""
        self._signal(signal.SIGKILL)

    def _signal(self, number: signal.Signals) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)


class Forker:
    """The test's side of a fork server: start one, ask it for servers, close it."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        with log.open("ab") as out:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.support.forked"],
                cwd=ROOT,
                env={key: value for key, value in env.items() if not key.startswith("TVETMATCH_")},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=out,
                text=True,
            )
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._requests, self._answers = self._process.stdin, self._process.stdout
        # A fresh server is started while the previous one is stopped: one request at a time.
        self._lock = threading.Lock()

    def start(self, argv: Sequence[str], env: Mapping[str, str], log: Path) -> ForkedProcess:
        """Fork ``tvet-match <argv>`` with the environment ``env``, its output into ``log``."""
        answer = self._ask({"op": "start", "argv": list(argv), "env": dict(env), "log": str(log)})
        return ForkedProcess(self, int(answer["pid"]))

    def exit_status(self, pid: int) -> int | None:
        """The exit status of a child that has exited, else None."""
        status = self._ask({"op": "poll", "pid": pid})["returncode"]
        return None if status is None else int(status)

    def close(self) -> None:
        """Stop the fork server; it kills the servers still running."""
        self._requests.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=30)
        self._answers.close()

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._requests.write(json.dumps(request) + "\n")
            self._requests.flush()
            line = self._answers.readline()
        if not line:
            raise RuntimeError(f"the fork server exited ({self._process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer


def _import_what_serve_imports() -> None:
    """Import, once, what the ``serve`` command imports on its way to answering."""
    # Imported by the service only when it needs them: scikit-learn when it fits the index
    # (every start on a database without a stored generation: 1.6 s of a 3 s start), the
    # integer programs' scipy.optimize when it pairs or makes a timetable.
    import scipy.optimize
    import sklearn.feature_extraction.text
    import sklearn.preprocessing
    import uvicorn.lifespan.on
    import uvicorn.loops.auto
    import uvicorn.protocols.http.httptools_impl
    import uvicorn.server

    import service.cli
    import service.http.logs
    import service.http.slow_clients
    import service.institutions.reindex
    import service.main

    del scipy, sklearn, uvicorn, service


def _child(argv: list[str], env: dict[str, str], log: str) -> int:
    """Run the command line in a forked child, as ``tvet-match`` would; return its status."""
    from service.cli import main
    from service.config import get_settings

    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.environ.clear()
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        return main(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1


def _fork(request: dict[str, Any]) -> int:
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            status = _child(request["argv"], request["env"], request["log"])
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    return pid


def _exit_status(pid: int) -> int | None:
    try:
        reaped, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # reaped by an earlier poll: its status was given then
        return -1
    return None if reaped == 0 else os.waitstatus_to_exitcode(status)


def _serve_requests(requests: IO[str], answers: IO[str]) -> None:
    children: list[int] = []
    for line in requests:
        request = json.loads(line)
        if request["op"] == "start":
            children.append(_fork(request))
            answer: dict[str, Any] = {"pid": children[-1]}
        else:
            answer = {"returncode": _exit_status(request["pid"])}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    for pid in children:
        if _exit_status(pid) is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


if __name__ == "__main__":
    _import_what_serve_imports()
    _serve_requests(sys.stdin, sys.stdout)

"""Throwaway PostgreSQL servers for tests.

``throwaway_postgres()`` runs initdb in a fresh temporary directory, starts a private server on
a free loopback port, creates the ``tvetmatch`` database and yields its SQLAlchemy URL. On exit
the server is stopped and the directory removed, also when the body raises. Durability is
switched off (fsync, synchronous_commit, full_page_writes), so a start takes about two seconds.

initdb refuses to run as root, so when running as root the cluster belongs to the system user
``tvetmatch-pg`` (created on first use) and the server commands run through ``runuser``.
Anything that prevents a server raises ``PostgresUnavailable`` with the reason.

Manual check, from the repository root::

    python -m tests.support.postgres
"""

from __future__ import annotations

import math
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["PostgresUnavailable", "find_pg_bin", "throwaway_postgres"]

PG_USER = "tvetmatch-pg"
"""Unprivileged OS user that owns the cluster when running as root."""
SUPERUSER = "postgres"
DB_NAME = "tvetmatch"
PG_LIB_ROOT = Path("/usr/lib/postgresql")
"""Debian/Ubuntu layout: ``<PG_LIB_ROOT>/<version>/bin``."""

_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
_SBIN_PATH = os.pathsep.join(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
_START_ATTEMPTS = 3  # the free port can be taken between picking it and binding it


class PostgresUnavailable(Exception):
    """No throwaway PostgreSQL server could be provided; the message says why."""


def _is_pg_bin(directory: Path) -> bool:
    return all(
        (directory / name).is_file() and os.access(directory / name, os.X_OK)
        for name in _SERVER_BINARIES
    )


def find_pg_bin() -> Path:
    """Return the directory holding initdb, pg_ctl and postgres.

    Looks next to the ``initdb`` found on PATH (following symlinks first, so that the real
    directory with pg_isready & co. wins), then in the newest ``/usr/lib/postgresql/<v>/bin``.
    """
    initdb = shutil.which("initdb")
    if initdb is not None:
        for candidate in (Path(initdb).resolve().parent, Path(initdb).parent):
            if _is_pg_bin(candidate):
                return candidate
    versions = [p for p in PG_LIB_ROOT.glob("*") if re.fullmatch(r"\d+(\.\d+)*", p.name)]
    versions.sort(key=lambda p: tuple(int(part) for part in p.name.split(".")), reverse=True)
    for version in versions:
        if _is_pg_bin(version / "bin"):
            return version / "bin"
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: "
        f"{'initdb on PATH has no pg_ctl/postgres beside it' if initdb else 'no initdb on PATH'}"
        f" and no {PG_LIB_ROOT}/<version>/bin with all three. "
        "Install them, e.g. with .ci/install-postgres.sh (Debian package 'postgresql')."
    )


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:]) or "(no output)"


def _clean_env() -> dict[str, str]:
    # PGHOST, PGPORT, PGDATA, PGOPTIONS ... from the caller must not leak into the servers.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"  # English, parseable error messages
    return env


def _run(
    cmd: Sequence[str | Path], *, user: str | None, cwd: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd``, as ``user`` when given (we are root then); never raises on exit status."""
    argv = [str(part) for part in cmd]
    if user is not None:
        runuser = shutil.which("runuser", path=_SBIN_PATH)
        if runuser is not None:
            argv = [runuser, "-u", user, "--", *argv]
        else:
            argv = ["su", "-s", "/bin/sh", "-c", shlex.join(argv), user]
    # Own session, so that a timeout kills runuser *and* what it started, and Ctrl-C in the
    # terminal reaches only the test runner (which then stops the server cleanly).
    with subprocess.Popen(
        argv,
        cwd=cwd,
        env=_clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr)


def _server_user() -> str | None:
    """The OS user that must own the cluster, or None for the current (non-root) user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        useradd = shutil.which("useradd", path=_SBIN_PATH) or "useradd"
        cmd = [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER]
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, check=False)
            error = _tail(result.stderr) if result.returncode else ""
        except OSError as exc:
            error = str(exc)
        try:
            pwd.getpwnam(PG_USER)  # also fine if a parallel test process created it first
        except KeyError:
            raise PostgresUnavailable(
                f"running as root, and could not create the system user {PG_USER!r} to own "
                f"the cluster (initdb refuses root): {error}"
            ) from None
    return PG_USER


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _conf_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _initdb(bin_dir: Path, root: Path, user: str | None, timeout: float) -> None:
    cmd: list[str | Path] = [
        bin_dir / "initdb",
        "-D",
        root / "data",
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    ]
    try:
        result = _run(cmd, user=user, cwd=root, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PostgresUnavailable(f"initdb did not finish within {timeout:g} s") from None
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"initdb failed (exit {result.returncode}"
            f"{f', as OS user {user!r}' if user else ''}):\n{_tail(result.stderr + result.stdout)}"
        )
    settings = {
        "listen_addresses": _conf_quote("127.0.0.1"),
        "unix_socket_directories": _conf_quote(str(root / "run")),
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
    }
    with (root / "data" / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("\n# tests.support.postgres\n")
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())


def _start(bin_dir: Path, root: Path, user: str | None, timeout: float) -> int:
    """Start the server with pg_ctl and return its TCP port."""
    log = root / "server.log"
    deadline = time.monotonic() + timeout
    for attempt in range(1, _START_ATTEMPTS + 1):
        port = _free_port()
        log_offset = log.stat().st_size if log.exists() else 0
        remaining = max(deadline - time.monotonic(), 1.0)
        cmd: list[str | Path] = [
            bin_dir / "pg_ctl",
            "start",
            "-D",
            root / "data",
            "-l",
            log,
            "-o",
            f"-p {port}",
            "-w",
            "-t",
            str(math.ceil(remaining)),
        ]
        try:
            result = _run(cmd, user=user, cwd=root, timeout=remaining + 5)
        except subprocess.TimeoutExpired:
            result = None
        if result is not None and result.returncode == 0:
            return port
        log_text = log.read_bytes()[log_offset:].decode(errors="replace") if log.exists() else ""
        if "Address already in use" in log_text and attempt < _START_ATTEMPTS:
            continue
        output = "" if result is None else result.stdout + result.stderr
        if result is None or "did not start in time" in output:
            raise PostgresUnavailable(
                f"PostgreSQL server did not start within {timeout:g} s; "
                f"server log:\n{_tail(log_text)}"
            )
        raise PostgresUnavailable(
            f"pg_ctl start failed (exit {result.returncode}):\n{_tail(output)}\n"
            f"server log:\n{_tail(log_text)}"
        )
    raise AssertionError("unreachable")


def _wait_and_create_db(port: int, timeout: float) -> None:
    """Poll with psycopg until the server accepts connections, then create the database."""
    import psycopg
    from psycopg import sql

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(
                host="127.0.0.1",
                port=port,
                user=SUPERUSER,
                dbname="postgres",
                autocommit=True,
                connect_timeout=2,
            ) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
                return
        except psycopg.OperationalError as exc:
            if time.monotonic() >= deadline:
                raise PostgresUnavailable(
                    f"PostgreSQL server on 127.0.0.1:{port} did not accept connections "
                    f"within {timeout:g} s: {str(exc).strip()}"
                ) from None
        time.sleep(0.05)


def _stop(bin_dir: Path, root: Path, user: str | None) -> None:
    data = root / "data"
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return
    cmd: list[str | Path] = [
        bin_dir / "pg_ctl",
        "stop",
        "-D",
        data,
        "-m",
        "immediate",
        "-w",
        "-t",
        "10",
    ]
    with suppress(subprocess.TimeoutExpired):
        _run(cmd, user=user, cwd=root, timeout=15)
    if not pid_file.exists():
        return
    # pg_ctl could not stop it: kill the postmaster, but only if that pid really is ours.
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if str(data).encode() in cmdline:
            os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass


@contextmanager
def throwaway_postgres(*, timeout: float = 30.0) -> Iterator[str]:
    """Run a private PostgreSQL server and yield the SQLAlchemy URL of its ``tvetmatch`` db.

    ``timeout`` bounds initdb and the server start separately. Raises PostgresUnavailable
    when no server can be provided.
    """
    try:
        import psycopg  # noqa: F401  (fail before doing any work)
    except ImportError:
        raise PostgresUnavailable(
            "psycopg is not installed (pip install 'psycopg[binary]')"
        ) from None
    bin_dir = find_pg_bin()
    user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="tvetmatch-pg-"))
    try:
        (root / "run").mkdir()
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in (root, root / "run"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        _initdb(bin_dir, root, user, timeout)
        port = _start(bin_dir, root, user, timeout)
        _wait_and_create_db(port, timeout)
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{DB_NAME}"
    finally:
        try:
            _stop(bin_dir, root, user)
        finally:
            shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    """Start a server, print its URL and ``SELECT version()``, and stop it."""
    import psycopg

    started = time.perf_counter()
    with throwaway_postgres() as url:
        ready = time.perf_counter()
        print(url)
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
            row = conn.execute("SELECT version()").fetchone()
        print(row[0] if row else "(no row)")
        stopping = time.perf_counter()
    done = time.perf_counter()
    print(f"started in {ready - started:.2f} s, stopped and removed in {done - stopping:.2f} s")


if __name__ == "__main__":
    main()

"""``serve --workers N``: N workers forked from the serving process, a listening socket each.

Forked, not spawned: the parent has imported the service (FastAPI, SQLAlchemy, scikit-learn:
seconds of a core) to migrate, seed and publish the first index generation, so a forked
worker starts serving at once, and the pages of that imported code stay shared between
the workers until one writes to them.

A socket each, bound with ``SO_REUSEPORT`` to one address: the kernel spreads incoming
connections over the workers' listening sockets. With one socket shared by every worker,
the worker whose event loop wakes first accepts every pending connection, so a burst of
keep-alive connections can all land on one worker while another idles. The trade-off:
connections queued on the socket of a worker that is killed are reset (the supervisor
forks a replacement; clients retry). A worker binds its socket but listens only once
the application has started (uvicorn listens after the lifespan startup), so no
connection is routed to a worker before it can answer.

The parent binds a socket per address too, with ``SO_REUSEPORT`` but without listening:
it holds the port for the server's life and resolves port 0. It first checks that nobody
holds the port, even with ``SO_REUSEPORT`` (joining them, it would silently share the
port with another server of the same user), and fails at once with a clear message. It
then supervises: SIGINT or SIGTERM stop every worker (SIGKILL after
30 s) and exit 0; a worker that dies is forked again; a worker that could not start
(uvicorn's ``STARTUP_FAILURE``) stops the server, so a failing start does not loop. On
Linux every worker asks the kernel for SIGTERM when the parent dies (``PR_SET_PDEATHSIG``),
so a parent killed with SIGKILL leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from service.http.long_lived import freeze_before_fork

__all__ = ["PortReservation", "serve_forked"]

logger = logging.getLogger(__name__)

_STOP_GRACE_SECONDS = 30.0
# A worker that dies sooner than this after its fork is replaced after a pause, so a
# worker that crashes once started does not make the parent fork in a tight loop.
_SHORTEST_LIFE_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD)
_SockAddr = tuple[str, int] | tuple[str, int, int, int]


def _bound_socket(
    family: int, address: _SockAddr, *, reuse_address: bool, reuse_port: bool
) -> socket.socket:
    """Return a TCP socket bound to ``address``, not listening yet."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, int(reuse_address))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, int(reuse_port))
        if family == socket.AF_INET6:
            # As asyncio binds for the one-worker server: "::" means IPv6 only.
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
    except BaseException:
        sock.close()
        raise
    return sock


def _worker_socket(family: int, address: _SockAddr) -> socket.socket:
    """A worker's socket: one of the port's group of ``SO_REUSEPORT`` listeners."""
    return _bound_socket(family, address, reuse_address=True, reuse_port=True)


def _reserve(family: int, address: _SockAddr) -> socket.socket:
    """The parent's socket on ``address``; raise ``OSError`` if another server has it.

    The check binds without ``SO_REUSEPORT``, which conflicts with every listener on the
    port: joining one with it, this server would silently share the port with another of
    the same user. ``SO_REUSEADDR`` lets it past connections left in TIME_WAIT, but not
    past a socket bound without it: so the reservation is bound without it, and another
    server checking the port while this one prepares (not listening yet) is refused too.
    """
    if address[1]:  # port 0: the kernel picks a port nobody holds
        _bound_socket(family, address, reuse_address=True, reuse_port=False).close()
    return _bound_socket(family, address, reuse_address=False, reuse_port=True)


@dataclass(frozen=True, slots=True)
class _Address:
    family: int
    sockaddr: _SockAddr


class PortReservation:
    """The parent's bound (not listening) sockets: the port is held for the workers."""

    def __init__(self, host: str, port: int) -> None:
        """Bind ``host``:``port`` (every address the host names; port 0 picks one).

        Raise ``OSError`` with a message naming the address when it is taken.
        """
        self.sockets: list[socket.socket] = []
        # The port bound (the one picked when 0 was asked for).
        self.port = port
        found = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
        )
        try:
            for family, *_, (ip, wanted, *scope) in found:
                # Port 0 is resolved by the first bind; the other addresses take the same.
                address: _SockAddr = (str(ip), self.port if self.sockets else int(wanted))
                if family == socket.AF_INET6:
                    address = (str(ip), address[1], int(scope[0]), int(scope[1]))
                if any(sock.getsockname() == address for sock in self.sockets):
                    continue  # named twice by the resolver
                try:
                    self.sockets.append(_reserve(family, address))
                    self.port = self.sockets[0].getsockname()[1]
                except OSError as error:
                    message = f"cannot serve on {ip} port {address[1]}: {error.strerror}"
                    raise OSError(error.errno, message) from error
        except BaseException:
            self.close()
            raise

    def addresses(self) -> list[_Address]:
        """The addresses each worker binds a listening socket of its own to."""
        return [_Address(sock.family, sock.getsockname()) for sock in self.sockets]

    def close(self) -> None:
        """Release the port."""
        for sock in self.sockets:
            sock.close()


def _die_with_parent(parent: int) -> None:
    """Ask the kernel for SIGTERM when the parent dies (Linux); exit if it already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died between the fork and the request
        os._exit(1)


def _run_worker(make_config: Callable[[], uvicorn.Config], addresses: list[_Address]) -> int:
    """Serve in a forked worker until told to stop; return its exit status."""
    sockets: list[socket.socket] = []
    server: uvicorn.Server | None = None
    try:
        sockets = [_worker_socket(each.family, each.sockaddr) for each in addresses]
        server = uvicorn.Server(make_config())
        server.run(sockets=sockets)
    except SystemExit as stop:  # uvicorn exits so when the application could not start
        return stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    except BaseException:
        logger.exception("worker %d failed", os.getpid())
        return 1 if server is not None and server.started else STARTUP_FAILURE
    finally:
        for sock in sockets:
            sock.close()
    return 0 if server.started else STARTUP_FAILURE


def _describe(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with status {code}"


class _Supervisor:
    """Forks the workers, forks again those that die, and stops them all when told."""

    def __init__(
        self, make_config: Callable[[], uvicorn.Config], reservation: PortReservation
    ) -> None:
        self._make_config = make_config
        self._reservation = reservation
        self._addresses = reservation.addresses()
        self._workers: dict[int, float] = {}  # pid -> when it was forked
        self._stop_signal: int | None = None
        self._failed = False
        self._wake_read, self._wake_write = os.pipe()
        for end in (self._wake_read, self._wake_write):
            os.set_blocking(end, False)

    @contextlib.contextmanager
    def handling_signals(self) -> Iterator[None]:
        """Note SIGINT and SIGTERM, and wake the supervision on any signal or child exit."""

        def note(number: int, _frame: FrameType | None) -> None:
            if number != signal.SIGCHLD and self._stop_signal is None:
                self._stop_signal = number

        previous = {number: signal.signal(number, note) for number in _HANDLED}
        old_wakeup = signal.set_wakeup_fd(self._wake_write, warn_on_full_buffer=False)
        try:
            yield
        finally:
            signal.set_wakeup_fd(old_wakeup)
            for number, handler in previous.items():
                signal.signal(number, handler)
            os.close(self._wake_read)
            os.close(self._wake_write)

    def fork(self) -> None:
        """Fork a worker; in the worker, serve and never return."""
        others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
        if others:
            logger.warning(
                "forking a worker while threads run (%s): it gets none of them, and a lock "
                "one held stays held in the worker",
                ", ".join(others),
            )
        parent = os.getpid()
        # Blocked across the fork: a signal meant for the worker must not run the
        # parent's handlers there; it is delivered once the worker has its own.
        signal.pthread_sigmask(signal.SIG_BLOCK, _HANDLED)
        freeze_before_fork()  # the worker's collections never write to what it inherits
        try:
            pid = os.fork()
            if pid == 0:
                self._become_worker(parent)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _HANDLED)
        self._workers[pid] = time.monotonic()
        logger.info("worker %d started", pid)

    def _become_worker(self, parent: int) -> None:
        status = 1
        try:
            signal.set_wakeup_fd(-1)
            for number in _HANDLED:
                signal.signal(number, signal.SIG_DFL)
            os.close(self._wake_read)
            os.close(self._wake_write)
            self._reservation.close()  # the parent's; the worker binds its own
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _HANDLED)
            _die_with_parent(parent)
            status = _run_worker(self._make_config, self._addresses)
        finally:
            for handler in logging.getLogger().handlers:
                with contextlib.suppress(Exception):
                    handler.flush()
            os._exit(status)

    def supervise(self) -> int:
        """Keep the workers running until a stop signal or a failed start; return the status."""
        while self._stop_signal is None and not self._failed:
            self._wait_for_wakeup(None)
            for pid, status in self._reap():
                forked = self._workers.pop(pid)
                if os.waitstatus_to_exitcode(status) == STARTUP_FAILURE:
                    logger.error("worker %d could not start: stopping the server", pid)
                    self._failed = True
                    continue
                logger.warning("worker %d %s; starting another", pid, _describe(status))
                if time.monotonic() - forked < _SHORTEST_LIFE_SECONDS:
                    time.sleep(_SHORTEST_LIFE_SECONDS)
                if self._stop_signal is None and not self._failed:
                    self.fork()
        if self._stop_signal is not None:
            logger.info("%s: stopping the workers", signal.Signals(self._stop_signal).name)
        self.stop()
        return 1 if self._failed else 0

    def stop(self) -> None:
        """SIGTERM every worker, wait for them (SIGKILL those left after the grace period)."""
        for pid in self._workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + _STOP_GRACE_SECONDS
        while self._workers and (left := deadline - time.monotonic()) > 0:
            for pid, _status in self._reap():
                self._workers.pop(pid)
            if self._workers:
                self._wait_for_wakeup(left)
        for pid in self._workers:
            logger.warning("worker %d did not stop within %.0f s: killed", pid, _STOP_GRACE_SECONDS)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._workers.clear()

    def _wait_for_wakeup(self, timeout: float | None) -> None:
        """Sleep until a signal arrives (a child exit included) or ``timeout`` passes."""
        select.select([self._wake_read], [], [], timeout)
        with contextlib.suppress(BlockingIOError):
            while os.read(self._wake_read, 512):
                pass

    def _reap(self) -> list[tuple[int, int]]:
        """The workers that have exited, with their wait statuses."""
        reaped = []
        for pid in list(self._workers):
            with contextlib.suppress(ChildProcessError):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    reaped.append((pid, status))
        return reaped


def serve_forked(
    make_config: Callable[[], uvicorn.Config], reservation: PortReservation, *, workers: int
) -> int:
    """Fork ``workers`` uvicorn servers on the reserved port and supervise them.

    ``make_config`` is called in each worker for its server's configuration. Return the
    exit status: 0 when stopped by SIGINT or SIGTERM, 1 when a worker could not start.
    """
    supervisor = _Supervisor(make_config, reservation)
    hosts = ", ".join(str(address.sockaddr[0]) for address in reservation.addresses())
    logger.info("serving on %s port %d with %d forked workers", hosts, reservation.port, workers)
    try:
        with supervisor.handling_signals():
            for _ in range(workers):
                supervisor.fork()
            return supervisor.supervise()
    finally:
        reservation.close()

"""Wake the other workers' change-log pollers at once after a write, on one host.

Each worker's index polls the change log every ``change_poll_seconds`` for writes made
through other workers; alone, that makes a write visible to the other workers only after
half an interval on average (and a poll costs idle CPU, so the interval cannot shrink
freely). Workers that share an index directory are on one host, so the worker that
committed a write also sends one datagram to each of the others: their pollers wake and
catch up at once. The poll stays, for instances on other hosts and for a datagram lost.

A worker listens on a Linux abstract socket (no file to clean up after a kill -9) named
after the directory and its pid, and announces itself with an empty file in the
directory (``<data dir>/wakeups/<pid>-...``, beside the index directory); a file whose
socket refuses is a dead worker's and is removed.

A wake-up is also a call to answer before ranking (:meth:`called`, :meth:`answer`): the
writer sends it after its commit and before its response, so a match request that reaches
another worker after the write's response finds it waiting (on the socket, or taken by the
poller whose catch-up has not begun) and catches up first. A client that writes through
one worker and then asks through another sees its write, whatever the poller's timing.

Where abstract sockets do not exist (not Linux), nobody is woken: the poll alone keeps the
workers in step, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import select
import socket
import sys
import threading
from pathlib import Path

__all__ = ["Wakeups"]

log = logging.getLogger(__name__)

_SUPPORTED = sys.platform.startswith("linux")


class Wakeups:
    """This worker's wake-up socket, and the others' addresses."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._prefix = (
            b"\0tvet-match-"
            + hashlib.sha256(str(directory.resolve()).encode()).digest()[:12].hex().encode()
        )
        self._name = f"{os.getpid()}-{id(self):x}"
        self._socket: socket.socket | None = None
        # A wake-up taken from the socket by wait() whose catch-up has not begun.
        self._taken = False
        if not _SUPPORTED:
            return
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            listening = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            listening.bind(self._address(self._name))
            listening.setblocking(False)
            (self._dir / self._name).touch()
        except OSError as error:
            log.warning("no wake-ups between workers (%s); the change-log poll alone", error)
            return
        self._socket = listening

    def _address(self, name: str) -> bytes:
        return self._prefix + b"-" + name.encode()

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        """Wait up to ``timeout`` seconds, or until woken or ``stop`` is set (then
        :meth:`poke` ends the wait); return whether ``stop`` is set."""
        if self._socket is None:
            return stop.wait(timeout)
        readable, _, _ = select.select([self._socket], [], [], timeout)
        if readable:
            self._taken = True  # before draining, so called() never misses it meanwhile
            self._drain()
        return stop.is_set()

    def called(self) -> bool:
        """Whether a wake-up came that no catch-up has answered yet."""
        if self._socket is None:
            return False
        if self._taken:
            return True
        readable, _, _ = select.select([self._socket], [], [], 0)
        return bool(readable)

    def answer(self) -> None:
        """Say a catch-up begins now: it reads every write whose wake-up came before."""
        self._taken = False
        if self._socket is not None:
            self._drain()

    def _drain(self) -> None:
        assert self._socket is not None
        with contextlib.suppress(OSError):  # BlockingIOError once empty
            while self._socket.recv(16):  # several writes, one catch-up
                pass

    def wake_others(self) -> int:
        """Send a wake-up to every other worker of this directory; return how many."""
        if self._socket is None:
            return 0
        woken = 0
        for entry in self._dir.iterdir():
            if entry.name == self._name:
                continue
            try:
                self._socket.sendto(b"!", self._address(entry.name))
                woken += 1
            except BlockingIOError:
                woken += 1  # its queue is full: it has wake-ups waiting already
            except (ConnectionRefusedError, FileNotFoundError):
                entry.unlink(missing_ok=True)  # a worker that is gone
            except OSError as error:
                log.debug("could not wake %s: %s", entry.name, error)
        return woken

    def poke(self) -> None:
        """Wake this worker's own wait (to stop it)."""
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.sendto(b"!", self._socket.getsockname())

    def close(self) -> None:
        """Stop listening; call once no thread waits any more."""
        listening, self._socket = self._socket, None
        if listening is not None:
            (self._dir / self._name).unlink(missing_ok=True)
            listening.close()

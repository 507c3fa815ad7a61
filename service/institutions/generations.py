"""Generations of the persisted index: ``<data_dir>/index/gen-<N>/`` and a ``CURRENT`` pointer.

A generation is a fitted ranker's state (``matching.persist``) and the change-log
position it reflects. It is written into a ``tmp-*`` directory, every file fsynced, then
renamed to ``gen-<N>``; only then is ``CURRENT`` (one line: the generation's name)
replaced with ``os.replace``. A kill at any moment leaves either the old ``CURRENT`` and
a stray temporary directory, or the new one: never a pointer to half-written files.

Who uses a generation holds a shared ``flock`` on its ``lock`` file for as long as it
maps it; the writer of a temporary directory holds an exclusive one. :meth:`clean` removes
a generation other than ``CURRENT``, or a temporary directory, only when it gets the
exclusive lock without waiting: nobody maps it, nobody writes it.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from matching import ReciprocalRanker, Taxonomy
from matching.fitted import FORMAT_VERSION, StateError, export_state, restore_state
from matching.persist import read_manifest, read_state, write_state
from service.values.times import utc_now

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
_LOCK = "lock"
_REINDEX_LOCK = "reindex.lock"
_GENERATION = "gen-"
_TEMPORARY = "tmp-"
# How long the change log keeps an entry; a generation is used only while the log still
# holds every change after it, with room for changes committed late and clocks apart.
CHANGE_LOG_KEEP = timedelta(hours=24)
_KEEP_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Position:
    """Where in the change log a state stands: the newest id read, the ids seen near it."""

    last_change: int
    seen: frozenset[int]
    taken_at: datetime

    def covered(self, keep: timedelta = CHANGE_LOG_KEEP) -> bool:
        """Whether a change log keeping entries for ``keep`` still holds all changes since."""
        return utc_now() - self.taken_at < keep - _KEEP_MARGIN


@dataclass(slots=True)
class Mapped:
    """A generation restored into a ranker; holds the shared lock until :meth:`release`."""

    name: str
    ranker: ReciprocalRanker
    position: Position
    lock: IO[bytes] | None
    directory: Path

    def release(self) -> None:
        """Let go of this generation; its last user removes it once it is not current.

        The mapped arrays stay valid (a mapping outlives its file). Removing here, not only
        in the next refit's :meth:`Generations.clean`, is what frees the disk as soon as
        the last worker has switched, or died: a killed worker's lock goes with it.
        """
        if self.lock is None:
            return
        self.lock.close()
        self.lock = None
        if Generations(self.directory.parent).current() != self.name:
            _remove_unless_held(self.directory)


def taxonomy_fingerprint(taxonomy: Taxonomy | None) -> str:
    """A digest of the concepts, so a state fitted under another taxonomy is not reused."""
    concepts = repr(taxonomy.concepts) if taxonomy is not None else ""
    return hashlib.sha256(concepts.encode()).hexdigest()[:16]


class Generations:
    """The generations of one data directory's index."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def current(self) -> str | None:
        """The name ``CURRENT`` points to, if any (one small file read)."""
        try:
            name = (self.root / CURRENT).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if name.startswith(_GENERATION) and "/" not in name else None

    def write(self, ranker: ReciprocalRanker, position: Position) -> str:
        """Write ``ranker`` as the next generation and point ``CURRENT`` at it; return its name."""
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f"{_TEMPORARY}{uuid.uuid4().hex}"
        temporary.mkdir()
        with (temporary / _LOCK).open("wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            write_state(
                temporary,
                export_state(ranker),
                extra={
                    "last_change": position.last_change,
                    "seen": sorted(position.seen),
                    "taken_at": position.taken_at.isoformat(),
                    "taxonomy": taxonomy_fingerprint(ranker.taxonomy),
                },
            )
            _sync_directory(temporary)
            name = f"{_GENERATION}{self._next_number():06d}"
            os.rename(temporary, self.root / name)
            _sync_directory(self.root)
            # Still locked: until CURRENT names it, a cleaner would take it for an old one.
            pointer = self.root / f"{CURRENT}.{uuid.uuid4().hex}"
            with pointer.open("w", encoding="ascii") as out:
                out.write(name + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(pointer, self.root / CURRENT)
            _sync_directory(self.root)
        return name

    def current_is_recent(self, keep: timedelta = CHANGE_LOG_KEEP) -> bool:
        """Whether ``CURRENT`` names a generation the change log still covers, written in
        this format (manifest only): else ``serve`` publishes a new one before its workers
        start."""
        name = self.current()
        if name is None:
            return False
        try:
            manifest = read_manifest(self.root / name)
            if manifest.scalars.get("format") != FORMAT_VERSION:
                return False
            taken_at = manifest.extra["taken_at"]
            return Position(0, frozenset(), datetime.fromisoformat(taken_at)).covered(keep)
        except (StateError, KeyError, ValueError, TypeError):
            return False

    def open(self, name: str, ranker: ReciprocalRanker) -> Mapped | None:
        """Restore generation ``name`` into the unfitted ``ranker``; ``None`` if unusable.

        The shared lock is taken before anything is read, so a cleaner cannot delete the
        files in between; a generation deleted just before is found missing and refused.
        """
        try:
            lock = (self.root / name / _LOCK).open("rb")
        except OSError:
            return None
        try:
            # Waits only while its writer finishes switching CURRENT, or a cleaner deletes
            # it (then the files are found missing below).
            fcntl.flock(lock, fcntl.LOCK_SH)
            state, manifest = read_state(self.root / name)
            if manifest.extra.get("taxonomy") != taxonomy_fingerprint(ranker.taxonomy):
                raise StateError("fitted under another taxonomy")
            position = Position(
                last_change=int(manifest.extra["last_change"]),
                seen=frozenset(int(i) for i in manifest.extra["seen"]),
                taken_at=datetime.fromisoformat(manifest.extra["taken_at"]),
            )
            restored = restore_state(ranker, state)
        except (OSError, StateError, KeyError, ValueError, TypeError) as error:
            lock.close()
            log.warning("index generation %s is not usable: %s", name, error)
            return None
        # A worker killed while mapping an old generation never releases it: whoever maps
        # the next one removes it (a generation another worker still maps stays).
        self.remove_unused_generations()
        return Mapped(
            name=name,
            ranker=restored,
            position=position,
            lock=lock,
            directory=self.root / name,
        )

    def clean(self) -> list[str]:
        """Delete temporary directories and old generations nobody holds; return their names.

        Call it holding :meth:`reindex_lock`: a temporary directory is a refit's work in
        progress, and only the refit lock says no refit is running.
        """
        removed = self.remove_unused_generations()
        for path in sorted(self.root.glob(f"{_TEMPORARY}*")):
            if path.is_dir() and _remove_unless_held(path):
                removed.append(path.name)
        for pointer in self.root.glob(f"{CURRENT}.*"):  # a replace that never happened
            pointer.unlink(missing_ok=True)
        return sorted(removed)

    def remove_unused_generations(self) -> list[str]:
        """Delete the generations other than ``CURRENT`` that nobody maps; return their names.

        A generation being switched to is still locked by its writer, so it stays.
        """
        current = self.current()
        removed = []
        for path in sorted(self.root.glob(f"{_GENERATION}*")):
            if path.name != current and path.is_dir() and _remove_unless_held(path):
                removed.append(path.name)
        return removed

    @contextmanager
    def reindex_lock(self) -> Iterator[bool]:
        """Hold the one-refit-at-a-time lock if free; yield whether it is held."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / _REINDEX_LOCK).open("ab") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True

    def reindex_running(self) -> bool:
        """Whether some process holds the refit lock now."""
        with self.reindex_lock() as held:
            return not held

    def _next_number(self) -> int:
        numbers = [
            int(path.name.removeprefix(_GENERATION))
            for path in self.root.glob(f"{_GENERATION}*")
            if path.name.removeprefix(_GENERATION).isdigit()
        ]
        return max(numbers, default=0) + 1


def spawn_reindex(engine: Engine, store: Generations) -> subprocess.Popen[bytes]:
    """Start ``python -m service.institutions.reindex`` on this database and data directory."""
    # The URL goes by environment, not argument: other users can read a command line.
    env = {**os.environ, "TVETMATCH_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    return subprocess.Popen(
        [sys.executable, "-m", "service.institutions.reindex", "--index-dir", str(store.root)],
        env=env,
        stdin=subprocess.DEVNULL,
    )


def _remove_unless_held(path: Path) -> bool:
    try:
        lock = (path / _LOCK).open("rb")
    except FileNotFoundError:  # killed before its lock existed: nobody can hold it
        shutil.rmtree(path, ignore_errors=True)
        return True
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(path, ignore_errors=True)
        return True


def _sync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""Values kept per institution until the change log names it.

What a match request shows of its partners (public views) and of its asker (resting
partners) is read from the database once and kept, because the same institutions are
asked about and suggested again and again. Every write that changes such a value logs
the institution in the change log, and the index forgets what is kept of each
institution it names, in this instance at once and in others after their next poll.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

__all__ = ["KeptUntilChanged"]

V = TypeVar("V")


class KeptUntilChanged(Generic[V]):
    """Values by institution id, at most ``most`` of them (the longest kept dropped first),
    each dropped when the change log names its institution.

    A value read from the database while a forget happened may predate that change: it is
    returned to its reader but not kept. ``kept`` returns a stamp with what it finds, and
    ``keep`` keeps only if no forget happened since that stamp.
    """

    def __init__(self, most: int) -> None:
        self._most = most
        self._values: dict[int, V] = {}
        self._forgets = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def kept(self, ids: Iterable[int]) -> tuple[int, dict[int, V]]:
        """Return a stamp for ``keep``, and the values kept of these institutions."""
        with self._lock:
            values = self._values
            return self._forgets, {
                pid: value for pid in ids if (value := values.get(pid)) is not None
            }

    def keep(self, stamp: int, values: Mapping[int, V]) -> None:
        """Keep these values, read after ``stamp`` was given, unless a forget happened since."""
        with self._lock:
            if stamp != self._forgets:
                return
            for pid, value in values.items():
                self._values.pop(pid, None)  # kept again: the newest
                self._values[pid] = value
            # dicts keep insertion order: the first keys are the longest kept.
            while len(self._values) > self._most:
                del self._values[next(iter(self._values))]

    def forget(self, ids: Iterable[int]) -> None:
        """Drop what is kept of these institutions (they changed or were deleted)."""
        with self._lock:
            self._forgets += 1
            for pid in ids:
                self._values.pop(pid, None)

    def clear(self) -> None:
        """Drop everything kept (the index was rebuilt or switched generation)."""
        with self._lock:
            self._forgets += 1
            self._values.clear()

"""Count Python's garbage-collector pauses while a block runs.

A full (generation 2) collection walks every tracked object; with a large corpus in
memory that is hundreds of milliseconds, which lands on whichever query triggered it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["GcPauses", "watch_gc"]


@dataclass(slots=True)
class GcPauses:
    """Collections per generation and the time they took, in milliseconds."""

    collections: dict[str, int] = field(default_factory=lambda: {"0": 0, "1": 0, "2": 0})
    total_ms: float = 0.0
    longest_ms: float = 0.0
    _started: float = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = (time.perf_counter() - self._started) * 1000
        self.collections[str(info["generation"])] += 1
        self.total_ms += took
        self.longest_ms = max(self.longest_ms, took)


@contextmanager
def watch_gc() -> Iterator[GcPauses]:
    """Record every garbage collection that runs inside the block."""
    pauses = GcPauses()
    gc.callbacks.append(pauses._callback)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(pauses._callback)

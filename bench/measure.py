"""Small measuring tools: latency summaries, process memory, progress lines."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Latency", "cpu_seconds", "log", "memory_mib", "percentile"]

_STARTED = time.perf_counter()


def log(message: str) -> None:
    """Print a progress line on stderr, so stdout keeps only the results."""
    print(f"[{time.perf_counter() - _STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0-100) with linear interpolation between ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class Latency:
    """Median, 99th percentile and mean of a set of durations, in milliseconds."""

    count: int
    median_ms: float
    p99_ms: float
    mean_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        """Summarise durations given in seconds."""
        ms = [s * 1000 for s in seconds]
        mean = sum(ms) / len(ms) if ms else math.nan
        return cls(len(ms), percentile(ms, 50), percentile(ms, 99), mean)


def memory_mib(pid: int | str = "self", field: str = "VmHWM") -> float:
    """Return a memory figure of a process from ``/proc/<pid>/status`` in MiB.

    ``VmHWM`` is the peak resident set size ("high water mark"); ``VmRSS`` the current one.
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"{field} not found for process {pid}")


def cpu_seconds(pid: int | str = "self") -> float:
    """Return the CPU time (user + system) a process has used so far, in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the command name, which is in parentheses and may hold spaces.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")

"""The memory-bandwidth floors of the scoring step.

Scoring a query by scanning rows multiplies each of the five part matrices (needs,
offers, fields, programs, description; CSR, float32) by one dense query column, reading
the whole matrix once (values, column indices, row pointers): no row scan can beat
``bytes read / memory bandwidth`` on one core. An index of posting lists (the matrices
transposed) need only read the lists of the asker's own terms, one value and one row
index per entry: its floor is those bytes over the same bandwidth. The bandwidth is
measured the same way as the scan reads: one core summing a large float32 array.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from bench.anatomy import PRODUCTS

__all__ = ["PostingCounter", "memory_bandwidth_gbps", "scoring_bytes"]


def memory_bandwidth_gbps(gib: float = 1.0, repeats: int = 5) -> float:
    """Return the best of ``repeats`` single-core read speeds over ``gib`` GiB, in GB/s."""
    array = np.ones(int(gib * 2**30) // 4, dtype=np.float32)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        array.sum()
        best = min(best, time.perf_counter() - started)
    return array.nbytes / best / 1e9


def scoring_bytes(parts: Mapping[str, Any]) -> dict[str, int]:
    """Return the bytes each part matrix's sparse product must read per query."""
    return {
        name: int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes) for name, m in parts.items()
    }


class PostingCounter:
    """Count the posting-list entries an asker's terms reach in the stored part matrices."""

    def __init__(self, parts: Mapping[str, Any]) -> None:
        self._lengths = {
            name: np.bincount(np.asarray(m.indices), minlength=m.shape[1])
            for name, m in parts.items()
        }
        self._entry_bytes = {
            name: int(m.data.itemsize + m.indices.itemsize) for name, m in parts.items()
        }

    def bytes(self, asked: Mapping[str, Any]) -> int:
        """Return the bytes of the posting lists a query with these part vectors reads."""
        total = 0
        for stored, part in PRODUCTS:
            columns = np.asarray(asked[part].indices)
            total += int(self._lengths[stored][columns].sum()) * self._entry_bytes[stored]
        return total

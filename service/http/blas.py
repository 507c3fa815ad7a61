"""A serving process does its matrix products on one BLAS thread.

NumPy's wheels bring OpenBLAS, which starts a thread per core and, after each product,
keeps them spinning for a while in wait of the next one. A match request does one dense
product (the reasons' phrase cosines): at 1,000 profiles the spinning thread then cost
1.3 ms of CPU a request, a quarter of the whole request, on the core that the other worker
needs (docs/benchmark.md). Workers are one per core already, and the products are small:
more threads only spin.
"""

from __future__ import annotations

import os

from threadpoolctl import threadpool_info, threadpool_limits

__all__ = ["blas_threads", "one_blas_thread"]


def one_blas_thread() -> None:
    """Limit every BLAS library of this process to one thread, and of those it starts.

    Kept by the processes it forks (the workers).
    """
    # Read when an OpenBLAS loads: SciPy's own, loaded by the first pairing, and that of
    # every process started from this one (the refit).
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    threadpool_limits(limits=1, user_api="blas")  # those loaded already (NumPy's)


def blas_threads() -> int:
    """The most threads a BLAS library loaded in this process may use (0: none loaded)."""
    pools = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max((int(pool["num_threads"]) for pool in pools), default=0)

"""One BLAS thread per serving process (service.http.blas), checked in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

_CHECK = """
import json, os
import numpy
from service.http.blas import blas_threads, one_blas_thread
before = blas_threads()
one_blas_thread()
after = blas_threads()
import scipy.linalg  # SciPy's own OpenBLAS, loaded after the limit
from threadpoolctl import threadpool_info
print(json.dumps({
    "before": before,
    "after": after,
    "libraries": [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"],
    "inherited": os.environ.get("OPENBLAS_NUM_THREADS"),
}))
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: BLAS starts one thread anyway")
def test_every_blas_library_loaded_before_or_after_keeps_to_one_thread() -> None:
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", _CHECK], env=env, capture_output=True, text=True, check=True
    )
    seen = json.loads(done.stdout)
    assert seen["before"] > 1  # NumPy's OpenBLAS starts a thread per core
    assert seen["after"] == 1
    assert len(seen["libraries"]) == 2
    assert set(seen["libraries"]) == {1}
    assert seen["inherited"] == "1"  # for the processes it starts (the refit)

"""Which code was measured: the commit, uncommitted changes, a digest of the ranking code.

Engineers change the ranker between runs (and sometimes during one), so every size
records a digest of the ``matching`` sources it ranked with; two results compare only
when their digests agree.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["ROOT", "code_identity", "matching_digest"]

ROOT = Path(__file__).resolve().parent.parent


def matching_digest() -> str:
    """Return a short digest of the ``matching`` modules the ranker loads, as on disk now.

    Modules of ``matching`` the ranker does not import (evaluation, pairing...) do not
    count, so changing them does not make two results look incomparable.
    """
    import matching.ranker  # noqa: F401  (loads every module ranking depends on)

    digest = hashlib.sha256()
    for name in sorted(n for n in sys.modules if n == "matching" or n.startswith("matching.")):
        source = getattr(sys.modules[name], "__file__", None)
        if source:
            digest.update(name.encode())
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:12]


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


def code_identity() -> dict[str, Any]:
    """Return the commit, the uncommitted files of ``matching/`` and ``service/``, the digest."""
    changed = [line[3:] for line in _git("status", "--porcelain").splitlines()]
    return {
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted": [p for p in changed if p.startswith(("matching/", "service/"))],
        "matching_digest": matching_digest(),
    }

from __future__ import annotations

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import matching

FORBIDDEN = ("service", "seed", "fastapi", "sqlmodel", "sqlalchemy", "httpx", "starlette")
MODULES = sorted(info.name for info in pkgutil.walk_packages(matching.__path__, prefix="matching."))
# What the service imports: the ranking library, without evaluation or synthetic data.
SERVED = ("matching", "matching.pairing", "matching.schedule")


def _imported(module: str) -> set[str]:
    spec = importlib.util.find_spec(module)
    assert spec is not None
    assert spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_every_module_is_walked() -> None:
    assert {"matching.ranker", "matching.pairing.solver", "matching.evaluation.harness"} <= set(
        MODULES
    )


@pytest.mark.parametrize("module", MODULES)
def test_no_module_imports_web_or_database_code(module: str) -> None:
    leaked = sorted(n for n in _imported(module) if n.split(".")[0] in FORBIDDEN)
    assert leaked == []


def test_what_the_service_imports_loads_no_web_database_or_evaluation_code() -> None:
    code = f"import json, sys; import {', '.join(SERVED)}; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.check_output([sys.executable, "-c", code], text=True))
    leaked = [name for name in loaded if name.split(".")[0] in FORBIDDEN]
    assert leaked == []
    assert not [name for name in loaded if name.startswith("matching.evaluation")]
    # Imported where a vocabulary is learned or a solver runs, not by a serving start
    # (most of a second of every worker's start, for constants and unused solvers).
    assert not [name for name in loaded if name.split(".")[0] == "sklearn"]
    assert "scipy.optimize" not in loaded
    assert "scipy.stats" not in loaded

"""The tvet-match command line, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "service.cli"]


def test_evaluate_prints_the_comparison_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run(
        [*CLI, "evaluate", "generated", "--resamples", "50", "--json", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "whole-profile TF-IDF" in result.stdout
    assert "concentration" in result.stdout
    report = json.loads(out.read_text())
    by_name = {ranker["name"]: ranker for ranker in report["rankers"]}
    ours = by_name["reciprocal"]["metrics"]
    plain = by_name["whole-profile TF-IDF"]["metrics"]
    assert ours["MRR@10"]["value"] > plain["MRR@10"]["value"]
    assert ours["recall@10"]["value"] > plain["recall@10"]["value"]


def test_evaluate_refuses_an_unknown_dataset() -> None:
    result = subprocess.run([*CLI, "evaluate", "nonesuch"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "neither a file nor a shipped dataset" in result.stderr

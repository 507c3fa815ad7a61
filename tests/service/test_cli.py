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


def _serve_without_admin_token(data_dir: Path) -> subprocess.CompletedProcess[str]:
    from tests.service.http.test_http import free_port
    from tests.support.server import server_env

    env = server_env(data_dir=data_dir, database_url=None)
    del env["TVETMATCH_ADMIN_TOKEN"]
    env["TVETMATCH_SEED_ON_EMPTY"] = "false"
    port = str(free_port())
    return subprocess.run(
        [*CLI, "serve", "--port", port], env=env, capture_output=True, text=True, timeout=120
    )


def test_an_empty_admin_token_file_stops_the_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "admin-token").write_text("  \n")
    result = _serve_without_admin_token(data_dir)
    assert result.returncode != 0
    assert f"the admin token file {data_dir / 'admin-token'} is empty" in result.stderr


def test_an_unreadable_admin_token_file_stops_the_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "admin-token").mkdir(parents=True)  # a folder: reading it fails, even as root
    result = _serve_without_admin_token(data_dir)
    assert result.returncode != 0
    assert f"cannot read the admin token file {data_dir / 'admin-token'}" in result.stderr


def test_reindex_publishes_a_generation_that_a_second_run_replaces(tmp_path: Path) -> None:
    from tests.support.server import server_env

    env = server_env(data_dir=tmp_path, database_url=None)
    subprocess.run([*CLI, "seed"], env=env, check=True, capture_output=True, timeout=120)
    runs = [
        subprocess.run([*CLI, "reindex"], env=env, capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    assert [run.returncode for run in runs] == [0, 0]
    index = tmp_path / "index"
    assert f"{index / 'gen-000002'} is current" in runs[1].stdout
    assert (index / "CURRENT").read_text() == "gen-000002\n"
    # Nobody maps the first generation: the second run removed it.
    assert sorted(p.name for p in index.glob("gen-*")) == ["gen-000002"]

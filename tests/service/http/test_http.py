"""The README's run command, for real: `tvet-match serve` under uvicorn on loopback."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.http

CLI = shutil.which("tvet-match", path=str(Path(sys.executable).parent)) or "tvet-match"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_command(
    port: int, *, workers: int = 1, log_level: str = "warning", cli: str = CLI
) -> list[str]:
    """The ``tvet-match serve`` command line on loopback (one process unless asked)."""
    options = ("--workers", str(workers), "--log-level", log_level)
    return [cli, "serve", *options, "--host", "127.0.0.1", "--port", str(port)]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def server(data_dir: Path, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "TVETMATCH_DATA_DIR": str(data_dir)}
    env.pop("TVETMATCH_DATABASE_URL", None)
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            serve_command(port),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                output = log_path.read_text()
                pytest.fail(f"server exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_answers_the_seeded_demo_over_http(server: str) -> None:
    with httpx.Client(base_url=f"{server}/api/v1", timeout=10) as api:
        listing = api.get("/institutions", params={"q": "NPIC"}).json()
        assert api.get("/institutions").json()["total"] >= 50
        (npic,) = [i for i in listing["items"] if "(NPIC)" in i["name"]]
        before = api.get(f"/institutions/{npic['id']}/matches").json()["items"]
        assert before
        assert all(i["institution"]["country"] != "KH" for i in before)
        assert all(i["reasons"] for i in before)

        newcomer = {
            "name": "Guilin Demo Robotics Teachers College",
            "country": "CN",
            "kind": "college",
            "fields": ["AI and mobile robotics"],
            "needs": ["Cambodian partner for skills competition exchanges"],
            "offers": ["teacher training in AI and mobile robotics", "practical training base"],
        }
        created = api.post("/institutions", json=newcomer)
        assert created.status_code == 201
        after = api.get(f"/institutions/{npic['id']}/matches").json()["items"]
        assert after[0]["institution"]["id"] == created.json()["id"]

        problem = api.post("/institutions", json={**newcomer, "country": "XX"})
        assert problem.status_code == 422
        assert problem.headers["content-type"] == "application/problem+json"
        schema = httpx.get(f"{server}/openapi.json").json()
        assert "/api/v1/institutions/{institution_id}/matches" in schema["paths"]
    # What the start left is frozen out of the collector's passes (service.http.long_lived).
    metrics = httpx.get(f"{server}/metrics").text
    assert frozen_objects(metrics) > 10_000
    assert blas_threads(metrics) == 1  # service.http.blas


def _process_gauge(metrics: str, name: str) -> float:
    """The answering process's value of the pid-labelled gauge ``name``, from ``/metrics``."""
    found = re.search(rf'^{name}\{{pid="\d+"\}} (\S+)$', metrics, re.M)
    assert found is not None, f"no {name} reported"
    return float(found.group(1))


def frozen_objects(metrics: str) -> float:
    """The objects the answering process froze once started, from its ``/metrics``."""
    assert re.search(r'^python_gc_collections_total\{generation="2"\} ', metrics, re.M)
    return _process_gauge(metrics, "tvetmatch_gc_frozen_objects")


def blas_threads(metrics: str) -> float:
    """The threads the answering process's BLAS may use, from its ``/metrics``."""
    return _process_gauge(metrics, "tvetmatch_blas_threads")


def test_seed_command_is_idempotent(data_dir: Path) -> None:
    env = {**os.environ, "TVETMATCH_DATA_DIR": str(data_dir)}
    env.pop("TVETMATCH_DATABASE_URL", None)
    first = subprocess.run([CLI, "seed"], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([CLI, "seed"], env=env, capture_output=True, text=True, check=True)
    created_first = int(first.stdout.split()[1])
    assert created_first >= 50
    assert second.stdout.startswith(f"seed: 0 institutions created, {created_first} already")


def test_organiser_commands_import_pair_and_export(
    server: str, data_dir: Path, tmp_path: Path
) -> None:
    admin = (data_dir / "admin-token").read_text().strip()
    headers = {"Authorization": f"Bearer {admin}"}
    workshop = {
        "name": "CLI workshop",
        "starts_on": "2026-05-12",
        "ends_on": "2026-05-13",
        "time_zone": "Asia/Phnom_Penh",
    }
    workshop_id = httpx.post(f"{server}/api/v1/workshops", json=workshop, headers=headers).json()[
        "id"
    ]
    key = httpx.post(
        f"{server}/api/v1/keys",
        json={"label": "cli", "role": "organiser", "workshops": [workshop_id]},
        headers=headers,
    ).json()["key"]
    sample = Path(__file__).resolve().parents[3] / "seed" / "survey_sample.csv"
    common = ["--workshop", str(workshop_id), "--url", server, "--key", key]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([CLI, *args, *common], capture_output=True, text=True, timeout=120)

    dry = cli("import", str(sample), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: 28 to create" in dry.stdout
    real = cli("import", str(sample))
    assert "imported: 28 created" in real.stdout, real.stderr
    pair = cli("pair", "--max-partners", "2", "--china-with-asean-only")
    assert pair.returncode == 0, pair.stderr
    assert "run 1:" in pair.stdout
    out = tmp_path / "pairs.csv"
    export = cli("export", "--run", "1", "--output", str(out))
    assert export.returncode == 0, export.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbfa_id,a_name")
    refused = cli("export", "--run", "1", "--format", "ics")
    assert refused.returncode == 1
    assert "no schedule yet" in refused.stderr

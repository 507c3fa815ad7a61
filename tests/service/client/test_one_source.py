"""Both clients come from one description of each operation: same methods, no copied code."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from service.client import AsyncTvetMatchClient, TvetMatchClient
from service.client.methods import Operation, Pages
from service.client.operations import Operations

ROOT = Path(__file__).resolve().parents[3]
CLIENT = ROOT / "service" / "client"
# Every operationId the service documents, with its method and path (one a line).
OPERATION_IDS = ROOT / "tests" / "service" / "http" / "operation_ids.txt"
OPERATIONS = sorted(
    name for name, member in inspect.getmembers(Operations) if isinstance(member, Operation)
)
PAGES = sorted(name for name, member in inspect.getmembers(Operations) if isinstance(member, Pages))
# How an asyncio line is spelled blocking (as unasync rewrites it, e.g. for httpcore): two
# lines equal after this are one line written twice.
ASYNC_SPELLINGS = [
    (r"\basync |\bawait ", ""),
    (r"\bAsync(?=[A-Z])", ""),
    (r"\baclose\b", "close"),
    (r"__a(enter|exit|iter|next)__", r"__\1__"),
    (r"Coroutine\[Any, Any, (\w+)\]", r"\1"),
]


def test_every_operation_is_a_method_of_both_clients_with_its_docstring() -> None:
    one_of_each_domain = {"read_matches", "revoke_key", "run_pairing", "express_interest"}
    assert one_of_each_domain | {"list_alerts", "list_deliveries"} <= set(OPERATIONS)
    assert PAGES == [
        "iter_alerts",
        "iter_claims",
        "iter_deliveries",
        "iter_institutions",
        "iter_interest",
        "iter_invitations",
        "iter_keys",
        "iter_meeting_requests",
        "iter_opportunities",
        "iter_pairings",
        "iter_participants",
        "iter_saved_searches",
    ]
    blocking = TvetMatchClient("http://127.0.0.1:9")
    asyncio_ = AsyncTvetMatchClient("http://127.0.0.1:9")
    for name in OPERATIONS + PAGES:
        sync_method = getattr(blocking, name)
        async_method = getattr(asyncio_, name)
        assert sync_method.__name__ == async_method.__name__ == name
        assert sync_method.__doc__ == async_method.__doc__
        assert sync_method.__doc__, name
        parameters = inspect.signature(sync_method).parameters
        assert "self" not in parameters
        assert parameters == inspect.signature(async_method).parameters
    for name in OPERATIONS:
        described = getattr(Operations, name).build
        assert getattr(blocking, name).__doc__ == described.__doc__
        assert not inspect.iscoroutinefunction(getattr(blocking, name))
        assert inspect.iscoroutinefunction(getattr(asyncio_, name))
    for name in PAGES:
        assert inspect.isgeneratorfunction(getattr(blocking, name))
        assert inspect.isasyncgenfunction(getattr(asyncio_, name))
    blocking.close()


def test_every_operation_of_the_service_is_a_client_method() -> None:
    # docs/api.md promises one method per operation, named for its operationId.
    lines = OPERATION_IDS.read_text().splitlines()
    served = {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}
    assert {"create_meeting_request", "approve_claim", "readiness"} <= served
    assert sorted(served - set(OPERATIONS)) == []


def normalised_lines(path: Path) -> list[str]:
    """The module's non-blank lines, stripped, with async spellings made blocking."""
    lines = []
    for line in path.read_text().splitlines():
        text = line.strip()
        for pattern, replacement in ASYNC_SPELLINGS:
            text = re.sub(pattern, replacement, text)
        if text:
            lines.append(text)
    return lines


def longest_shared_run(first: list[str], second: list[str]) -> int:
    """The length of the longest run of consecutive lines found in both."""
    longest = 0
    for i in range(len(first)):
        for j in range(len(second)):
            run = 0
            while i + run < len(first) and j + run < len(second):
                if first[i + run] != second[j + run]:
                    break
                run += 1
            longest = max(longest, run)
    return longest


def test_the_sync_and_async_clients_share_no_run_of_six_lines() -> None:
    sync = normalised_lines(CLIENT / "sync.py")
    aio = normalised_lines(CLIENT / "aio.py")
    assert longest_shared_run(sync, aio) < 6


@pytest.mark.parametrize(
    ("first", "second", "run"),
    [(["a", "b", "c"], ["x", "b", "c", "y"], 2), (["a"], ["b"], 0), (["a", "a"], ["a"], 1)],
)
def test_the_shared_run_is_measured_as_stated(
    first: list[str], second: list[str], run: int
) -> None:
    assert longest_shared_run(first, second) == run


def test_an_async_line_reads_as_its_blocking_twin(tmp_path: Path) -> None:
    module = tmp_path / "aio.py"
    module.write_text("    async def aclose(self) -> None:\n\n        await self._http.aclose()\n")
    assert normalised_lines(module) == ["def close(self) -> None:", "self._http.close()"]


def test_no_client_module_passes_400_lines() -> None:
    sizes = {
        str(path.relative_to(CLIENT)): len(path.read_text().splitlines())
        for path in CLIENT.rglob("*.py")
    }
    assert "operations/workshops.py" in sizes
    assert {path: size for path, size in sizes.items() if size > 400} == {}

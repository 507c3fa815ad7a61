"""Print the figures of every size side by side, with the issue's goals beside them."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["GOALS", "table"]

Result = Mapping[str, Any]

# The goals of the "Speed at scale" issue, stated beside the figures, never asserted.
GOALS = {
    "fit": "<= 30 s at 100k",
    "median": "<= 10 ms at 100k, <= 100 ms at 1M",
    "over_floor": "<= 3x at 100k",
    "naive": ">= 100x at 10k",
    "rss": "<= 1.5 GiB at 100k, <= 8 GiB at 1M",
    "http_one": "p99 <= 25 ms at 100k",
    "http_many": ">= 150 req/s at 100k",
    "visible": "<= 50 ms at 100k",
}


def _get(result: Result, *path: str) -> Any:
    value: Any = result
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def _number(digits: int, scale: float = 1.0) -> Callable[[Any], str]:
    def show(value: Any) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "-"
        return f"{value * scale:,.{digits}f}"

    return show


def _pair(first: Any, second: Any) -> str:
    if first is None or second is None:
        return "-"
    return f"{first:,.1f} / {second:,.1f}"


def _skipped(result: Result, section: str) -> str | None:
    reason = _get(result, section, "skipped")
    return "skipped" if reason else None


Row = tuple[str, Callable[[Result], str], str]


def _value(*path: str, digits: int = 1, scale: float = 1.0) -> Callable[[Result], str]:
    show = _number(digits, scale)

    def cell(result: Result) -> str:
        if path[0] in ("http", "naive"):
            skipped = _skipped(result, path[0])
            if skipped:
                return skipped
        return show(_get(result, *path))

    return cell


def _latency_pair(section: str) -> Callable[[Result], str]:
    def cell(result: Result) -> str:
        return _skipped(result, "http") or _pair(
            _get(result, "http", section, "p50_ms"), _get(result, "http", section, "p99_ms")
        )

    return cell


def _exact(result: Result) -> str:
    check = _get(result, "exact")
    if not check:
        return "-"
    text = f"{check['identical']}/{check['checked']}"
    if check["within_rounding"]:
        text += f" (+{check['within_rounding']} rounding)"
    return text


def _scoring_mb(result: Result) -> str:
    parts = _get(result, "scoring_bytes")
    return "-" if not parts else f"{sum(parts.values()) / 1e6:,.1f}"


def _cpu_pair(result: Result) -> str:
    return _skipped(result, "http") or _pair(
        _get(result, "http", "one_client", "server_cpu_ms_per_request"),
        _get(result, "http", "concurrent", "server_cpu_ms_per_request"),
    )


def _gc(result: Result) -> str:
    pauses = _get(result, "gc_during_queries")
    if not pauses:
        return "-"
    return f"{pauses['collections']['2']} / {pauses['total_ms']:,.0f}"


def _http_errors(result: Result) -> str:
    skipped = _skipped(result, "http")
    if skipped:
        return skipped
    one = _get(result, "http", "one_client", "errors")
    many = _get(result, "http", "concurrent", "errors")
    return "-" if one is None or many is None else f"{one} / {many}"


ROWS: Sequence[Row] = (
    ("profiles generated (s)", _value("generate_s"), ""),
    ("index build, fit (s)", _value("fit_s"), GOALS["fit"]),
    ("vocabulary (terms)", _value("vocabulary", digits=0), ""),
    ("top-10 median (ms)", _value("rank", "median_ms", digits=2), GOALS["median"]),
    ("top-10 p99 (ms)", _value("rank", "p99_ms", digits=2), ""),
    ("  GC during them: full / ms", _gc, ""),
    ("top-10 median, no reasons (ms)", _value("rank_without_reasons", "median_ms", digits=2), ""),
    ("  same queries, stages timed (ms)", _value("breakdown", "total_ms", digits=2), ""),
    ("  transform query (ms)", _value("breakdown", "transform_ms", digits=2), ""),
    ("  similarities (ms)", _value("breakdown", "similarities_ms", digits=2), ""),
    ("  explain, reasons (ms)", _value("breakdown", "explain_ms", digits=2), ""),
    ("  fuse, filter, top-k (ms)", _value("breakdown", "rest_ms", digits=2), ""),
    ("5 row-scan products alone (ms)", _value("breakdown", "products_ms", digits=2), ""),
    ("row-scan bytes per query (MB)", _scoring_mb, ""),
    ("bandwidth floor, row scan (ms)", _value("floor_ms", digits=2), ""),
    ("top-10 median / floor (x)", _value("median_over_floor"), GOALS["over_floor"]),
    ("products alone / floor (x)", _value("products_over_floor"), ""),
    ("posting-list bytes per query (MB)", _value("posting_bytes_median", digits=2, scale=1e-6), ""),
    ("bandwidth floor, posting lists (ms)", _value("posting_floor_ms", digits=3), ""),
    ("similarities / posting floor (x)", _value("similarities_over_posting_floor"), ""),
    ("naive refit median (ms)", _value("naive", "median_ms", digits=0), ""),
    ("naive / real median (x)", _value("naive", "over_real", digits=0), GOALS["naive"]),
    ("top-10 identical to exact", _exact, "all"),
    ("RSS of the profiles alone (MiB)", _value("rss_profiles_mib", digits=0), ""),
    ("RSS after fit (MiB)", _value("rss_after_fit_mib", digits=0), ""),
    ("peak RSS, bench process (MiB)", _value("rss_inprocess_mib", digits=0), GOALS["rss"]),
    ("database build (s)", _value("http", "db_build_s"), ""),
    ("server startup to ready (s)", _value("http", "startup_s"), ""),
    ("server busy after ready (s)", _value("http", "busy_after_ready_s"), ""),
    ("server peak RSS (MiB)", _value("http", "server_peak_rss_mib", digits=0), GOALS["rss"]),
    ("HTTP 1 client (req/s)", _value("http", "one_client", "req_per_s", digits=0), ""),
    ("HTTP 1 client p50 / p99 (ms)", _latency_pair("one_client"), GOALS["http_one"]),
    (
        "HTTP 8 clients (req/s)",
        _value("http", "concurrent", "req_per_s", digits=0),
        GOALS["http_many"],
    ),
    ("HTTP 8 clients p50 / p99 (ms)", _latency_pair("concurrent"), ""),
    ("HTTP errors (1 / 8 clients)", _http_errors, "none"),
    ("server CPU per request, 1 / 8 (ms)", _cpu_pair, ""),
    (
        "write-to-visible median (ms)",
        _value("http", "write_to_visible", "visible_median_ms"),
        GOALS["visible"],
    ),
    ("wall time for this size (s)", _value("wall_s", digits=0), ""),
    ("ranking code digest", lambda r: str(r.get("matching_digest", "-")), "same in a row"),
)


def _size(n: int) -> str:
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{unit}"
    return str(n)


def table(results: Sequence[Result]) -> str:
    """Return the figures as a text table: one row per figure, one column per size."""
    header = ["", *(_size(int(r["n"])) for r in results), "goal"]
    rows = [header]
    for label, cell, goal in ROWS:
        rows.append([label, *(("error" if "error" in r else cell(r)) for r in results), goal])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [value.rjust(width) for value, width in zip(row[1:-1], widths[1:-1], strict=True)]
        cells.append(row[-1])
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)

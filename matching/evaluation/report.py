"""The evaluation report in words: plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

from matching.evaluation.harness import Report

__all__ = ["format_report"]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if i >= numeric_from else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return [line(header), *(line(row) for row in rows)]


def format_report(report: Report) -> str:
    """Return the report as plain-text tables: metrics, per-kind results, coverage."""
    queries = len(report.outcomes)
    askers = len({outcome.query for outcome in report.outcomes})
    lines = [
        f"dataset {report.dataset}: {report.profiles} profiles, {report.pairs} known pairs, "
        f"{queries} queries from {askers} askers ({report.split})",
        f"k={report.k}; 95% percentile bootstrap intervals over askers "
        f"({report.resamples} resamples, seed {report.seed}); MRR@{report.k} counts 0 "
        f"when the partner is not in the top {report.k}",
        "",
    ]
    metrics = list(report.rankers[0].metrics) if report.rankers else []
    # Where every ranker finds under a tenth of the partners, two decimals hide the ranking.
    top = max((e.value for s in report.rankers for e in s.metrics.values()), default=1.0)
    d = 3 if top < 0.1 else 2
    lines += _table(
        ["ranker", *metrics],
        [
            [
                scores.name,
                *(
                    f"{e.value:.{d}f} [{e.low:.{d}f}, {e.high:.{d}f}]"
                    for e in (scores.metrics[m] for m in metrics)
                ),
            ]
            for scores in report.rankers
        ],
        numeric_from=1,
    )
    kinds = sorted({row.kind for scores in report.rankers for row in scores.by_kind})
    cells = {
        (scores.name, row.kind): f"{row.recall:.{d}f} / {row.mrr:.{d}f}"
        for scores in report.rankers
        for row in scores.by_kind
    }
    counts = {row.kind: row.queries for scores in report.rankers for row in scores.by_kind}
    lines += ["", f"by kind of asker, recall@{report.k} / MRR@{report.k}", ""]
    lines += _table(
        ["kind", "queries", *(scores.name for scores in report.rankers)],
        [
            [kind, str(counts[kind]), *(cells[(s.name, kind)] for s in report.rankers)]
            for kind in kinds
        ],
        numeric_from=1,
    )
    lines += [
        "",
        f"exposure when every asker asks: coverage = distinct "
        f"institutions in anyone's top {report.k}; concentration = share of all top-{report.k} "
        "places taken by the most-shown tenth of institutions (lower spreads more)",
        "",
    ]
    lines += _table(
        ["ranker", "coverage", "share", "concentration"],
        [
            [
                scores.name,
                f"{scores.coverage} of {report.profiles}",
                f"{scores.coverage / max(report.profiles, 1):.0%}",
                f"{scores.concentration:.0%}",
            ]
            for scores in report.rankers
        ],
        numeric_from=1,
    )
    return "\n".join(lines) + "\n"

"""Measure match quality on datasets with known partnerships (not imported by the service).

:mod:`~matching.evaluation.datasets` reads the dataset format,
:mod:`~matching.evaluation.baselines` holds the compared rankers,
:mod:`~matching.evaluation.harness` runs the hold-out protocol and the bootstrap,
:mod:`~matching.evaluation.report` lays the result out as tables, and
:mod:`~matching.evaluation.synthetic` generates the synthetic sets.
"""

from matching.evaluation.baselines import (
    BM25Ranker,
    PartnersOfPartnersRanker,
    PopularityRanker,
    RandomRanker,
    Ranker,
    ReciprocalBaseline,
    WholeProfileRanker,
    default_rankers,
)
from matching.evaluation.datasets import Dataset, DatasetError, load_dataset, parse_dataset
from matching.evaluation.harness import (
    Estimate,
    KindScores,
    QueryOutcome,
    RankerScores,
    Report,
    evaluate,
)
from matching.evaluation.report import format_report

__all__ = [
    "BM25Ranker",
    "Dataset",
    "DatasetError",
    "Estimate",
    "KindScores",
    "PartnersOfPartnersRanker",
    "PopularityRanker",
    "QueryOutcome",
    "RandomRanker",
    "Ranker",
    "RankerScores",
    "ReciprocalBaseline",
    "Report",
    "WholeProfileRanker",
    "default_rankers",
    "evaluate",
    "format_report",
    "load_dataset",
    "parse_dataset",
]

"""Evaluation datasets for ``tvet-match evaluate``; see ``seed/eval/README.md``."""

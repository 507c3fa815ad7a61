"""Cells of exported CSV files made safe to open in a spreadsheet."""

from __future__ import annotations

# OWASP CSV injection: a spreadsheet evaluates a cell that starts with one of these.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Return ``value`` made inert for spreadsheets: prefix ``'`` if it could start a formula.

    Use on every text cell of a CSV export. Harmless values pass unchanged; a negative
    number such as ``-5`` is prefixed too, which OWASP accepts as the price of safety.
    """
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value

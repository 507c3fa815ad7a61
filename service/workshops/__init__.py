"""Workshops: participants, survey imports, pairing runs, timetables, outcomes and reports."""

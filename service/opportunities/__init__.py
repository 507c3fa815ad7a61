"""Opportunities (offers and calls an institution publishes) and expressions of interest."""

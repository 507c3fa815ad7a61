"""Claiming a profile the seed or an organiser's import created (no one holds its key)."""

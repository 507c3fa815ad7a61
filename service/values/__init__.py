"""Typed values shared by every domain: country and language codes, field checks, stored times."""

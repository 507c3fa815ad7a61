"""Tests of service.workshops."""

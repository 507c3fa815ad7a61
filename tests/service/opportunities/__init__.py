"""Tests of service.opportunities."""

"""Tests of service.auth."""

"""Tests of service.alerts."""

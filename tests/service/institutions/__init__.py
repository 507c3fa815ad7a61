"""Tests of service.institutions."""

"""The client leaves ``exposure`` out unless given, so the service decides it by the asker."""

from __future__ import annotations

from service.client.calls import body
from service.client.operations import Operations
from service.institutions.models import InstitutionCreate
from service.institutions.schemas import MatchRequest
from service.values.validation import Kind


def test_read_matches_sends_exposure_only_when_given() -> None:
    build = Operations.read_matches.build
    assert "exposure" not in (build(Operations(), 7).params or {})
    assert (build(Operations(), 7, exposure=0.0).params or {})["exposure"] == 0.0


def test_a_match_request_sends_exposure_only_when_given() -> None:
    profile = InstitutionCreate(name="Zulu", country="KH", kind=Kind.college)
    assert "exposure" not in body(MatchRequest(profile=profile))
    assert body(MatchRequest(profile=profile, exposure=0.0))["exposure"] == 0.0

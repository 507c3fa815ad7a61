"""The sync and async clients against a live server, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import codecs
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any, assert_type

import httpx
import pytest

from service.claims.schemas import ListedStatus
from service.client import ApiError, AsyncTvetMatchClient, RetryPolicy, TvetMatchClient
from service.institutions.models import InstitutionCreate, InstitutionPrivate, InstitutionPublic
from service.institutions.schemas import InstitutionCreated, InstitutionPage, MatchList
from service.meetings.models import MeetingStatus
from service.values.validation import Kind
from service.workshops.country_groups import CountryGroups
from service.workshops.import_schemas import ImportPlanPublic, ImportResult
from tests.service.client.conftest import SAMPLE_SURVEY
from tests.support.server import Server

pytestmark = pytest.mark.http


def newcomer(name: str) -> InstitutionCreate:
    return InstitutionCreate(
        name=name,
        country="CN",
        kind=Kind.college,
        fields=["AI and mobile robotics"],
        needs=["Cambodian partner for skills competition exchanges"],
        offers=["teacher training in AI and mobile robotics"],
    )


class LosesFirstAnswer(httpx.BaseTransport):
    """Real HTTP, except that the first answer is lost on its way back (the request was
    carried out): what a client sees when a connection drops after sending."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        response = self.inner.handle_request(request)
        if len(self.sent) == 1:
            response.read()
            response.close()
            raise httpx.ReadError("connection reset after the request was sent", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_the_sync_client_reads_the_seeded_demo(live: Server) -> None:
    with TvetMatchClient(live.url) as api:
        page = api.list_institutions(q="NPIC")
        npic = next(item for item in page.items if "(NPIC)" in item.name)
        assert api.read_institution(npic.id).name == npic.name
        matches = api.read_matches(npic.id, limit=5)
        assert 0 < len(matches.items) <= 5
        assert all(m.institution.country != "KH" for m in matches.items)
        assert all(m.reasons for m in matches.items)
        every = list(api.iter_institutions(limit=25))
        assert len(every) == api.list_institutions().total
        assert [item.id for item in every] == sorted(item.id for item in every)
        assert api.health().status == "ok"
        assert api.read_taxonomy().fields


def test_a_post_whose_answer_is_lost_is_retried_and_carried_out_once(
    live: Server, admin_token: str
) -> None:
    transport = LosesFirstAnswer()
    name = f"Retried College {uuid.uuid4().hex[:8]}"
    with TvetMatchClient(live.url, transport=transport) as api:
        created = api.create_institution(newcomer(name))
    first, second = transport.sent
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    with TvetMatchClient(live.url, key=admin_token) as admin:
        found = admin.list_institutions(q=name)
    assert [item.id for item in found.items] == [created.id]
    assert created.api_key.startswith("tvm_")


def test_refusals_raise_api_error_naming_the_fields(live: Server) -> None:
    with TvetMatchClient(live.url) as api:
        with pytest.raises(ApiError) as refused:
            api.create_institution({"name": "Nowhere College", "country": "XX", "kind": "college"})
        assert refused.value.status == 422
        assert refused.value.fields == ["country"]
        with pytest.raises(ApiError) as missing:
            api.read_institution(2_000_000)
        assert missing.value.status == 404
        with pytest.raises(ApiError) as bad_cursor:
            api.list_institutions(cursor="garbage")
        assert bad_cursor.value.fields == ["cursor"]


def test_a_stale_etag_gets_412_through_the_client(live: Server) -> None:
    with TvetMatchClient(live.url) as anonymous:
        created = anonymous.create_institution(newcomer(f"Tagged {uuid.uuid4().hex[:8]}"))
    with TvetMatchClient(live.url, key=created.api_key) as api:
        read = api.read_institution_tagged(created.id)
        assert isinstance(read.value, InstitutionPrivate)
        changed = api.update_institution(created.id, {"city": "Guilin"}, if_match=read.etag)
        assert changed.value.city == "Guilin"
        with pytest.raises(ApiError) as stale:
            api.update_institution(created.id, {"city": "Nanning"}, if_match=read.etag)
        assert stale.value.status == 412
        assert stale.value.etag == changed.etag
        api.delete_institution(created.id, if_match=changed.etag)
        with pytest.raises(ApiError):
            api.read_institution(created.id)


def test_the_async_client_does_the_same_over_asyncio(live: Server) -> None:
    async def scenario() -> dict[str, Any]:
        async with AsyncTvetMatchClient(live.url) as api:
            page = await api.list_institutions(q="NPIC")
            npic = next(item for item in page.items if "(NPIC)" in item.name)
            matches, profile = await asyncio.gather(
                api.read_matches(npic.id, limit=3), api.read_institution(npic.id)
            )
            ids = [item.id async for item in api.iter_institutions(limit=30)]
            created = await api.create_institution(newcomer(f"Async {uuid.uuid4().hex[:8]}"))
            with pytest.raises(ApiError) as refused:
                await api.create_institution({"name": "", "country": "CN", "kind": "college"})
            total = (await api.list_institutions(limit=1)).total
            return {
                "matches": len(matches.items),
                "name": profile.name,
                "ids": ids,
                "created": created.id,
                "refused": refused.value.fields,
                "total": total,
            }

    seen = asyncio.run(scenario())
    assert seen["matches"] == 3
    assert "NPIC" in seen["name"]
    assert seen["created"] not in seen["ids"]
    assert len(seen["ids"]) == seen["total"] - 1
    assert seen["refused"] == ["name"]


def test_an_organiser_runs_a_workshop_through_the_client(live: Server, admin_token: str) -> None:
    survey = SAMPLE_SURVEY.read_bytes()
    with TvetMatchClient(live.url, key=admin_token) as admin:
        workshop = admin.create_workshop(
            {
                "name": f"Client workshop {uuid.uuid4().hex[:6]}",
                "starts_on": "2026-05-12",
                "ends_on": "2026-05-13",
                "venue": "Phnom Penh",
                "time_zone": "Asia/Phnom_Penh",
            }
        )
        organiser = admin.create_key("client organisers", "organiser", [workshop.id])
    with TvetMatchClient(live.url, key=organiser.key) as api:
        plan = api.import_survey(workshop.id, survey, dry_run=True)
        assert isinstance(plan, ImportPlanPublic)
        assert not plan.rejected
        result = api.import_survey(workshop.id, survey)
        assert isinstance(result, ImportResult)
        assert result.participants == len(plan.create) + len(plan.update) + len(plan.unchanged)
        participants = list(api.iter_participants(workshop.id, limit=10))
        assert len(participants) == result.participants

        run = api.run_pairing(workshop.id, {"max_partners": 2, "china_with_asean_only": True})
        assert run.pairs
        assert all({"CN"} & {pair.a.country, pair.b.country} for pair in run.pairs)
        again = api.run_pairing(workshop.id, {"max_partners": 1})
        assert [r.number for r in api.iter_pairings(workshop.id, limit=1)] == [1, 2]
        assert api.diff_pairings(workshop.id, again.number, run.number).run == again.number

        schedule = api.make_schedule(workshop.id, run.number, {"starts_at": "2026-05-13T14:00"})
        assert len(schedule.meetings) == len(run.pairs)
        assert api.read_schedule(workshop.id, run.number) == schedule
        ics = api.export_pairing(workshop.id, run.number, "ics")
        assert ics.startswith(b"BEGIN:VCALENDAR")
        pairs_csv = api.export_pairing(workshop.id, run.number, "pairs").decode()
        assert len(pairs_csv.strip().splitlines()) == len(run.pairs) + 1

        first = run.pairs[0]
        outcome = api.record_outcome(
            workshop.id,
            {"pair": [first.a.id, first.b.id], "status": "mou_signed", "run": run.number},
        )
        assert outcome.status == "mou_signed"
        assert api.list_outcomes(workshop.id) == [outcome]
        report = api.workshop_report(workshop.id, run.number)
        assert report.mous_signed == 1
        assert report.pairs_suggested == len(run.pairs)
        # The latest run (2) decides whose links are listed: everyone it paired.
        links = api.list_report_links(workshop.id)
        assert len(links) == 2 * len(again.pairs)
        assert all("/web/report/" in item.link and item.answered == 0 for item in links)
        assert api.list_invitations(workshop.id).total == 0
    # This server sends no mail: an invitation is refused with 503 (not worth a retry here).
    with TvetMatchClient(live.url, key=organiser.key, retry=RetryPolicy(retries=0)) as once:
        with pytest.raises(ApiError) as unmailed:
            once.invite_institution(workshop.id, {"email": "x@example.org"}, language="zh")
        assert unmailed.value.status == 503
        assert once.list_invitations(workshop.id).items == []
    with TvetMatchClient(live.url, key=organiser.key) as api:
        tagged = api.read_workshop_tagged(workshop.id)
        moved = api.update_workshop(workshop.id, {"venue": "Siem Reap"}, if_match=tagged.etag)
        assert moved.value.venue == "Siem Reap"
        assert moved.etag != tagged.etag
        answers = api.list_survey_answers(workshop.id)
        assert answers
        exported = api.export_survey_answers(workshop.id)
        assert exported.startswith(codecs.BOM_UTF8)
        assert all(answer.name in exported.decode("utf-8-sig") for answer in answers)
        forbidden = [first.a.id, first.b.id]
        adjusted = api.adjust_pairing(
            workshop.id, run.number, {"action": "forbid", "pair": forbidden}
        )
        assert adjusted.number == again.number + 1
        assert sorted(forbidden) not in [sorted([p.a.id, p.b.id]) for p in adjusted.pairs]


def with_contact(client: TvetMatchClient, name: str, email: str) -> InstitutionCreated:
    profile = newcomer(name).model_dump(exclude_unset=True)
    return client.create_institution({**profile, "contact_email": email})


def test_two_institutions_meet_through_their_clients(live: Server) -> None:
    suffix = uuid.uuid4().hex[:6]
    with TvetMatchClient(live.url) as anonymous:
        a = with_contact(anonymous, f"Asking College {suffix}", "a@asking.example.org")
        b = with_contact(anonymous, f"Asked Centre {suffix}", "b@asked.example.org")
    with TvetMatchClient(live.url, key=a.api_key) as asker:
        sent = asker.create_meeting_request({"to_institution_id": b.id, "message": "Meet?"})
        assert sent.status == MeetingStatus.requested
        assert sent.to_institution.contact_email is None
        assert [item.id for item in asker.iter_meeting_requests(box="sent")] == [sent.id]
    with TvetMatchClient(live.url, key=b.api_key) as asked:
        received = asked.list_meeting_requests(status=MeetingStatus.requested)
        assert [item.id for item in received.items] == [sent.id]
        accepted = asked.accept_meeting_request(sent.id)
        assert accepted.status == MeetingStatus.accepted
        assert asked.read_meeting_request(sent.id).from_institution.contact_email == (
            "a@asking.example.org"
        )
        with pytest.raises(ApiError) as decided:
            asked.decline_meeting_request(sent.id, reason="too late")
        assert decided.value.status == 409
    with TvetMatchClient(live.url, key=a.api_key) as asker:
        seen = asker.read_meeting_request(sent.id)
        assert seen.contacts_revealed
        assert seen.to_institution.contact_email == "b@asked.example.org"
        issued = asker.rotate_institution_calendar(a.id)
        assert asker.read_institution_calendar(a.id).active
        assert issued.url.endswith(".ics")
        asker.revoke_institution_calendar(a.id)
        assert not asker.read_institution_calendar(a.id).active
        assert asker.list_proposals(a.id) == []


def test_claims_need_mail_and_admins_list_them(live: Server, admin_token: str) -> None:
    with TvetMatchClient(live.url, retry=RetryPolicy(retries=0)) as anyone:
        npic = anyone.list_institutions(q="NPIC").items[0]
        # This server sends no mail: the claimed address cannot be checked, so 503.
        with pytest.raises(ApiError) as unmailed:
            anyone.create_claim({"institution_id": npic.id, "email": "d@npic.example.org"})
        assert unmailed.value.status == 503
        assert anyone.liveness().status == "ok"
        assert anyone.readiness().status == "ready"
    with TvetMatchClient(live.url, key=admin_token) as admin:
        assert admin.list_claims(status=ListedStatus.pending).items == []
        assert list(admin.iter_claims()) == []
        with pytest.raises(ApiError) as unknown:
            admin.approve_claim(999_999)
        assert unknown.value.status == 404


def test_both_clients_list_the_served_country_groups(live: Server) -> None:
    with TvetMatchClient(live.url) as api:
        groups = api.list_country_groups()
    asean = next(group for group in groups.groups if group.name == "ASEAN")
    assert "TL" in asean.members

    async def scenario() -> CountryGroups:
        async with AsyncTvetMatchClient(live.url) as api:
            return await api.list_country_groups()

    assert asyncio.run(scenario()) == groups


def test_both_clients_answer_the_services_own_types(live: Server) -> None:
    # assert_type is checked by mypy (strict, on tests): a method typed loosely fails it.
    with TvetMatchClient(live.url) as api:
        page = assert_type(api.list_institutions(limit=2), InstitutionPage)
        first = page.items[0]
        assert_type(api.read_matches(first.id, limit=1), MatchList)
        assert_type(next(api.iter_institutions(limit=1)), InstitutionPublic)

    async def scenario() -> tuple[InstitutionPage, list[InstitutionPublic]]:
        async with AsyncTvetMatchClient(live.url) as api:
            read = assert_type(api.list_institutions(limit=2), Coroutine[Any, Any, InstitutionPage])
            walk = assert_type(api.iter_institutions(limit=1), AsyncIterator[InstitutionPublic])
            return await read, [item async for item in walk]

    again, every = asyncio.run(scenario())
    assert again == page
    assert [item.id for item in every][:2] == [item.id for item in page.items]


def test_the_blocking_client_runs_inside_a_running_event_loop(live: Server) -> None:
    """Its coroutines never suspend, so it needs no event loop and minds none running."""

    async def inside() -> str:
        with TvetMatchClient(live.url) as api:
            return api.health().status

    assert asyncio.run(inside()) == "ok"


def readme_example() -> str:
    """The README's Python client example, as written there."""
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    section = readme.split("### Python client", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_client_example_runs_as_written(live: Server) -> None:
    code = readme_example()
    assert len([line for line in code.splitlines() if line.strip()]) == 5
    env = {k: v for k, v in os.environ.items() if not k.startswith("TVETMATCH_")}
    env["TVETMATCH_URL"] = live.url
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    with TvetMatchClient(live.url) as api:
        npic = api.list_institutions(q="NPIC").items[0]
        expected = [
            f"{m.score:.2f} {m.institution.name} {m.reasons[0]}"
            for m in api.read_matches(npic.id, limit=3).items
        ]
    assert "(NPIC)" in npic.name
    assert run.stdout.splitlines() == expected

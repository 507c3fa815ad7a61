"""Opportunities, interest, saved searches and webhooks through the sync and async clients,
against a live server on loopback (one that lets webhooks post to loopback)."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.client import AsyncTvetMatchClient, TvetMatchClient
from service.client import operations as op
from service.client.methods import Operation
from service.institutions.models import InstitutionCreate
from service.opportunities.schemas import OpportunityCreate
from service.values.validation import Kind
from tests.conftest import fresh_postgres_database
from tests.support.forked import Forker
from tests.support.server import Server, load_seed, running_server, server_env

pytestmark = pytest.mark.http

OPERATION_IDS = Path(__file__).resolve().parents[1] / "http" / "operation_ids.txt"
HOOK_URL = "http://127.0.0.1:9/tvet-match-hook"  # loopback: refused unless allowed


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, forker: Forker
) -> Iterator[Server]:
    """One seeded server per database whose webhooks may post to loopback addresses."""
    database_url = None
    if request.param == "postgres":
        database_url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    folder = tmp_path_factory.mktemp(f"live-opportunities-{request.param}")
    env = server_env(data_dir=folder / "data", database_url=database_url)
    env["TVETMATCH_WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "true"
    load_seed(env, folder / "seed.log", forker=forker)
    with running_server(env, folder / "server.log", forker=forker) as server:
        yield server


def profile(name: str, country: str) -> InstitutionCreate:
    return InstitutionCreate(
        name=name,
        country=country,
        kind=Kind.college,
        fields=["AI and mobile robotics"],
        needs=["partner for internships in AI and mobile robotics"],
        offers=["teacher training in AI and mobile robotics"],
    )


def offer(title: str) -> OpportunityCreate:
    return OpportunityCreate.model_validate(
        {
            "type": "internships",
            "title": title,
            "text": "Six-month placements in AI and mobile robotics labs.",
            "fields": ["AI and mobile robotics"],
            "eligible_countries": ["KH"],
            "eligible_kinds": ["college"],
            "capacity": 4,
        }
    )


def test_every_operation_is_named_after_an_operation_id() -> None:
    ids = {line.split()[0] for line in OPERATION_IDS.read_text().splitlines() if line.strip()}
    names = {
        name
        for name, member in inspect.getmembers(op.Operations)
        if isinstance(member, Operation) and not name.startswith("_")
    }
    variants = {name for name in names if name.endswith("_tagged")}
    assert names - variants - ids == set()
    assert {name.removesuffix("_tagged") for name in variants} <= ids
    assert names <= set(dir(TvetMatchClient))
    assert names <= set(dir(AsyncTvetMatchClient))


def test_opportunities_searches_and_webhooks_through_the_sync_client(live: Server) -> None:
    tag = uuid.uuid4().hex[:8]
    with TvetMatchClient(live.url) as anonymous:
        owner = anonymous.create_institution(profile(f"Sync Owner {tag}", "CN"))
        taker = anonymous.create_institution(profile(f"Sync Taker {tag}", "KH"))

    title = f"Sync robotics internships {tag}"
    with TvetMatchClient(live.url, key=owner.api_key) as api:
        published = api.create_opportunity(offer(title))
        assert published.title == title
        assert published.institution.id == owner.id
        assert published.status == "open"
        assert api.read_opportunity(published.id) == published
        mine = api.list_opportunities(institution_id=owner.id)
        assert [item.id for item in mine.items] == [published.id]

    with TvetMatchClient(live.url, key=taker.api_key) as api:
        fits = api.opportunities_for(taker.id, limit=100)
        found = [item for item in fits.items if item.opportunity.id == published.id]
        assert len(found) == 1
        assert found[0].opportunity.title == title
        assert found[0].reasons
        interest = api.express_interest(published.id, {"note": f"We could send 2 ({tag})"})
        assert interest.opportunity_id == published.id
        assert interest.institution.id == taker.id

        search = api.create_saved_search(
            {"name": f"Sync search {tag}", "country": ["CN"], "field": "robotics"}
        )
        assert search.institution_id == taker.id
        searches = api.list_saved_searches()
        assert [item.id for item in searches.items] == [search.id]
        assert searches.items[0].name == f"Sync search {tag}"
        assert api.read_saved_search(search.id) == search

        hook = api.create_webhook(
            {"url": HOOK_URL, "events": ["opportunity.published"], "description": tag}
        )
        assert hook.secret
        hooks = api.list_webhooks()
        assert [(item.id, item.url, item.description) for item in hooks] == [
            (hook.id, HOOK_URL, tag)
        ]
        assert api.read_webhook(hook.id) == hooks[0]

    with TvetMatchClient(live.url, key=owner.api_key) as api:
        listed = api.list_interest(published.id)
        assert listed.total == 1
        assert [(item.id, item.institution.id, item.note) for item in listed.items] == [
            (interest.id, taker.id, f"We could send 2 ({tag})")
        ]


def test_opportunities_searches_and_webhooks_through_the_async_client(live: Server) -> None:
    tag = uuid.uuid4().hex[:8]
    title = f"Async robotics internships {tag}"

    async def scenario() -> dict[str, Any]:
        async with AsyncTvetMatchClient(live.url) as anonymous:
            owner, taker = await asyncio.gather(
                anonymous.create_institution(profile(f"Async Owner {tag}", "CN")),
                anonymous.create_institution(profile(f"Async Taker {tag}", "KH")),
            )
        async with AsyncTvetMatchClient(live.url, key=owner.api_key) as api:
            published = await api.create_opportunity(offer(title))
            read = await api.read_opportunity(published.id)
        async with AsyncTvetMatchClient(live.url, key=taker.api_key) as api:
            fits = await api.opportunities_for(taker.id, limit=100)
            interest = await api.express_interest(published.id, {"note": f"Async {tag}"})
            search = await api.create_saved_search({"name": f"Async search {tag}"})
            searches = await api.list_saved_searches()
            hook = await api.create_webhook({"url": HOOK_URL, "events": ["match.alert"]})
            hooks = await api.list_webhooks()
        async with AsyncTvetMatchClient(live.url, key=owner.api_key) as api:
            listed = await api.list_interest(published.id)
        return {
            "owner": owner.id,
            "taker": taker.id,
            "published": published,
            "read": read,
            "fits": [(item.opportunity.id, item.opportunity.title) for item in fits.items],
            "interest": interest,
            "search": search,
            "searches": [(item.id, item.name) for item in searches.items],
            "hook": hook,
            "hooks": [(item.id, item.url) for item in hooks],
            "listed": [(item.id, item.institution.id, item.note) for item in listed.items],
        }

    seen = asyncio.run(scenario())
    published = seen["published"]
    assert published.title == title
    assert published.institution.id == seen["owner"]
    assert seen["read"] == published
    assert (published.id, title) in seen["fits"]
    assert seen["interest"].opportunity_id == published.id
    assert seen["interest"].institution.id == seen["taker"]
    assert seen["search"].institution_id == seen["taker"]
    assert seen["searches"] == [(seen["search"].id, f"Async search {tag}")]
    assert seen["hook"].secret
    assert seen["hooks"] == [(seen["hook"].id, HOOK_URL)]
    assert seen["listed"] == [(seen["interest"].id, seen["taker"], f"Async {tag}")]

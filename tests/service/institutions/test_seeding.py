"""The demo seed: loaded on first start, idempotent, and sensible to query."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from seed import load_institutions
from service.config import Settings
from service.db import make_engine
from service.institutions import crud
from service.institutions.seeding import load_seed
from service.migrations.runner import upgrade
from tests.conftest import ClientFactory

API = "/api/v1"


def find(client: TestClient, text: str) -> dict[str, Any]:
    found_by_q = client.get(f"{API}/institutions", params={"q": text}).json()["items"]
    items = [item for item in found_by_q if text in item["name"]]
    assert len(items) == 1, [i["name"] for i in found_by_q]
    found: dict[str, Any] = items[0]
    return found


def test_load_seed_is_idempotent_and_resolves_partners(settings: Settings) -> None:
    engine = make_engine(settings)
    upgrade(engine)
    with Session(engine) as session:
        first = load_seed(session=session)
        session.commit()
        second = load_seed(session=session)
        session.commit()
        total = crud.count_institutions(session=session)
        npic = crud.get_by_name(
            session=session, name="National Polytechnic Institute of Cambodia (NPIC)", country="KH"
        )
        assert npic is not None
        assert npic.id is not None
        partners = crud.partners_of(session=session, institution_ids=[npic.id])[npic.id]
        partner_names = {row.name for row in crud.all_institutions(session=session, ids=partners)}
    engine.dispose()
    assert len(first.created) == len(load_institutions()) == total
    assert (second.created, second.already_present) == ([], total)
    assert "Yalong Group" in partner_names


def test_embedded_first_start_loads_the_seed_once(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    client = make_client(settings)
    total = client.get(f"{API}/institutions").json()["total"]
    assert total >= 50
    again = make_client(settings)
    assert again.get(f"{API}/institutions").json()["total"] == total
    assert (tmp_path / "data" / "tvet-match.sqlite3").is_file()


def test_npic_gets_foreign_partners_with_reasons(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    client = make_client(Settings(data_dir=tmp_path))
    npic = find(client, "National Polytechnic Institute of Cambodia")
    items = client.get(f"{API}/institutions/{npic['id']}/matches").json()["items"]
    assert len(items) == 10
    for item in items:
        assert item["institution"]["country"] != "KH"
        assert item["institution"]["id"] not in npic["existing_partners"]
        assert item["reasons"]
    # Robotics and teacher training are what NPIC asks for; a Chinese college offering
    # robotics teacher training belongs near the top.
    top = " ".join(" ".join(item["reasons"]) for item in items[:3]).lower()
    assert "robotic" in top
    assert "teacher training" in top


def test_chinese_only_complements_in_the_seed_rank_each_other_first(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    client = make_client(Settings(data_dir=tmp_path))
    college = find(client, "柳州智能制造")
    company = find(client, "西港中柬精密")
    first_for_college = client.get(f"{API}/institutions/{college['id']}/matches").json()
    first_for_company = client.get(f"{API}/institutions/{company['id']}/matches").json()
    assert first_for_college["items"][0]["institution"]["id"] == company["id"]
    assert first_for_company["items"][0]["institution"]["id"] == college["id"]


def test_a_new_complementary_profile_tops_npic_list_at_once(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    client = make_client(Settings(data_dir=tmp_path))
    npic = find(client, "National Polytechnic Institute of Cambodia")
    newcomer = {
        "name": "Liuzhou Demo Robotics Teachers College",
        "country": "CN",
        "kind": "college",
        "fields": ["AI and mobile robotics", "mechatronics and electrical automation"],
        "needs": ["Cambodian partner for skills competition exchanges"],
        "offers": ["teacher training in AI and mobile robotics", "practical training base"],
    }
    created = client.post(f"{API}/institutions", json=newcomer).json()
    items = client.get(f"{API}/institutions/{npic['id']}/matches").json()["items"]
    assert items[0]["institution"]["id"] == created["id"]

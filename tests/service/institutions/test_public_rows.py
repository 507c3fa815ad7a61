"""The public views a list of suggestions shows, read in one query: the same views
``to_public`` gives (and the same JSON), declared partners included, a private website
left out."""

from __future__ import annotations

import warnings

from sqlalchemy import Engine

from service.db import session_scope
from service.institutions import crud
from service.institutions.models import InstitutionCreate
from service.institutions.public_rows import public_profiles
from tests.support.statements import statements_sent


def _create(engine: Engine) -> list[int]:
    bodies: list[dict[str, object]] = [
        {
            "name": "Kampot Polytechnic",
            "country": "KH",
            "kind": "college",
            "website": "https://kampot.example.org/",
            "website_private": True,
            "needs": ["CNC teacher training"],
            "languages": ["km", "en"],
        },
        {
            "name": "Tianjin CNC Centre",
            "country": "CN",
            "kind": "organisation",
            "website": "https://tianjin.example.org/",
            "offers": ["CNC teacher training"],
        },
        {"name": "Vientiane Hotel School", "country": "LA", "kind": "college"},
    ]
    items = [InstitutionCreate.model_validate(body) for body in bodies]
    with session_scope(engine) as session:
        ids = [row.id for row in crud.create_institutions(session=session, items=items)]
        assert None not in ids
        kampot, tianjin, vientiane = (i for i in ids if i is not None)
        crud.add_partners(session=session, institution_id=kampot, partner_ids=[vientiane, tianjin])
        return [kampot, tianjin, vientiane]


def test_public_profiles_equal_to_public_of_each_row(engine: Engine) -> None:
    ids = _create(engine)
    with session_scope(engine) as session:
        expected = {}
        for pid in ids:
            row = crud.get_institution(session=session, institution_id=pid)
            assert row is not None
            partners = crud.partners_of(session=session, institution_ids=[pid])[pid]
            expected[pid] = crud.to_public(row, partners)
        found = public_profiles(session=session, ids=[*reversed(ids), 999_999])
    assert found == expected
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a value of another type than the field's warns
        for pid in ids:
            assert found[pid].model_dump_json() == expected[pid].model_dump_json()
            assert type(found[pid].kind) is type(expected[pid].kind)
            assert found[pid].created_at.utcoffset() is not None
    kampot, tianjin, vientiane = ids
    assert found[kampot].website is None
    assert found[kampot].existing_partners == sorted([tianjin, vientiane])
    assert found[tianjin].website == "https://tianjin.example.org/"
    assert found[vientiane].existing_partners == []


def test_public_profiles_is_one_query(engine: Engine) -> None:
    ids = _create(engine)
    with session_scope(engine) as session, statements_sent(engine) as statements:
        found = public_profiles(session=session, ids=ids)
    assert len(found) == 3
    assert len(statements) == 1, statements


def test_many_ids_are_read_in_chunks_of_every_size(engine: Engine) -> None:
    kampot, tianjin, vientiane = _create(engine)
    unknown = list(range(-1_000, 0))  # before the real ids: they end the last chunk
    with session_scope(engine) as session:
        for count in (1, 15, 16, 17, 64, 200, 899, 900, 901, 1_000):
            asked = [tianjin, *unknown[: count - 2], kampot] if count > 1 else [vientiane]
            found = public_profiles(session=session, ids=asked)
            assert set(found) == ({tianjin, kampot} if count > 1 else {vientiane}), count
            if count > 1:
                assert found[kampot].existing_partners == sorted([tianjin, vientiane])


def test_public_profiles_of_no_ids_is_empty(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert public_profiles(session=session, ids=[]) == {}

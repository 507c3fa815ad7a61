"""The organiser console, through the app (SQLite and PostgreSQL): who may open it, the
survey import, pairing rules, lock/forbid/swap, timetable, downloads, outcomes, report
and network."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.values.codes import COUNTRIES
from tests.conftest import bearer
from tests.web.conftest import API, create, create_workshop, csrf_token, sign_in, text_of

SEED = Path(__file__).resolve().parents[2] / "seed"
SAMPLE = (SEED / "survey_sample.csv").read_bytes()
MALFORMED = (SEED / "survey_malformed.csv").read_bytes()
RULES = {
    "max_partners": "1",
    "min_partners": "0",
    "min_score": "0",
    "fairness": "none",
    "cross_border_only": "on",
    "country_groups": "",
    "allowed_group_pairs": "",
    "forbidden": "",
    "locked": "",
    "max_partners_by_id": "",
}


@pytest.fixture
def organiser(web: TestClient) -> tuple[int, str]:
    """A workshop and its organiser key, signed in; a second workshop exists too."""
    workshop_id, key = create_workshop(web)
    create_workshop(web, name="Another workshop")
    assert sign_in(web, key).status_code == 303
    return workshop_id, key


def _import(web: TestClient, workshop_id: int, data: bytes = SAMPLE) -> None:
    console = web.get(f"/web/workshops/{workshop_id}")
    preview = web.post(
        f"/web/workshops/{workshop_id}/import",
        data={"csrf_token": csrf_token(console), "encoding": "utf-8"},
        files={"survey": ("survey.csv", data, "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    applied = web.post(
        f"/web/workshops/{workshop_id}/import/apply",
        data={
            "csrf_token": csrf_token(preview),
            "content": re.search(r'name="content" value="([^"]+)"', preview.text).group(1),  # type: ignore[union-attr]
            "encoding": "utf-8",
            "filename": "survey.csv",
        },
        follow_redirects=False,
    )
    assert applied.status_code == 303


def _run(web: TestClient, workshop_id: int, **rules: str) -> int:
    console = web.get(f"/web/workshops/{workshop_id}")
    answer = web.post(
        f"/web/workshops/{workshop_id}/pairings",
        data={**RULES, **rules, "csrf_token": csrf_token(console)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, text_of(answer)
    return int(answer.headers["location"].rsplit("/", 1)[1])


def _participants(web: TestClient, workshop_id: int) -> int:
    count: int = web.get(f"{API}/workshops/{workshop_id}").json()["participants"]
    return count


def _pairs(web: TestClient, workshop_id: int, number: int, key: str) -> list[tuple[int, int]]:
    run = web.get(f"{API}/workshops/{workshop_id}/pairings/{number}", headers=bearer(key))
    return [(p["a"]["id"], p["b"]["id"]) for p in run.json()["pairs"]]


def test_the_console_is_for_the_workshops_organisers(web: TestClient, settings: Settings) -> None:
    mine, key = create_workshop(web)
    other, _ = create_workshop(web, name="Another workshop")
    institution = create(web, name="Demo College")
    assert web.get(f"/web/workshops/{mine}").status_code == 401
    sign_in(web, key)
    assert web.get(f"/web/workshops/{mine}").status_code == 200
    refused = web.get(f"/web/workshops/{other}")
    assert refused.status_code == 403
    assert "This key may not run this workshop." in text_of(refused)
    listing = web.get("/web/workshops")
    assert f'href="/web/workshops/{mine}"' in listing.text
    assert f'href="/web/workshops/{other}"' not in listing.text
    token = csrf_token(web.get(f"/web/workshops/{mine}"))
    upload = web.post(
        f"/web/workshops/{other}/import/apply",
        data={"csrf_token": token, "content": "", "encoding": "utf-8"},
    )
    assert upload.status_code == 403
    web.cookies.clear()
    sign_in(web, institution["api_key"])
    assert web.get(f"/web/workshops/{mine}").status_code == 403
    web.cookies.clear()
    assert settings.admin_token is not None
    sign_in(web, settings.admin_token.get_secret_value())
    assert web.get(f"/web/workshops/{other}").status_code == 200
    assert web.get("/web/workshops/999").status_code == 404


def test_a_survey_is_checked_before_it_is_imported(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, key = organiser
    console = web.get(f"/web/workshops/{workshop_id}")
    empty = web.post(
        f"/web/workshops/{workshop_id}/import", data={"csrf_token": csrf_token(console)}
    )
    assert empty.status_code == 422
    assert "Choose a CSV or .xlsx file to upload." in text_of(empty)
    api = web.post(
        f"{API}/workshops/{workshop_id}/imports?dry_run=true",
        content=MALFORMED,
        headers={**bearer(key), "content-type": "text/csv"},
    ).json()
    refused = web.post(
        f"/web/workshops/{workshop_id}/import",
        data={"csrf_token": csrf_token(console), "encoding": "utf-8"},
        files={"survey": ("malformed.csv", MALFORMED, "text/csv")},
    )
    assert refused.status_code == 422
    rows = re.findall(
        r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>",
        refused.text.split('class="rejected"')[1].split("</table>")[0],
    )
    expected = [(str(e["row"]), e["column"] or "—", e["reason"]) for e in api["rejected"]]
    assert [tuple(map(text_of_cell, row)) for row in rows] == expected
    assert "import/apply" not in refused.text  # nothing to apply
    preview = web.post(
        f"/web/workshops/{workshop_id}/import",
        data={"csrf_token": csrf_token(console), "encoding": "utf-8"},
        files={"survey": ("survey_sample.csv", SAMPLE, "text/csv")},
    )
    assert preview.status_code == 200
    plan = web.post(
        f"{API}/workshops/{workshop_id}/imports?dry_run=true",
        content=SAMPLE,
        headers={**bearer(key), "content-type": "text/csv"},
    ).json()
    created = len(plan["create"])
    assert created > 20
    assert f"<strong>{created}</strong> new institutions" in preview.text
    for row in plan["create"]:
        assert f"<tr><td>{row['row']}</td><td>{row['name']}</td>" in text_of(preview)
    assert _participants(web, workshop_id) == 0  # not yet
    _import(web, workshop_id)
    assert _participants(web, workshop_id) == created
    done = web.get(f"/web/workshops/{workshop_id}?imported=1")
    assert f"The workshop has {created} participants." in done.text
    again = web.post(
        f"/web/workshops/{workshop_id}/import",
        data={"csrf_token": csrf_token(done), "encoding": "utf-8"},
        files={"survey": ("survey_sample.csv", SAMPLE, "text/csv")},
    )
    assert f"<strong>{created}</strong> unchanged" in again.text  # idempotent


def text_of_cell(cell: str) -> str:
    """A table cell's text as the page shows it."""
    return html.unescape(cell)


def test_pairing_rules_are_checked_like_the_api_checks_them(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, key = organiser
    _import(web, workshop_id)
    console = web.get(f"/web/workshops/{workshop_id}")
    bad = {
        **RULES,
        "max_partners": "two",
        "min_score": "1.5",
        "locked": "5",
        "csrf_token": csrf_token(console),
    }
    page = web.post(f"/web/workshops/{workshop_id}/pairings", data=bad)
    assert page.status_code == 422
    text = text_of(page)
    api = web.post(
        f"{API}/workshops/{workshop_id}/pairings",
        json={"max_partners": "two", "min_score": 1.5},
        headers=bearer(key),
    ).json()
    for error in api["errors"]:
        assert error["msg"] in text
    assert "entry 1: Two institution ids per line" in text
    assert 'value="two"' in page.text  # what was typed stays
    inverted = web.post(
        f"/web/workshops/{workshop_id}/pairings",
        data={**bad, "max_partners": "1", "min_partners": "2", "min_score": "0", "locked": ""},
    )
    assert inverted.status_code == 422
    assert "min_partners must not exceed max_partners" in text_of(inverted)
    first_run = web.get(f"{API}/workshops/{workshop_id}/pairings/1", headers=bearer(key))
    assert first_run.status_code == 404  # nothing was run


def test_lock_forbid_and_swap_run_the_pairing_again(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, key = organiser
    _import(web, workshop_id)
    first = _run(web, workshop_id, china_with_asean_only="on")
    pairs = _pairs(web, workshop_id, first, key)
    assert len(pairs) >= 2
    page = web.get(f"/web/workshops/{workshop_id}/runs/{first}")
    assert page.status_code == 200
    api_run = web.get(f"{API}/workshops/{workshop_id}/pairings/{first}", headers=bearer(key))
    for pair in api_run.json()["pairs"]:
        assert f'data-pair="{pair["a"]["id"]}-{pair["b"]["id"]}"' in page.text
        assert pair["why"]
        for reason in pair["why"]:  # said in the page's language, quoting the profiles' words
            assert all(item in text_of(page) for item in reason["items"])

    def adjust(number: int, **form: str) -> int:
        token = csrf_token(web.get(f"/web/workshops/{workshop_id}/runs/{number}"))
        answer = web.post(
            f"/web/workshops/{workshop_id}/runs/{number}/adjust",
            data={**form, "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303, text_of(answer)
        return int(answer.headers["location"].rsplit("/", 1)[1])

    (a, b), (c, d) = pairs[0], pairs[1]
    locked = adjust(first, action="lock", pair=f"{a}-{b}")
    rules = web.get(f"{API}/workshops/{workshop_id}/pairings/{locked}", headers=bearer(key))
    assert rules.json()["rules"]["locked"] == [[a, b]]
    assert rules.json()["rules"]["china_with_asean_only"] is True  # the rest is kept
    assert "locked" in web.get(f"/web/workshops/{workshop_id}/runs/{locked}").text
    forbidden = adjust(locked, action="forbid", pair=f"{a}-{b}")
    assert (a, b) not in _pairs(web, workshop_id, forbidden, key)
    swapped = adjust(first, action="swap", pair=f"{a}-{b}", pair2=f"{c}-{d}")
    after = {tuple(sorted(p)) for p in _pairs(web, workshop_id, swapped, key)}
    assert {tuple(sorted((a, d))), tuple(sorted((c, b)))} <= after
    assert (a, b) not in after
    assert (c, d) not in after
    refused = web.post(
        f"/web/workshops/{workshop_id}/runs/{first}/adjust",
        data={
            "action": "lock",
            "pair": "1-2",
            "csrf_token": csrf_token(web.get(f"/web/workshops/{workshop_id}/runs/{first}")),
        },
    )
    assert refused.status_code == 422
    assert "Choose pairs of this run." in text_of(refused)


def test_timetable_downloads_outcomes_report_and_network(
    web: TestClient, organiser: tuple[int, str]
) -> None:
    workshop_id, key = organiser
    _import(web, workshop_id)
    number = _run(web, workshop_id, china_with_asean_only="on")
    run_url = f"/web/workshops/{workshop_id}/runs/{number}"
    assert web.get(f"{run_url}/schedule").status_code == 404  # none yet
    page = web.get(run_url)
    bad = web.post(
        f"{run_url}/schedule",
        data={"csrf_token": csrf_token(page), "starts_at": "13 May", "tables": "0"},
    )
    assert bad.status_code == 422
    assert "must be a date and time written like" in text_of(bad)
    made = web.post(
        f"{run_url}/schedule",
        data={
            "csrf_token": csrf_token(page),
            "starts_at": "2026-05-13T14:00",
            "slot_minutes": "20",
            "break_minutes": "5",
            "tables": "4",
            "with_alternates": "0",
            "unavailable": "",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    grid = web.get(made.headers["location"])
    schedule = web.get(
        f"{API}/workshops/{workshop_id}/pairings/{number}/schedule", headers=bearer(key)
    ).json()
    assert grid.text.count('<td class="meeting pair">') == len(schedule["meetings"])
    assert "14:00–14:20" in grid.text
    assert '<th scope="col">Table 4</th>' in grid.text
    for what in ("pairs", "alternates", "schedule", "ics"):
        mine = web.get(f"{run_url}/download/{what}")
        api = web.get(
            f"{API}/workshops/{workshop_id}/pairings/{number}/export?what={what}",
            headers=bearer(key),
        )
        assert mine.status_code == 200
        assert mine.headers["content-type"] == api.headers["content-type"]
        assert mine.headers["content-disposition"] == api.headers["content-disposition"]
        if what == "ics":
            assert mine.text.count("BEGIN:VEVENT") == len(schedule["meetings"])
        else:
            assert mine.content == api.content
    assert web.get(f"{run_url}/download/secrets").status_code == 404

    pair = schedule["meetings"][0]
    outcome = {
        "pair": f"{pair['a']['id']}-{pair['b']['id']}",
        "status": "mou_signed",
        "happened_on": "2026-05-13",
        "note": "Signed at table 1",
    }
    token = csrf_token(web.get(run_url))
    recorded = web.post(
        f"{run_url}/outcomes", data={**outcome, "csrf_token": token}, follow_redirects=False
    )
    assert recorded.status_code == 303
    assert "The outcome has been recorded." in web.get(recorded.headers["location"]).text
    stranger = web.post(
        f"{run_url}/outcomes", data={**outcome, "pair": "1-999999", "csrf_token": token}
    )
    assert stranger.status_code == 422
    assert "999999 is not a participant of this workshop" in text_of(stranger)

    report = web.get(f"/web/workshops/{workshop_id}/report")
    api_report = web.get(f"{API}/workshops/{workshop_id}/report", headers=bearer(key)).json()
    text = text_of(report)
    bars = dict(
        re.findall(
            r'<th scope="row">(?:<svg[^>]*>.*?</svg> )?([^<]+)</th>\s*'
            r'<td class="bar-cell">.*?</td>\s*<td class="bar-value">(\d+)</td>',
            text,
            re.S,
        )
    )
    assert bars == {
        "Pairs suggested": str(api_report["pairs_suggested"]),
        "Pairs that met": "1",
        "MoUs signed": "1",
        "Declined": "0",
        **{COUNTRIES[c["country"]]: str(c["participants"]) for c in api_report["by_country"]},
    }
    assert "Signed at table 1" in text

    network = web.get(f"/web/workshops/{workshop_id}/network")
    data = json.loads(
        re.search(
            r'<script type="application/json" id="network-data">(.*?)</script>', network.text, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    console = web.get(f"/web/workshops/{workshop_id}").text
    listed = re.findall(r'<tr><td><a href="/web/institutions/(\d+)">', console)
    assert len(listed) == _participants(web, workshop_id)
    assert sorted(node["id"] for node in data["nodes"]) == sorted(map(int, listed))
    statuses = {(e["a"], e["b"]): e["status"] for e in data["edges"]}
    assert statuses[(pair["a"]["id"], pair["b"]["id"])] == "signed"
    assert len(statuses) == len(_pairs(web, workshop_id, number, key))
    colours = {node["country"]: node["color"] for node in data["nodes"]}
    assert len(set(colours.values())) == len(colours)  # one colour per country here
    assert "cytoscape.min.js" in network.text
    assert web.get(f"/web/workshops/{workshop_id}/network?run=99").status_code == 404

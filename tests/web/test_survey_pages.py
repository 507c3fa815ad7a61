"""Survey answers in the console, and proposals on an institution's own page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.web.conftest import API, create, create_workshop, csrf_token, sign_in, text_of

SEED = Path(__file__).resolve().parents[2] / "seed"
SAMPLE = (SEED / "survey_sample.csv").read_bytes()
HEADER = "Institution name,Country,Type,What we offer,Q2 Challenges\n"


def _preview(web: TestClient, workshop_id: int, data: bytes, name: str) -> httpx.Response:
    console = web.get(f"/web/workshops/{workshop_id}")
    preview: httpx.Response = web.post(
        f"/web/workshops/{workshop_id}/import",
        data={"csrf_token": csrf_token(console), "encoding": "utf-8"},
        files={"survey": (name, data, "text/csv")},
    )
    return preview


def _apply(web: TestClient, workshop_id: int, preview: httpx.Response) -> None:
    content = re.search(r'name="content" value="([^"]+)"', preview.text)
    assert content is not None, text_of(preview)
    applied = web.post(
        f"/web/workshops/{workshop_id}/import/apply",
        data={
            "csrf_token": csrf_token(preview),
            "content": content.group(1),
            "encoding": "utf-8",
            "filename": "survey.csv",
        },
        follow_redirects=False,
    )
    assert applied.status_code == 303, text_of(applied)


def test_the_console_shows_and_downloads_the_survey_answers(web: TestClient) -> None:
    workshop_id, key = create_workshop(web)
    sign_in(web, key)
    assert "No survey answers yet." in text_of(web.get(f"/web/workshops/{workshop_id}"))
    _apply(web, workshop_id, _preview(web, workshop_id, SAMPLE, "survey_sample.csv"))
    console = text_of(web.get(f"/web/workshops/{workshop_id}"))
    assert "Survey answers (Q2–Q4)" in console
    assert "<td>语言障碍; 经费有限</td>" in console
    mine = web.get(f"/web/workshops/{workshop_id}/survey-answers.csv")
    api = web.get(f"{API}/workshops/{workshop_id}/survey-answers/export", headers=bearer(key))
    assert mine.status_code == 200
    assert mine.content == api.content
    assert mine.headers["content-disposition"] == api.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(mine.content.decode("utf-8-sig"))))
    assert any(row["challenges"] == "语言障碍; 经费有限" for row in rows)
    web.cookies.clear()
    assert web.get(f"/web/workshops/{workshop_id}/survey-answers.csv").status_code == 401


def test_an_institution_accepts_or_ignores_proposals_on_its_own_page(web: TestClient) -> None:
    npic = create(web, name="NPIC Demo Institute", offers=["electrical training"])
    other = create(web, name="Other Demo College")
    workshop_id, key = create_workshop(web)
    sign_in(web, key)
    survey = f"{HEADER}NPIC Demo Institute,KH,college,solar panels,budget\n".encode()
    preview = _preview(web, workshop_id, survey, "survey.csv")
    assert preview.status_code == 200
    page = text_of(preview)
    assert "<strong>1</strong> proposals to other profiles" in page
    assert "Proposals to institutions" in page
    _apply(web, workshop_id, preview)

    edit = f"/web/institutions/{npic['id']}/edit"
    profile = f"{API}/institutions/{npic['id']}"
    proposals = web.get(f"{profile}/proposals", headers=bearer(npic["api_key"])).json()
    accept = f"/web/institutions/{npic['id']}/proposals/{proposals[0]['id']}/accept"
    # Another institution's key: refused, nothing changes.
    web.cookies.clear()
    sign_in(web, other["api_key"])
    token = csrf_token(web.get(f"/web/institutions/{other['id']}/edit"))
    assert web.post(accept, data={"csrf_token": token}).status_code == 403
    assert web.get(profile).json()["offers"] == ["electrical training"]

    web.cookies.clear()
    sign_in(web, npic["api_key"])
    page = web.get(edit)
    shown = text_of(page)
    assert "Changes proposed by workshop organisers" in shown
    assert "From “Phnom Penh 2026”" in shown
    assert "solar panels" in shown
    accepted = web.post(accept, data={"csrf_token": csrf_token(page)}, follow_redirects=False)
    assert accepted.status_code == 303
    assert web.get(profile).json()["offers"] == ["solar panels"]
    after = text_of(web.get(accepted.headers["location"]))
    assert "The proposed changes have been saved to your profile." in after
    assert "Changes proposed by workshop organisers" not in after

    # A later survey with other answers: ignored, the profile stays.
    web.cookies.clear()
    sign_in(web, key)
    survey = f"{HEADER}NPIC Demo Institute,KH,college,wind turbines,budget\n".encode()
    _apply(web, workshop_id, _preview(web, workshop_id, survey, "survey.csv"))
    web.cookies.clear()
    sign_in(web, npic["api_key"])
    page = web.get(edit)
    newest = web.get(f"{profile}/proposals", headers=bearer(npic["api_key"])).json()[0]
    dismissed = web.post(
        f"/web/institutions/{npic['id']}/proposals/{newest['id']}/dismiss",
        data={"csrf_token": csrf_token(page)},
        follow_redirects=False,
    )
    assert dismissed.status_code == 303
    assert web.get(profile).json()["offers"] == ["solar panels"]
    assert "your profile is unchanged" in text_of(web.get(dismissed.headers["location"]))
    # Without the form's CSRF token nothing happens.
    assert web.post(accept, data={}).status_code == 403


def test_every_refusal_of_the_import_reads_in_chinese_on_the_chinese_console(
    web: TestClient,
) -> None:
    workshop_id, key = create_workshop(web)
    sign_in(web, key)
    gb18030 = SAMPLE.decode("utf-8-sig").encode("gb18030")
    for data in ((SEED / "survey_malformed.csv").read_bytes(), gb18030):
        refused = _refused_in_chinese(web, workshop_id, data)
        table = text_of(refused).split('class="rejected"')[1].split("</table>")[0]
        reasons = re.findall(r"<td>([^<]*)</td></tr>", table)
        assert reasons
        for reason in reasons:
            assert re.search(r"[\u4e00-\u9fff]", reason), reason
            assert "encoding=" not in reason
            # Only a profile rule's own detail (the e-mail validator's) stays English.
            assert " is not " not in reason or reason.startswith("此值不被接受"), reason
    shown = text_of(refused)
    assert "请将文件另存为“CSV UTF-8”" in shown


def _refused_in_chinese(web: TestClient, workshop_id: int, data: bytes) -> httpx.Response:
    console = web.get(f"/web/workshops/{workshop_id}?lang=zh")
    refused: httpx.Response = web.post(
        f"/web/workshops/{workshop_id}/import?lang=zh",
        data={"csrf_token": csrf_token(console), "encoding": "utf-8"},
        files={"survey": ("survey.csv", data, "text/csv")},
    )
    assert refused.status_code == 422
    return refused


def test_missing_and_unknown_columns_are_said_in_chinese_with_their_chinese_headers(
    web: TestClient,
) -> None:
    workshop_id, key = create_workshop(web)
    sign_in(web, key)
    survey = "Timestamp,名称,国家\n2026-05-01,某职业学院,KH\n".encode()
    page = text_of(_refused_in_chinese(web, workshop_id, survey))
    assert "缺少必填列：机构名称, 机构类型（英文表头：Institution name, Type）" in page
    assert "第 A 列“Timestamp”不是调查表的列，将被忽略" in page
    assert "missing required column" not in page
    assert "is not a survey column" not in page
    warnings = page.split('id="warnings-title"')[1].split("</ul>")[0]
    assert not re.search(r"\b(column|ignored|header)\b", warnings)


def test_unknown_headers_are_matched_once_and_remembered_for_the_workshop(
    web: TestClient,
) -> None:
    workshop_id, key = create_workshop(web)
    other_id, other_key = create_workshop(web, name="Another workshop")
    sign_in(web, key)
    survey = "Name of school,Country,Type,Our strengths\nDemo Mapped College,KH,college,welding\n"
    data = survey.encode()
    preview = _preview(web, workshop_id, data, "own-headers.csv")
    assert preview.status_code == 422  # the name column is missing until matched
    page = text_of(preview)
    assert "Match the columns" in page
    assert '<label for="map-1">Name of school</label>' in page
    assert '<label for="map-2">Our strengths</label>' in page
    content = re.search(r'name="content" value="([^"]+)"', preview.text)
    assert content is not None
    matched = web.post(
        f"/web/workshops/{workshop_id}/import/columns",
        data={
            "csrf_token": csrf_token(preview),
            "content": content.group(1),
            "encoding": "utf-8",
            "filename": "own-headers.csv",
            "header": ["Name of school", "Our strengths"],
            "column": ["name", "offers"],
        },
    )
    assert matched.status_code == 200, text_of(matched)
    assert "Match the columns" not in text_of(matched)
    assert "<strong>1</strong> new institutions" in text_of(matched)
    _apply(web, workshop_id, matched)
    made = web.get(f"{API}/institutions?q=Mapped").json()["items"][0]
    assert made["offers"] == ["welding"]

    # Remembered: the next file (here through the API) needs no matching; not elsewhere.
    again = f"{survey}Demo Second College,KH,college,CNC\n".encode()
    csv_headers = {"content-type": "text/csv"}
    plan = web.post(
        f"{API}/workshops/{workshop_id}/imports?dry_run=true",
        content=again,
        headers={**bearer(key), **csv_headers},
    ).json()
    assert plan["rejected"] == []
    assert [row["name"] for row in plan["create"]] == ["Demo Second College"]
    elsewhere = web.post(
        f"{API}/workshops/{other_id}/imports?dry_run=true",
        content=again,
        headers={**bearer(other_key), **csv_headers},
    ).json()
    assert "missing required column(s): Institution name" in elsewhere["rejected"][0]["reason"]

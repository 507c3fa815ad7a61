"""A workshop's results for organisers: the report with charts, and the network graph of
participants and their suggested, met and signed pairs, coloured by country."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from service.deps import SessionDep
from service.institutions import crud
from service.web.guards import runnable_workshop
from service.web.i18n import Translator
from service.web.pages import PageRefusal, PageRoute, VisitorDep, render
from service.workshops import crud as workshops
from service.workshops import outcomes, participants, runs
from service.workshops.models import PairingRun, Workshop

router = APIRouter(route_class=PageRoute)

# Okabe and Ito's palette, then Paul Tol's muted one: colours told apart with the common
# kinds of colour blindness. More countries than colours repeat them (the legend and the
# labels still name each one).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
    "#332288",
    "#117733",
    "#999933",
    "#882255",
    "#AA4499",
    "#44AA99",
    "#DDCC77",
    "#CC6677",
)


def country_colours(counts: list[tuple[str, int]]) -> dict[str, str]:
    """Give each country a colour, most participants first (ties by code), so that the
    report and the network colour a workshop's countries alike."""
    ordered = sorted(counts, key=lambda item: (-item[1], item[0]))
    return {code: PALETTE[i % len(PALETTE)] for i, (code, _) in enumerate(ordered)}


def _run_number(request: Request, session: Session, workshop_id: int) -> int | None:
    """The run asked for (``?run=``), else the latest; None when there is none yet."""
    asked = request.query_params.get("run", "")
    if asked.isdigit() and 0 < int(asked) < 2**31:
        runs.get_run(session=session, workshop_id=workshop_id, number=int(asked))
        return int(asked)
    if asked:
        raise PageRefusal(404, "error.unknown_run")
    listed = runs.list_runs(session=session, workshop_id=workshop_id)
    return listed[-1].number if listed else None


def _bars(items: list[tuple[str, int]], colours: list[str] | None = None) -> list[dict[str, Any]]:
    """Chart bars: label, value, length in percent of the longest, and colour if given."""
    longest = max((value for _, value in items), default=0) or 1
    return [
        {
            "label": label,
            "value": value,
            "length": round(100 * value / longest, 1),
            "color": colours[i] if colours else None,
        }
        for i, (label, value) in enumerate(items)
    ]


@router.get("/workshops/{workshop_id:int}/report")
def report_page(
    workshop_id: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """Pairs suggested, met and signed, participants by country, and who was never paired."""
    row = runnable_workshop(visitor, session, workshop_id)
    number = _run_number(request, session, workshop_id)
    report = outcomes.report(session=session, workshop_id=workshop_id, run_number=number)
    t = visitor.t
    counts = [(item.country, item.participants) for item in report.by_country]
    colours = country_colours(counts)
    context = {
        "workshop": workshops.to_public(session=session, row=row),
        "report": report,
        "runs": runs.list_runs(session=session, workshop_id=workshop_id),
        "outcomes": outcomes.list_outcomes(session=session, workshop_id=workshop_id),
        "results": _bars(
            [
                (t("report.suggested"), report.pairs_suggested),
                (t("report.met"), report.met),
                (t("report.signed"), report.mous_signed),
                (t("report.declined"), report.declined),
            ]
        ),
        "countries": _bars(
            [(t.country(code), n) for code, n in counts], [colours[code] for code, _ in counts]
        ),
    }
    return render(request, visitor, "report.html", context)


def network(
    session: Session, row: Workshop, run: PairingRun | None, t: Translator
) -> dict[str, Any]:
    """Nodes (participants, coloured by country) and edges (pairs the run suggested, and
    pairs recorded as met or signed) of a workshop, for the graph and its table."""
    assert row.id is not None
    ids = participants.participant_ids(session=session, workshop_id=row.id)
    rows = crud.all_institutions(session=session, ids=ids)
    by_size = sorted(Counter(r.country for r in rows).items(), key=lambda kv: (-kv[1], kv[0]))
    colours = country_colours(by_size)
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    for pair in run.result.pairs if run is not None else []:
        key = (pair.a.id, pair.b.id)
        edges[key] = {"a": key[0], "b": key[1], "status": "suggested", "suggested": True}
    for outcome in outcomes.list_outcomes(session=session, workshop_id=row.id):
        if outcome.status == "declined":
            continue
        key = (outcome.a.id, outcome.b.id)
        edge = edges.setdefault(key, {"a": key[0], "b": key[1], "suggested": False})
        edge["status"] = "signed" if outcome.status == "mou_signed" else "met"
    present = {r.id for r in rows}
    kept = [e for e in edges.values() if e["a"] in present and e["b"] in present]
    return {
        "nodes": [
            {
                "id": r.id,
                "label": r.name,
                "country": r.country,
                "countryName": t.country(r.country),
                "color": colours[r.country],
            }
            for r in rows
        ],
        "edges": kept,
        "legend": [
            {"country": code, "name": t.country(code), "color": colours[code], "count": n}
            for code, n in by_size
        ],
        "labels": {s: t(f"network.edge.{s}") for s in ("suggested", "met", "signed")},
        "counts": dict(Counter(e["status"] for e in kept)),
    }


@router.get("/workshops/{workshop_id:int}/network")
def network_page(
    workshop_id: int, request: Request, visitor: VisitorDep, session: SessionDep
) -> Response:
    """The participants as a graph: who the run pairs, who met, who signed."""
    row = runnable_workshop(visitor, session, workshop_id)
    number = _run_number(request, session, workshop_id)
    run = (
        runs.get_run(session=session, workshop_id=workshop_id, number=number)
        if number is not None
        else None
    )
    graph = network(session, row, run, visitor.t)
    names = {node["id"]: node["label"] for node in graph["nodes"]}
    context = {
        "workshop": workshops.to_public(session=session, row=row),
        "run_number": number,
        "runs": runs.list_runs(session=session, workshop_id=workshop_id),
        "graph": graph,
        "names": names,
    }
    return render(request, visitor, "network.html", context)

"""Signals API for professionals and case systems: place, list, read and close signals; their
matches, history and the coordination of a match."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.identity import Caller, caller_from_event
from verwijsindex.api.observability import logger, metrics, tracer
from verwijsindex.api.resolver import ApiRouter, new_resolver, resolve
from verwijsindex.logic.match_schemas import CoordinatorRequest, HistoryList, MatchList, MatchView
from verwijsindex.logic.schemas import (
    CloseSignalRequest,
    CloseSignalResponse,
    InformedRequest,
    PlacementOutcome,
    PlacementResponse,
    PlaceSignalRequest,
    SignalPage,
    SignalView,
)

router = ApiRouter()

SignalId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


def _caller() -> Caller:
    return caller_from_event(app.current_event.raw_event)


def _place(caller: Caller, request: PlaceSignalRequest, idempotency_key: str | None) -> PlacementOutcome:
    services = wiring.current()
    if not idempotency_key:
        return services.signals.place(caller, request)
    from place_signal.idempotent import place_once  # only requests with a key need the idempotency layer

    return place_once(services, caller, request, idempotency_key, app.lambda_context)


@router.post("/signals", status_code=201, summary="Place a signal (201), or get your active one back (200)")
def place_signal(
    request: PlaceSignalRequest,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=128)] = None,
) -> Response[PlacementResponse]:
    outcome = _place(_caller(), request, idempotency_key)
    if outcome.created:
        metrics.add_metric(name="SignalsPlaced", unit=MetricUnit.Count, value=1)
    return Response(status_code=201 if outcome.created else 200, content_type="application/json", body=outcome.response)


@router.get("/signals", summary="Your organisation's signals, a page at a time")
def list_signals(
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
) -> SignalPage:
    return wiring.current().signals.list(_caller(), limit, cursor)


@router.get("/signals/<signal_id>", summary="One of your organisation's signals")
def get_signal(signal_id: SignalId) -> SignalView:
    return wiring.current().signals.get(_caller(), signal_id)


@router.post("/signals/<signal_id>/close", summary="Close (ended) or withdraw (unjustified) a signal")
def close_signal(signal_id: SignalId, request: CloseSignalRequest) -> CloseSignalResponse:
    return wiring.current().signals.close(_caller(), signal_id, request)


@app.post("/signals/<signal_id>/informed", summary="Confirm you informed the family (yes) or will (later)")
def record_informed(signal_id: SignalId, request: InformedRequest) -> SignalView:
    return wiring.current().signals.record_informed(_caller(), signal_id, request)


# --- matches, history and coordination (issue 3) ---------------------------------------------

MatchId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]


@router.get("/signals/<signal_id>/matches", summary="Client and family matches of your active signal")
def list_matches(signal_id: SignalId) -> MatchList:
    return wiring.current().match_views.list_matches(_caller(), signal_id)


@router.get("/signals/<signal_id>/history", summary="Closed signals of other organisations on the same youth")
def signal_history(signal_id: SignalId) -> HistoryList:
    return wiring.current().match_views.history(_caller(), signal_id)


@router.post("/matches/<match_id>/coordinator", summary="Name the regievoerder of a match you are a party to")
def name_coordinator(match_id: MatchId, request: CoordinatorRequest) -> MatchView:
    return wiring.current().match_views.name_coordinator(_caller(), match_id, request)


@router.post("/matches/<match_id>/coordinated", summary="Mark a match you are a party to as afgestemd")
def mark_coordinated(match_id: MatchId) -> MatchView:
    return wiring.current().match_views.mark_coordinated(_caller(), match_id)


app = new_resolver(router, "Verwijsindex signals")


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context)

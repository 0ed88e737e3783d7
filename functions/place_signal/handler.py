"""Signals API for professionals and case systems: place, list, read and close signals; their
matches, history and the coordination of a match."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.contract import Tag, answers, people_and_case_systems
from verwijsindex.api.identity import Caller, Group
from verwijsindex.api.observability import entry_point, metrics
from verwijsindex.api.parameters import IndexId
from verwijsindex.api.resolver import ADMITTED, ApiRouter, json_answer, matched_route, new_resolver, resolve
from verwijsindex.domain.errors import TooManyRequests, Unprocessable
from verwijsindex.logic import access, schemas
from verwijsindex.logic.access import Actor
from verwijsindex.logic.match_schemas import CoordinatorRequest, HistoryList, MatchList, MatchView

router = ApiRouter(Tag.SIGNALS, security=people_and_case_systems(Group.PROFESSIONAL))


def _actor() -> Actor:
    actor: Actor = app.context[ADMITTED]
    return actor


def _place(actor: Actor, request: schemas.PlaceSignalRequest, idempotency_key: str | None) -> schemas.PlacementOutcome:
    services = wiring.current()
    if not idempotency_key:
        return services.signals.place(actor, request)
    from place_signal.idempotent import place_once  # only requests with a key need the idempotency layer

    return place_once(services, actor, request, idempotency_key, app.lambda_context)


@router.post(
    "/signals",
    responses=answers(
        {201: "The new signal.", 200: "Your active signal on this youth, placed before."}, 409, 503, body=True
    ),
)
def place_signal(
    request: schemas.PlaceSignalRequest,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=128)] = None,
) -> Response[schemas.PlacementResponse]:
    """Place a signal (201), or get your active one back (200)

    A professional says they are involved with a youth. The youth must be known to the BRP, alive
    and under 23. One professional has at most one active signal per youth: asking again answers
    200 with that signal. A case system names the professional in `professional` and may send an
    `Idempotency-Key` to retry safely: the same key with the same body answers the first response
    again for 24 hours. `inform` says whom to inform about the signal.
    """
    try:
        outcome = _place(_actor(), request, idempotency_key)
    except TooManyRequests:
        # Alarmed in the stack: a caller kept placing signals the index had to refuse.
        metrics.add_metric(name="RefusalLimitReached", unit=MetricUnit.Count, value=1)
        raise
    except Unprocessable as error:
        if "bsn" in error.fields:
            metrics.add_metric(name="SignalsRefused", unit=MetricUnit.Count, value=1)
        raise
    if outcome.created:
        metrics.add_metric(name="SignalsPlaced", unit=MetricUnit.Count, value=1)
    return json_answer(outcome.response, 201 if outcome.created else 200)


@router.get("/signals", responses=answers("One page of signals."))
def list_signals(
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
) -> schemas.SignalPage:
    """Your organisation's signals, newest first, a page at a time

    Every signal of the caller's organisation, newest first. Pass `next_cursor` of one page as
    `cursor` to get the next; a page without `next_cursor` is the last.
    """
    return wiring.current().signals.list(_actor(), limit, cursor)


@router.get("/signals/<signal_id>", responses=answers("The signal.", 404))
def get_signal(signal_id: IndexId) -> schemas.SignalView:
    """One of your organisation's signals

    Another organisation's signal answers the same 404 as one that does not exist.
    """
    return wiring.current().signals.get(_actor(), signal_id)


@router.post("/signals/<signal_id>/close", responses=answers("The signal's new status.", 404, 409, body=True))
def close_signal(signal_id: IndexId, request: schemas.CloseSignalRequest) -> schemas.CloseSignalResponse:
    """Close (ended) or withdraw (unjustified) a signal

    `ended`: involvement ended; the signal stops matching and stays as history. `unjustified`:
    the signal was placed wrongly and is destroyed at once, with its matches.
    """
    return wiring.current().signals.close(_actor(), signal_id, request)


@router.post("/signals/<signal_id>/informed", responses=answers("The signal.", 404, 409, body=True))
def record_informed(signal_id: IndexId, request: schemas.InformedRequest) -> schemas.SignalView:
    """Confirm you informed the family (yes) or will (later)

    Records whether the professional informed the parents or the youth about the signal, or will;
    a family sees this confirmation in an inzage.
    """
    return wiring.current().signals.record_informed(_actor(), signal_id, request)


# --- matches, history and coordination ----------------------------------------------------------


@router.get(
    "/signals/<signal_id>/matches", tags=[Tag.MATCHES], responses=answers("The matches of the signal.", 404, 409)
)
def list_matches(signal_id: IndexId) -> MatchList:
    """Client and family matches of your active signal

    Each match with the other professional's contact details, the coordinator and the status.
    Only for an active signal of the caller's organisation; every look is in the audit trail.
    """
    return wiring.current().match_views.list_matches(_actor(), signal_id)


@router.get("/signals/<signal_id>/history", tags=[Tag.MATCHES], responses=answers("The history.", 404, 409))
def get_signal_history(signal_id: IndexId) -> HistoryList:
    """Closed signals of other organisations on the same youth

    Organisation and period of each; only for an active signal, and every look is audited.
    """
    return wiring.current().match_views.history(_actor(), signal_id)


@router.post(
    "/matches/<match_id>/coordinator", tags=[Tag.MATCHES], responses=answers("The match.", 404, 409, body=True)
)
def name_coordinator(match_id: IndexId, request: CoordinatorRequest) -> MatchView:
    """Name the regievoerder of a match you are a party to

    The professional of `signal_id` becomes the central contact; the other party gets one e-mail.
    A match with another region answers 409: the professionals agree on it directly.
    """
    return wiring.current().match_views.name_coordinator(_actor(), match_id, request)


@router.post("/matches/<match_id>/coordinated", tags=[Tag.MATCHES], responses=answers("The match.", 404, 409))
def mark_match_coordinated(match_id: IndexId) -> MatchView:
    """Mark a match you are a party to as afgestemd

    The other party gets one e-mail. A match with another region answers 409.
    """
    return wiring.current().match_views.mark_coordinated(_actor(), match_id)


# What a suspended organisation may still do: see and wind down its own signals.
_OPEN_WHILE_SUSPENDED = frozenset({list_signals, get_signal, close_signal})


def _admit(caller: Caller, event: dict[str, Any]) -> Actor:
    """The registry check of every route, before its body or parameters are parsed."""
    actor = access.signals_actor(caller, wiring.current().registry_store)
    if matched_route(app, event) not in _OPEN_WHILE_SUSPENDED:
        access.require_active(actor)
    return actor


app = new_resolver(router, "Verwijsindex signals")


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context, gate=lambda caller: _admit(caller, event))

"""Rights of families for the region's operator (the municipality): inzage, kopie, correctie
and bezwaar requests, the audit trail by youth or by actor, the list of stuck work and the statistics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from verwijsindex import wiring
from verwijsindex.api.contract import Tag, answer_or_text, answers, people
from verwijsindex.api.identity import Group
from verwijsindex.api.observability import entry_point
from verwijsindex.api.parameters import IndexId
from verwijsindex.api.resolver import ApiRouter, gated_caller, json_answer, new_resolver, resolve
from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.domain.statistics import Grouping, Scope
from verwijsindex.logic import rights_schemas
from verwijsindex.logic.access import require_operator
from verwijsindex.logic.statistics_schemas import MONTH_PATTERN, StatisticsReport, to_csv
from verwijsindex.logic.stuck_work import StuckPage
from verwijsindex.ports.work import WorkKind

router = ApiRouter(Tag.RIGHTS, security=people(Group.OPERATOR))


@router.post("/rights-requests", responses=answers({201: "The request."}, 503, body=True))
def create_rights_request(request: rights_schemas.CreateRightsRequest) -> Response[rights_schemas.RightsRequestView]:
    """Record a written rights request of a family

    Who may ask depends on the youth's age on `received_on`: under 12 the parents, 12 to 15 parents
    and youth together, from 16 the youth alone; otherwise 422 naming who may. The deadline is
    `received_on` plus 4 weeks.
    """
    view = wiring.current().rights.create(gated_caller(app), request)
    return json_answer(view, 201)


@router.get("/rights-requests", responses=answers("One page of requests."))
def list_rights_requests(
    status: Annotated[rights_schemas.RightsStatus | None, Query()] = None,
    overdue: Annotated[bool, Query()] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
) -> rights_schemas.RightsRequestPage:
    """Rights requests by deadline; filter by status or overdue

    Oldest deadline first; `overdue=true` gives the open requests past their deadline.
    """
    return wiring.current().rights.list_requests(gated_caller(app), status, overdue, limit, cursor)


@router.get("/rights-requests/<request_id>", responses=answers("The request.", 404))
def get_rights_request(request_id: IndexId) -> rights_schemas.RightsRequestView:
    """One rights request

    Reading it is recorded in the audit trail.
    """
    return wiring.current().rights.get(gated_caller(app), request_id)


@router.post(
    "/rights-requests/<request_id>/decision",
    responses=answers(
        {
            200: answer_or_text(
                "The decision; for a granted inzage or kopie with the dossier.",
                rights_schemas.DecisionResponse,
                "text/html",
                "The dossier as an HTML page.",
            )
        },
        404,
        409,
        503,
        body=True,
    ),
)
def decide_rights_request(
    request_id: IndexId, request: rights_schemas.DecisionRequest
) -> Response[rights_schemas.DecisionResponse | str]:
    """Grant or refuse; granting inzage/kopie gives the dossier (kopie: an HTML download)

    Once per request (409 after). Granting needs the BSN again: the index does not keep it.
    Inzage answers the dossier as JSON, or with `format: html` as a printable page; kopie answers
    the Dutch HTML dossier as a download. Correctie and bezwaar change or close the signals named.
    """
    # JSON (DecisionResponse), or the dossier as a text/html document (a string).
    outcome = wiring.current().rights.decide(gated_caller(app), request_id, request)
    if outcome.html is None:
        return json_answer(outcome.response)
    headers: dict[str, str] = {"Cache-Control": "no-store"}
    if outcome.attachment:
        headers["Content-Disposition"] = f'attachment; filename="verwijsindex-kopie-{request_id}.html"'
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=outcome.html, headers=headers)


@router.get("/audit", tags=[Tag.AUDIT], responses=answers("One page of audit entries, newest first."))
def get_audit_trail(
    bsn: Annotated[str | None, Query(min_length=9, max_length=9, pattern=r"^[0-9]{9}$")] = None,
    actor: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
) -> rights_schemas.AuditTrail:
    """The audit trail of a youth (bsn) or of an actor, newest first, a page at a time; itself audited

    Give exactly one of `bsn` and `actor`. Pass `next_cursor` as `cursor` for the next page.
    The look itself is added to the trail.
    """
    caller = gated_caller(app)
    if bsn is not None and not passes_elfproef(bsn):
        raise Unprocessable("not a valid BSN", field="bsn")
    return wiring.current().audit_trail.read(caller, bsn, actor, limit, cursor)


@router.get(
    "/statistics",
    tags=[Tag.STATISTICS],
    responses=answers(
        {
            200: answer_or_text(
                "The counters of the period.", StatisticsReport, "text/csv", "The same rows as CSV, with a total line."
            )
        }
    ),
)
def get_statistics(
    first: Annotated[str | None, Query(alias="from", pattern=MONTH_PATTERN)] = None,
    last: Annotated[str | None, Query(alias="to", pattern=MONTH_PATTERN)] = None,
    by: Annotated[Grouping, Query()] = Grouping.MONTH,
    format: Annotated[Literal["json", "csv"] | None, Query()] = None,
    scope: Annotated[Scope, Query()] = Scope.REGION,
) -> Response[StatisticsReport | str]:
    """Counts of signals, matches and rights requests per period, without personal data

    The counters from `from` to `to` (months, both included; by default the last twelve months),
    one row per month, municipality, organisation or age band (`by`). Any count from 1 to 4 is
    given as "<5"; where the total and the other rows would give such a count back, one more count
    of that counter is hidden as "x" (it may be 5 or more). JSON, or CSV with `Accept: text/csv`
    or `format=csv`. At most 60 months.
    `scope=national`: the country's totals per month, as the national index last sent them.
    """
    caller = gated_caller(app)
    report = wiring.current().statistics.report(caller, first, last, by, scope)
    accept = app.current_event.headers.get("accept") or app.current_event.headers.get("Accept") or ""
    if format == "csv" or (format is None and "text/csv" in accept):
        return Response(
            status_code=200,
            content_type="text/csv; charset=utf-8",
            body=to_csv(report),
            headers={
                "Content-Disposition": f'attachment; filename="verwijsindex-statistiek-{report.first_month}'
                f'-{report.last_month}-{by.value}-{scope.value}.csv"'
            },
        )
    return json_answer(report)


@router.get("/operations/stuck", tags=[Tag.OPERATIONS], responses=answers("One page of stuck work, oldest first."))
def list_stuck_work(
    kind: Annotated[WorkKind, Query(description="signal, removal, delivery or address")],
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
) -> StuckPage:
    """Work the index gave up on, or e-mails held back, oldest first, a page at a time

    One kind at a time: `signal` (not matched or not published to the national index after the
    sweeper's attempts), `removal` (a destroyed signal's removal not published after them),
    `delivery` (an e-mail not delivered after them), `address` (e-mails held back because the
    address is undeliverable: register the professional again with the right address). Kind, age,
    attempts and an opaque reference only: nothing about whom it concerns. Pass `next_cursor` as
    `cursor` for the next page.
    """
    return wiring.current().stuck_work.page(gated_caller(app), kind, limit, cursor)


app = new_resolver(router, "Verwijsindex rights of families")


@entry_point
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return resolve(app, event, context, gate=require_operator)

"""Console page for delivery problems: addresses that bounce, and work the sweeper gave up on."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from portal import pages
from portal.console import PREFIX
from portal.console.gate import operator_session
from portal.pages import app


@app.get(f"{PREFIX}/bezorging")
def delivery_problems() -> Response[str]:
    session = operator_session()
    problems = pages.portal().services.delivery_problems.overview(session.principal.caller())
    return pages.page(
        "console/delivery.html",
        session,
        current="bezorging",
        bounced=problems.bounced,
        stuck=problems.stuck,
        more_stuck=problems.more_stuck,
    )

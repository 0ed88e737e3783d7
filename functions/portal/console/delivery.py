"""Console page for what did not arrive or arrived from elsewhere: addresses that bounce, stuck
work, and the national index's move notices."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response

from portal import pages
from portal.console import PREFIX
from portal.console.gate import operator_session
from portal.pages import app


@app.get(f"{PREFIX}/bezorging")
def delivery_problems() -> Response[str]:
    session = operator_session()
    services = pages.portal().services
    problems = services.delivery_problems.overview(session.principal.caller())
    moves = services.move_notices.recent(session.principal.caller())
    return pages.page(
        "console/delivery.html",
        session,
        current="bezorging",
        bounced=problems.bounced,
        stuck=problems.stuck,
        more_stuck=problems.more_stuck,
        moves=moves,
    )

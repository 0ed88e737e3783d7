"""The console's one door: every console page asks it first, before it reads a form or a record."""

from __future__ import annotations

from portal import pages
from portal.pages import SignInRequired
from portal.sessions import Session
from verwijsindex.domain.errors import Forbidden
from verwijsindex.logic.access import require_operator


def operator_session() -> Session:
    """The signed-in operator. A professional's session gets 403, as does a call carrying a bearer
    token (a case system: the portal accepts no tokens, and a sign-in page is no use to it);
    a browser without a session is sent to sign in."""
    session = pages.current_session()
    if session is None:
        if pages.app.current_event.headers.get("authorization"):
            raise Forbidden("the console is for the region's operator")
        raise SignInRequired
    require_operator(session.principal.caller())
    return session

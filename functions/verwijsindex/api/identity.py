"""Who is calling, taken only from the authorizer context (never from the request body)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verwijsindex.domain.callers import SIGNALS_SCOPE, Caller, CallerKind, Group
from verwijsindex.domain.errors import Forbidden

# The caller is a domain value; the API module names it too, for the handlers that take it from here.
__all__ = ["SIGNALS_SCOPE", "Caller", "CallerKind", "Group", "caller_from_event"]


def _split(value: Any) -> frozenset[str]:
    # REST API Cognito authorizers flatten lists into strings such as "[a, b]" or "a,b".
    if isinstance(value, list | tuple):
        return frozenset(str(v) for v in value)
    if not value:
        return frozenset()
    text = str(value).strip().strip("[]")
    return frozenset(part for part in text.replace(",", " ").split() if part)


def caller_from_event(event: Mapping[str, Any]) -> Caller:
    context = event.get("requestContext") or {}
    authorizer = context.get("authorizer") or {}
    claims = authorizer.get("claims") or {}
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Forbidden("no authenticated caller")
    if claims.get("custom:org_id") is None and claims.get("client_id") and claims.get("token_use") == "access":
        return Caller(kind=CallerKind.MACHINE, subject=str(claims["client_id"]), scopes=_split(claims.get("scope")))
    return Caller(
        kind=CallerKind.USER,
        subject=subject,
        org_id=claims.get("custom:org_id") or None,
        groups=_split(claims.get("cognito:groups")),
    )

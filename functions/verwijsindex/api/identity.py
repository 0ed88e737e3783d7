"""Who is calling, taken only from the authorizer context (never from the request body)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from verwijsindex.domain.errors import Forbidden


class Group(StrEnum):
    PROFESSIONAL = "professional"
    OPERATOR = "operator"
    BRP = "brp"


# Scope a case system (client credentials) needs to place and read signals.
SIGNALS_SCOPE = "verwijsindex/signals"


class CallerKind(StrEnum):
    USER = "user"
    MACHINE = "machine"


class Caller(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    kind: CallerKind
    subject: str  # Cognito sub, or the client id of a case system
    org_id: str | None = None  # users only; a machine client's organisation is looked up
    groups: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()

    def in_group(self, group: Group) -> bool:
        return group.value in self.groups


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

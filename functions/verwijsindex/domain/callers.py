"""Who is calling, as the rules see it: a signed-in user of an organisation or a case system.

The API takes the caller only from the authorizer context (`api/identity.py`); the use cases
decide what a caller may do from these values alone.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


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

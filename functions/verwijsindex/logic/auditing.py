"""Builds audit entries with the injected clock, so every use case stamps them alike.

An entry names its subject as a domain value (a youth's pseudonym, an organisation's id); the
audit store turns it into its own key. `on_youth`, `on_signal`, `on_request` and `on_organisation`
are the usual subjects; `entry` takes any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock
from verwijsindex.domain.models import Signal
from verwijsindex.domain.rights import RightsRequest


class AuditStamp:
    def __init__(self, clock: Clock, new_id: Callable[[], str] = lambda: uuid.uuid4().hex) -> None:
        self._clock = clock
        self._new_id = new_id

    def now(self) -> datetime:
        return self._clock.now()

    def entry(
        self,
        caller: Caller,
        action: AuditAction,
        subject: AuditSubject,
        *,
        org_id: str | None = None,
        target: str | None = None,
        detail: str | None = None,
    ) -> AuditEntry:
        """`org_id` is the organisation the caller acted for, when it is not the caller's own."""
        return AuditEntry(
            entry_id=self._new_id(),
            at=self._clock.now(),
            actor=caller.subject,
            actor_org=org_id or caller.org_id,
            action=action,
            subject=subject,
            target=target,
            detail=detail,
        )

    def on_youth(
        self,
        caller: Caller,
        action: AuditAction,
        youth_key: str,
        *,
        org_id: str | None = None,
        target: str | None = None,
        detail: str | None = None,
    ) -> AuditEntry:
        """In the youth's trail (by the youth's regional pseudonym)."""
        return self.entry(caller, action, AuditSubject.youth(youth_key), org_id=org_id, target=target, detail=detail)

    def on_signal(
        self,
        caller: Caller,
        action: AuditAction,
        signal: Signal,
        *,
        org_id: str | None = None,
        detail: str | None = None,
    ) -> AuditEntry:
        """About one signal, in its youth's trail, for the signal's organisation unless `org_id` names another."""
        return self.on_youth(
            caller, action, signal.youth_key, org_id=org_id or signal.org_id, target=signal.signal_id, detail=detail
        )

    def on_request(
        self, caller: Caller, action: AuditAction, request: RightsRequest, *, detail: str | None = None
    ) -> AuditEntry:
        """About a family's rights request, in its youth's trail."""
        return self.on_youth(caller, action, request.youth_key, target=request.request_id, detail=detail)

    def on_organisation(
        self, caller: Caller, action: AuditAction, org_id: str, *, target: str | None = None, detail: str | None = None
    ) -> AuditEntry:
        """In an organisation's trail (the operator's registry work); the actor's own organisation stays theirs."""
        return self.entry(caller, action, AuditSubject.organisation(org_id), target=target, detail=detail)

"""Builds audit entries with the injected clock, so every use case stamps them alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from verwijsindex.domain.audit import AuditAction, AuditEntry
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock


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
        subject: str,
        *,
        org_id: str | None = None,
        target: str | None = None,
        detail: str | None = None,
    ) -> AuditEntry:
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

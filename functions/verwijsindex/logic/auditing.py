"""Builds audit entries with the injected clock, so every use case stamps them alike.

An entry names its subject as a domain value (a youth's pseudonym, an organisation's id); the
audit store turns it into its own key. `on_youth`, `on_signal`, `on_request` and `on_organisation`
are the usual subjects; `entry` takes any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, TypedDict

from verwijsindex.domain.audit import AuditAction, AuditEntry, AuditSubject
from verwijsindex.domain.callers import Caller
from verwijsindex.domain.clock import Clock
from verwijsindex.domain.models import Signal
from verwijsindex.domain.rights import RightsRequest

if TYPE_CHECKING:
    from typing import Unpack


class SignalParticulars(TypedDict, total=False):
    """What an entry may say besides who did what to which subject (an entry about a signal targets it)."""

    org_id: str | None  # the organisation the caller acted for, when it is not the caller's own
    detail: str | None  # why or how, in words without personal data


class Particulars(SignalParticulars, total=False):
    target: str | None  # the record acted on within the subject's trail (a signal, a match, a user)


class AuditStamp:
    def __init__(self, clock: Clock, new_id: Callable[[], str] = lambda: uuid.uuid4().hex) -> None:
        self._clock = clock
        self._new_id = new_id

    def now(self) -> datetime:
        return self._clock.now()

    def entry(
        self, caller: Caller, action: AuditAction, subject: AuditSubject, **particulars: Unpack[Particulars]
    ) -> AuditEntry:
        return AuditEntry(
            entry_id=self._new_id(),
            at=self._clock.now(),
            actor=caller.subject,
            actor_org=particulars.get("org_id") or caller.org_id,
            action=action,
            subject=subject,
            target=particulars.get("target"),
            detail=particulars.get("detail"),
        )

    def on_youth(
        self, caller: Caller, action: AuditAction, youth_key: str, **particulars: Unpack[Particulars]
    ) -> AuditEntry:
        """In the youth's trail (by the youth's regional pseudonym)."""
        return self.entry(caller, action, AuditSubject.youth(youth_key), **particulars)

    def on_signal(
        self, caller: Caller, action: AuditAction, signal: Signal, **particulars: Unpack[SignalParticulars]
    ) -> AuditEntry:
        """About one signal, in its youth's trail, for the signal's organisation unless `org_id` names another."""
        org_id = particulars.get("org_id") or signal.org_id
        return self.on_youth(
            caller, action, signal.youth_key, org_id=org_id, target=signal.signal_id, detail=particulars.get("detail")
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


class Stamping:
    """A use case that writes audit entries, stamped by the service's own `clock` field."""

    clock: Clock

    @cached_property
    def _stamp(self) -> AuditStamp:
        return AuditStamp(self.clock)

"""Closing a live signal now, as the professional (involvement ended, or covered at a hand-over) or
an upheld objection does: it stays as history for the region's archive period and is counted
under why it closed. Expiry closes through the lifecycle store, with its renewal notice."""

from __future__ import annotations

from datetime import date

from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.models import CloseReason, Signal
from verwijsindex.domain.periods import years_later
from verwijsindex.domain.settings import RegionSettings
from verwijsindex.domain.statistics import Counter, tally
from verwijsindex.ports.signals import SignalStore

COUNTED_AS = {CloseReason.ENDED: Counter.CLOSED_ENDED, CloseReason.OBJECTION: Counter.CLOSED_OBJECTION}


def close_now(
    signals: SignalStore, settings: RegionSettings, signal: Signal, *, on: date, reason: CloseReason, audit: AuditEntry
) -> Signal:
    closed = signal.closed(on, reason)
    archive_until = years_later(on, settings.archive_period_years)
    signals.close(closed, archive_until, audit, [tally(on, signal.dimensions, COUNTED_AS[reason])])
    return closed

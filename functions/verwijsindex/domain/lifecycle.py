"""Lifecycle of signals and youths (DESIGN.md section 2): the pure parts."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import Field

from verwijsindex.domain.bsn import Bsn
from verwijsindex.domain.matches import NotificationState
from verwijsindex.domain.models import ClientReference, Email, Frozen, Name, OrgId, Signal

# A run looks back at least this many due days, whatever the last-run marker says, so a
# day that failed halfway (or a notice left pending) is picked up again within two weeks.
CATCH_UP_DAYS = 14


class DueKind(StrEnum):
    """The GSI2SK prefixes of the sparse due-day index."""

    EXPIRE = "EXPIRE"  # active signal, due the day after its last active day
    ARCHIVE = "ARCHIVE"  # closed signal, due the day its archive period ends
    AGE_LIMIT = "AGE_LIMIT"  # youth marker, due on the 23rd birthday
    RENEWAL = "RENEWAL"  # renewal e-mail not yet sent, due the day its signal closed


def due_days(last_run: date | None, today: date, window: int = CATCH_UP_DAYS) -> list[date]:
    """Every due day a run on `today` reads: from the day after the last completed run (or
    `window` days back, whichever is earlier) up to and including today."""
    start = today - timedelta(days=window - 1)
    if last_run is not None and last_run + timedelta(days=1) < start:
        start = last_run + timedelta(days=1)
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


# A renewal notice is delivered exactly like a match notification.
NoticeState = NotificationState


class RenewalNotice(Frozen):
    """The one e-mail to a signal's owner when its active period ended: 'signal again?'.

    Holds the owner's contact and own client reference only: no BSN, no youth name."""

    signal_id: str
    youth_key: str
    org_id: OrgId
    recipient_name: Name
    recipient_email: Email
    client_reference: ClientReference
    active_until: date
    closed_on: date

    @classmethod
    def on_expiry(cls, signal: Signal, closed_on: date) -> RenewalNotice:
        """The notice to the owner of `signal`, which expired and closes on `closed_on`."""
        return cls(
            signal_id=signal.signal_id,
            youth_key=signal.youth_key,
            org_id=signal.org_id,
            recipient_name=signal.professional.name,
            recipient_email=signal.professional.email,
            client_reference=signal.client_reference,
            active_until=signal.active_until,
            closed_on=closed_on,
        )


class BrpNotificationKind(StrEnum):
    DEATH = "death"
    MOVE = "move"


class BrpNotification(Frozen):
    """A BRP subscription notice about a person: died, or moved to another municipality."""

    bsn: Bsn
    kind: Literal["death", "move"]
    date: dt.date
    municipality: str = Field(pattern=r"^[0-9]{4}$", description="CBS municipality code, 4 digits")

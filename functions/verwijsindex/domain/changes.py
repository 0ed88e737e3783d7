"""What a change to the index means, as the stream handlers (matching, the national link) see it: a
signal, a notification, a youth's marker or a statistics counter that was written or removed. The
adapter that reads the stream turns each record into one of these; everything else is no change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from verwijsindex.domain.matches import Notification
from verwijsindex.domain.models import Signal


class ChangeEvent(StrEnum):
    INSERT = "INSERT"
    MODIFY = "MODIFY"
    REMOVE = "REMOVE"


@dataclass(frozen=True)
class SignalChanged:
    event: ChangeEvent
    new: Signal | None  # None when removed
    old: Signal | None  # None when inserted


@dataclass(frozen=True)
class NotificationChanged:
    event: ChangeEvent
    new: Notification | None  # None when removed


@dataclass(frozen=True)
class YouthMarker:
    """The youth's marker: its pseudonyms and, after a BRP move notification, where it lives now."""

    youth_key: str
    national_key: str
    municipality: str | None = None
    moved_on: date | None = None


@dataclass(frozen=True)
class YouthMarkerChanged:
    event: ChangeEvent
    new: YouthMarker | None
    old: YouthMarker | None


@dataclass(frozen=True)
class StatisticsCellChanged:
    """A statistics counter as it is now (README "Statistics"): counts only."""

    event: ChangeEvent
    month: str
    cell: str
    counts: dict[str, int]


TableChange = SignalChanged | NotificationChanged | YouthMarkerChanged | StatisticsCellChanged

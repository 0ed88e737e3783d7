"""The main table's stream records as changes the rules understand (domain/changes.py).

A record carries the item's images as plain values (the stream model deserialises them): which kind
of item it is, and its domain object, are read here, in the adapter that owns the key layout, so the
match function and the national link see signals, notifications, markers and counters only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import plain
from verwijsindex.adapters.dynamo.items import (
    NOTIFICATION_ENTITY,
    SIGNAL_ENTITY,
    STATISTICS_ENTITY,
    YOUTH_ENTITY,
    notification_from_values,
    signal_from_values,
)
from verwijsindex.domain.changes import (
    ChangeEvent,
    NotificationChanged,
    SignalChanged,
    StatisticsCellChanged,
    TableChange,
    YouthMarker,
    YouthMarkerChanged,
)

T = TypeVar("T")
# A counter item's attributes that are not counts.
_CELL_DIMENSIONS = frozenset({keys.PK, keys.SK, keys.ENTITY, "month", "municipality", "org_id", "age_band"})


def change_of(
    event_name: str, new_image: Mapping[str, Any] | None, old_image: Mapping[str, Any] | None
) -> TableChange | None:
    """The change a stream record stands for, or None (guards, parent links, match sides, audit, ...)."""
    if event_name not in ChangeEvent.__members__:
        return None
    event = ChangeEvent(event_name)
    new = plain(dict(new_image)) if new_image is not None else None
    old = plain(dict(old_image)) if old_image is not None else None
    entity = (new if new is not None else old or {}).get(keys.ENTITY)
    if entity == SIGNAL_ENTITY:
        return SignalChanged(event, _maybe(signal_from_values, new), _maybe(signal_from_values, old))
    if entity == NOTIFICATION_ENTITY:
        return NotificationChanged(event, _maybe(notification_from_values, new))
    if entity == YOUTH_ENTITY:
        return YouthMarkerChanged(event, _maybe(_marker, new), _maybe(_marker, old))
    if entity == STATISTICS_ENTITY and new is not None:
        return StatisticsCellChanged(
            event,
            month=str(new["month"]),
            cell=str(new[keys.SK]),
            counts={name: int(value) for name, value in new.items() if name not in _CELL_DIMENSIONS},
        )
    return None


def _maybe(decode: Callable[[Mapping[str, Any]], T], values: Mapping[str, Any] | None) -> T | None:
    return decode(values) if values is not None else None


def _marker(values: Mapping[str, Any]) -> YouthMarker:
    moved_on = values.get("moved_on")
    municipality = values.get("municipality")
    return YouthMarker(
        youth_key=str(values["youth_key"]),
        national_key=str(values.get("national_key") or ""),
        municipality=str(municipality) if municipality else None,
        moved_on=date.fromisoformat(str(moved_on)) if moved_on else None,
    )

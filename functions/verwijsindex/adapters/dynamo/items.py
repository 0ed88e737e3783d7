"""The one mapping between the table's items (decoded values) and the domain objects they hold.

Every store, the stream-image decoder and the sweeper turn items into signals, match sides and
notifications here, and name the item kinds (the `entity` attribute) from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.domain.matches import MatchSide, Notification
from verwijsindex.domain.models import Signal
from verwijsindex.ports.matches import YouthView
from verwijsindex.ports.work import SignalWork

SIGNAL_ENTITY = "signal"
YOUTH_ENTITY = "youth"
MATCH_ENTITY = "match"
NOTIFICATION_ENTITY = "notification"
PARENTS_ENTITY = "parents"
PARENT_LINK_ENTITY = "parent_link"
STATISTICS_ENTITY = "statistics"

_SIGNAL_FIELDS = frozenset(Signal.model_fields)
_SIDE_FIELDS = frozenset(MatchSide.model_fields)
_NOTIFICATION_FIELDS = frozenset(Notification.model_fields)


def signal_from_values(values: Mapping[str, Any]) -> Signal:
    return Signal.model_validate({k: v for k, v in values.items() if k in _SIGNAL_FIELDS})


def side_from_values(values: Mapping[str, Any]) -> MatchSide:
    return MatchSide.model_validate({k: v for k, v in values.items() if k in _SIDE_FIELDS})


def notification_from_values(values: Mapping[str, Any]) -> Notification:
    return Notification.model_validate({k: v for k, v in values.items() if k in _NOTIFICATION_FIELDS})


def view_of(youth_key: str, values: Iterable[Mapping[str, Any]], view: YouthView | None = None) -> YouthView:
    """The matcher's view of a youth partition's items (decoded values), filled into `view` if given."""
    view = view if view is not None else YouthView(youth_key=youth_key)
    for item in values:
        entity = item.get(keys.ENTITY)
        if entity == SIGNAL_ENTITY:
            view.signals.append(signal_from_values(item))
            if item.get(SignalWork.MATCH.value):
                view.unmatched.add(str(item["signal_id"]))
        elif entity == MATCH_ENTITY:
            view.sides.append(side_from_values(item))
        elif entity == PARENTS_ENTITY:
            view.parent_keys = tuple(item.get("parent_keys") or ())
            view.linked_parent_keys = tuple(sorted(item.get("linked_parent_keys") or ()))
    return view

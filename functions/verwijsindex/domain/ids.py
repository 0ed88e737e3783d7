"""Identifiers that sort by the moment they were made, so newest-first is one index read."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime


def time_ordered_id(now: datetime) -> str:
    """A UUID in the version 7 layout (RFC 9562): 48 bits of Unix milliseconds, then random bits.

    Ids made later sort after earlier ones as strings; within one millisecond the order is random.
    """
    millis = int(now.timestamp() * 1000) & ((1 << 48) - 1)
    value = (millis << 80) | secrets.randbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC variant
    return str(uuid.UUID(int=value))


def derived_time_ordered_id(moment: datetime, digest: bytes) -> str:
    """The version 7 layout with the random bits taken from `digest`: the same input gives the same
    id (an imported row is recognised again), and it sorts by `moment` among placed signals."""
    millis = int(moment.timestamp() * 1000) & ((1 << 48) - 1)
    value = (millis << 80) | (int.from_bytes(digest[:10], "big") & ((1 << 80) - 1))
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC variant
    return str(uuid.UUID(int=value))

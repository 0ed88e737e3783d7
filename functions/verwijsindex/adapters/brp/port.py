"""The person registry ports: by BSN the person as the BRP knows them, and the BRP's changes.

Every error message here is generic by contract: it never contains a BSN or a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from verwijsindex.domain.bsn import Bsn
from verwijsindex.domain.models import RecordSuspension, Youth


class PersonRegistryError(Exception):
    """The registry could not answer (network, auth, malformed reply); never contains a BSN."""


class RegistryUnavailable(PersonRegistryError):
    """The BRP is down, overloaded or slow (429, 503, timeouts, an open circuit): retry later.

    `retry_after` is the BRP's own Retry-After (or the circuit's cool-down) in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidParam(BaseModel):
    """One entry of a Haal Centraal problem's `invalidParams`: names and reasons, never values."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    code: str = ""
    reason: str = ""


class RegistryMisconfigured(PersonRegistryError):
    """The BRP refused our request as such (400, 401, 403, 404, 406, 415): the region's link is
    configured wrongly (credentials, authorisation, fields). Retrying cannot help; the operator must act."""

    def __init__(self, message: str, status: int, code: str = "", invalid_params: Sequence[InvalidParam] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.invalid_params = tuple(invalid_params)


class PersonNotUsable(PersonRegistryError):
    """The BRP knows the person, but not well enough for the index's rules (a fully unknown
    birth date). It never changes by retrying: the caller gets a 422 with `reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PersonRegistry(Protocol):
    def lookup(self, bsn: str) -> Youth | None:
        """The person with this BSN, or None when the BRP does not know it."""
        ...


class PersonStatus(BaseModel):
    """What the change poller needs of a person again: alive, where registered. No name, no address."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bsn: Bsn
    deceased: bool = False
    death_date: date | None = None  # None for a death whose date the BRP does not know
    municipality: str = ""  # CBS code of the municipality of registration; 1999 is the RNI (abroad)
    registered_since: date | None = None  # in that municipality
    suspension: RecordSuspension | None = None
    suspended_on: date | None = None


@runtime_checkable
class PersonStatuses(Protocol):
    def statuses(self, bsns: Sequence[str]) -> list[PersonStatus]:
        """The current status of each BSN the BRP knows (at most `STATUS_BATCH` per call)."""
        ...


@runtime_checkable
class ChangeFeed(Protocol):
    """The BRP Update API: follow a person until a day; list the followed persons who changed."""

    def follow(self, bsn: str, until: date) -> None: ...

    def changed_since(self, day: date) -> list[str]: ...


# Haal Centraal answers RaadpleegMetBurgerservicenummer for at most 20 BSNs at a time.
STATUS_BATCH = 20

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
from verwijsindex.ports.person_registry_errors import (
    InvalidParam,
    PersonNotUsable,
    PersonRegistryError,
    RegistryMisconfigured,
    RegistryUnavailable,
)

# The errors live in their own module (the problem handlers import them alone); the port names them too.
__all__ = [
    "NON_RESIDENTS",
    "STATUS_BATCH",
    "ChangeFeed",
    "InvalidParam",
    "PersonNotUsable",
    "PersonRegistry",
    "PersonRegistryError",
    "PersonStatus",
    "PersonStatuses",
    "RegistryMisconfigured",
    "RegistryUnavailable",
]


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
NON_RESIDENTS = "1999"  # the municipality code of the RNI, the register of non-residents

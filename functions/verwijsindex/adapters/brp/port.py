"""The person registry port: by BSN it gives the person as the BRP knows them."""

from __future__ import annotations

from typing import Protocol

from verwijsindex.domain.models import Youth


class PersonRegistryError(Exception):
    """The registry could not answer (network, auth, malformed reply); never contains a BSN."""


class PersonRegistry(Protocol):
    def lookup(self, bsn: str) -> Youth | None:
        """The person with this BSN, or None when the BRP does not know it."""
        ...

"""In-memory AddressStore (functions/verwijsindex/ports/addresses.py). With a FakeIndex, an address with
e-mails held back is on the operator's list of stuck work there, as in the table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tests.fakes.index import FakeIndex, Work
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.ports.addresses import UndeliverableAddress
from verwijsindex.ports.work import WorkKind


def _normal(email: str) -> str:
    return email.strip().lower()


class FakeAddressStore:
    def __init__(self, index: FakeIndex | None = None) -> None:
        self.index = index if index is not None else FakeIndex()
        self.marked: dict[str, UndeliverableAddress] = {}

    def mark(self, email: str, reason: str, at: datetime, audit: AuditEntry | None = None) -> bool:
        address = _normal(email)
        if address in self.marked:
            return False
        self.marked[address] = UndeliverableAddress(email=address, reason=reason, since=at)
        if audit is not None:
            self.index.audit.append(audit)
        return True

    def hold_back(self, email: str, kind: str, at: datetime) -> bool:
        address = _normal(email)
        if address not in self.marked:
            return False
        work = self.index.work.setdefault(("address", address), Work(WorkKind.ADDRESS, at, stuck=True))
        work.attempts += 1
        return True

    def undeliverable_among(self, emails: Iterable[str]) -> dict[str, UndeliverableAddress]:
        wanted = {_normal(email) for email in emails}
        return {address: found for address, found in self.marked.items() if address in wanted}

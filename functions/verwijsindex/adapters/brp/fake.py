"""An in-memory person registry for tests and the local server.

Sample families (sample_families.json) cover every age rule around 2026-11-23; their
BSNs are in the 9999xxxxx test range, so they can never be real people.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from verwijsindex.domain.models import Youth

SAMPLE_FAMILIES_PATH = Path(__file__).with_name("sample_families.json")


class _Sample(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SamplePerson(_Sample):
    role: str  # why this person is in the sample; kept out of Youth, which forbids extras
    person: Youth


class SampleFamily(_Sample):
    label: str
    description: str
    people: tuple[SamplePerson, ...]


class SampleFile(_Sample):
    description: str
    reference_date: date
    families: tuple[SampleFamily, ...]


def load_sample_families(path: Path = SAMPLE_FAMILIES_PATH) -> tuple[SampleFamily, ...]:
    return SampleFile.model_validate_json(path.read_bytes()).families


class FakePersonRegistry:
    def __init__(self, people: Iterable[Youth] = ()) -> None:
        # The local server handles requests on threads; a lock keeps add and lookup consistent.
        self._lock = threading.Lock()
        self._people: dict[str, Youth] = {person.bsn: person for person in people}

    @classmethod
    def with_sample_families(cls) -> FakePersonRegistry:
        return cls(sample.person for family in load_sample_families() for sample in family.people)

    def lookup(self, bsn: str) -> Youth | None:
        with self._lock:
            return self._people.get(bsn)

    def add(self, youth: Youth) -> None:
        """Add a person, or replace the one with the same BSN (as a BRP mutation would)."""
        with self._lock:
            self._people[youth.bsn] = youth

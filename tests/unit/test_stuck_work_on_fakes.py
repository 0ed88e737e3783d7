"""The operator's list of stuck work (logic/stuck_work.py) on the in-memory fakes: no moto, milliseconds.

The same list on the real table, filled by the sweeper giving up, is in tests/integration/test_stuck_work.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes.index import FakeIndex
from tests.fakes.matches import FakeMatchStore
from tests.fakes.signals import FakeSignalStore
from tests.fakes.work import FakeWorkStore
from tests.ports.samples import NOW, entry, note_for, side_of, signal
from verwijsindex.api.identity import Caller, CallerKind
from verwijsindex.domain.clock import FixedClock
from verwijsindex.domain.errors import Forbidden, Unprocessable
from verwijsindex.logic.stuck_work import StuckWorkService
from verwijsindex.ports.matches import NewMatch
from verwijsindex.ports.signals import Placement
from verwijsindex.ports.work import WorkKind

OPERATOR = Caller(kind=CallerKind.USER, subject="operator-1", groups=frozenset({"operator"}))
PROFESSIONAL = Caller(kind=CallerKind.USER, subject="sub-a", org_id="org-a", groups=frozenset({"professional"}))


def stuck_deliveries(index: FakeIndex, count: int) -> None:
    """`count` matches whose e-mail to the first party the sweeper gave up on after three attempts."""
    signals, matches, work = FakeSignalStore(index), FakeMatchStore(index), FakeWorkStore(index)
    for n in range(count):
        mine = signal(f"s-{n}a", youth_key=f"{n}" * 64, client_reference="A-STUCK")
        theirs = signal(f"s-{n}b", youth_key=f"{n}" * 64, org_id="org-b")
        for placed in (mine, theirs):
            signals.create(Placement(signal=placed, audit=entry(placed.signal_id)))
        side = side_of(mine, theirs, at=NOW + timedelta(minutes=n))
        matches.create_match(
            NewMatch(side=side, notes=[note_for(side, mine, at=NOW + timedelta(minutes=n))], audits=[])
        )
    for unit in work.overdue(WorkKind.DELIVERY, NOW + timedelta(hours=1), 100):
        for _ in range(3):
            work.count_attempt(unit)
        work.give_up(unit)


@pytest.fixture
def index() -> FakeIndex:
    return FakeIndex()


def service(index: FakeIndex, hours_later: int = 3) -> StuckWorkService:
    return StuckWorkService(FakeWorkStore(index), FixedClock(NOW + timedelta(hours=hours_later)))


def test_the_operator_pages_through_stuck_e_mails_oldest_first(index: FakeIndex) -> None:
    stuck_deliveries(index, 3)
    stuck = service(index)
    first = stuck.page(OPERATOR, WorkKind.DELIVERY, 2)
    assert [(i.kind, i.attempts, i.age_minutes) for i in first.items] == [
        (WorkKind.DELIVERY, 3, 180),
        (WorkKind.DELIVERY, 3, 179),
    ]
    assert first.next_cursor is not None
    rest = stuck.page(OPERATOR, WorkKind.DELIVERY, 2, first.next_cursor)
    assert [i.age_minutes for i in rest.items] == [178] and rest.next_cursor is None
    assert len({i.reference for i in first.items + rest.items}) == 3


def test_what_the_operator_sees_names_nobody(index: FakeIndex) -> None:
    stuck_deliveries(index, 1)
    page = service(index).page(OPERATOR, WorkKind.DELIVERY, 10)
    shown = page.model_dump_json()
    secrets = {"A-STUCK", "@", "0" * 64, "s-0a", "s-0b", "Anna"}
    assert not [secret for secret in secrets if secret in shown]


def test_each_kind_is_listed_apart_and_a_cursor_opens_only_for_its_kind(index: FakeIndex) -> None:
    stuck_deliveries(index, 2)
    stuck = service(index)
    assert stuck.page(OPERATOR, WorkKind.SIGNAL, 10).items == []
    cursor = stuck.page(OPERATOR, WorkKind.DELIVERY, 1).next_cursor
    assert cursor is not None
    with pytest.raises(Unprocessable):
        stuck.page(OPERATOR, WorkKind.SIGNAL, 1, cursor)


def test_only_the_operator_sees_the_list(index: FakeIndex) -> None:
    stuck_deliveries(index, 1)
    with pytest.raises(Forbidden):
        service(index).page(PROFESSIONAL, WorkKind.DELIVERY, 10)

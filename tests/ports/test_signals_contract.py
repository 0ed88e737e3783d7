"""The signal store's contract: the in-memory fake and the DynamoDB adapter answer these cases alike."""

from __future__ import annotations

from datetime import date

import pytest

from tests.ports.main_table import MainTable, entry, signal
from verwijsindex.domain.errors import Unprocessable
from verwijsindex.domain.models import CloseReason, Informed, InformedStatus, SignalStatus
from verwijsindex.ports.families import ParentLinks
from verwijsindex.ports.signals import Arrival, Placement, SignalImport, Transfer


def test_a_placed_signal_is_read_back_only_through_its_own_organisation(table: MainTable) -> None:
    placed = signal("s-1")
    assert table.signals.create(Placement(signal=placed, audit=entry("s-1")))
    assert table.signals.youth_signals(placed.youth_key) == [placed]
    assert table.signals.get_for_org("org-a", "s-1") == placed
    assert table.signals.get_for_org("org-b", "s-1") is None
    assert table.signals.active_signal_of(placed.youth_key, "org-a", placed.professional_id) == placed
    assert table.signals.holds_youth(placed.youth_key)
    assert not table.signals.holds_youth("z" * 64)


def test_one_active_signal_per_professional_per_youth(table: MainTable) -> None:
    assert table.signals.create(Placement(signal=signal("s-1"), audit=entry("s-1")))
    # refused: the same professional, the same youth
    assert not table.signals.create(Placement(signal=signal("s-2"), audit=entry("s-2")))
    assert [s.signal_id for s in table.signals.youth_signals("y" * 64)] == ["s-1"]
    assert table.signals.create(
        Placement(signal=signal("s-3", professional_id="arend@org-a.example.org"), audit=entry("s-3"))
    )


def test_closing_keeps_the_history_and_frees_the_professional_to_signal_again(table: MainTable) -> None:
    placed = signal("s-1")
    table.signals.create(Placement(signal=placed, audit=entry("s-1")))
    closed = placed.closed(date(2026, 12, 1), CloseReason.ENDED)
    table.signals.close(closed, date(2031, 12, 1), entry("s-1"))
    [stored] = table.signals.youth_signals(placed.youth_key)
    assert stored == closed
    assert stored.status is SignalStatus.CLOSED and stored.close_reason is CloseReason.ENDED
    assert table.signals.active_signal_of(placed.youth_key, "org-a", placed.professional_id) is None
    assert not table.signals.set_informed(
        closed, Informed(status=InformedStatus.YES, on=date(2026, 12, 1)), entry("s-1")
    )
    assert table.signals.create(Placement(signal=signal("s-2"), audit=entry("s-2")))


def test_a_destroyed_signal_is_gone_and_destroying_it_again_changes_nothing(table: MainTable) -> None:
    placed = signal("s-1")
    table.signals.create(Placement(signal=placed, audit=entry("s-1")))
    assert table.signals.destroy(placed, entry("s-1"))
    assert table.signals.youth_signals(placed.youth_key) == []
    assert not table.signals.destroy(placed, entry("s-1"))
    assert table.signals.create(Placement(signal=signal("s-2"), audit=entry("s-2")))  # its guard went with it


def test_an_organisation_pages_through_its_signals_newest_first(table: MainTable) -> None:
    for n in range(1, 4):
        table.signals.create(Placement(signal=signal(f"s-{n}", youth_key=str(n) * 64), audit=entry(f"s-{n}")))
    table.signals.create(Placement(signal=signal("s-9", org_id="org-b"), audit=entry("s-9")))
    first, cursor = table.signals.list_for_org("org-a", 2, None)
    assert [s.signal_id for s in first] == ["s-3", "s-2"] and cursor is not None
    rest, end = table.signals.list_for_org("org-a", 2, cursor)
    assert [s.signal_id for s in rest] == ["s-1"] and end is None
    with pytest.raises(Unprocessable):
        table.signals.list_for_org("org-b", 2, cursor)  # a cursor opens only where it was issued
    assert [s.signal_id for s in table.signals.every_of_org("org-a")] == ["s-1", "s-2", "s-3"]


def test_what_exists_already_and_what_an_import_makes_of_it(table: MainTable) -> None:
    held = signal("s-1")
    table.signals.create(
        Placement(signal=held, audit=entry("s-1"), parents=ParentLinks(held.youth_key, ("p" * 64,), ("q" * 64,)))
    )
    new, known, guarded = signal("s-2", youth_key="z" * 64), signal("s-1"), signal("s-3")
    ids, guards = table.signals.exist([new, known, guarded])
    assert ids == {"s-1"}
    assert guards == {(held.youth_key, "org-a", held.professional_id)}
    assert table.signals.import_signal(SignalImport(signal=new, audit=entry("s-2"))) is Arrival.STORED
    assert table.signals.import_signal(SignalImport(signal=new, audit=entry("s-2"))) is Arrival.KNOWN
    assert table.signals.import_signal(SignalImport(signal=guarded, audit=entry("s-3"))) is Arrival.GUARDED


def test_a_handover_moves_the_signal_unless_the_taker_holds_one_or_it_changed(table: MainTable) -> None:
    held = signal("s-1")
    table.signals.create(Placement(signal=held, audit=entry("s-1")))
    taker = "arend@org-a.example.org"
    taken = held.model_copy(update={"professional_id": taker})
    assert table.signals.transfer(held, taken, entry("s-1")) is Transfer.DONE
    assert table.signals.active_signal_of(held.youth_key, "org-a", taker) == taken
    assert table.signals.active_of_professional("org-a", taker) == [taken]
    assert table.signals.transfer(held, taken, entry("s-1")) is Transfer.CHANGED  # no longer held by the first
    other = signal("s-2", professional_id="carla@org-a.example.org")
    table.signals.create(Placement(signal=other, audit=entry("s-2")))
    back = taken.model_copy(update={"professional_id": other.professional_id})
    assert table.signals.transfer(taken, back, entry("s-1")) is Transfer.COVERED

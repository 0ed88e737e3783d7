"""The undeliverable-address store's contract: the fake and the DynamoDB adapter answer alike."""

from __future__ import annotations

from tests.ports.main_table import NOW, MainTable, later
from verwijsindex.ports.addresses import UndeliverableAddress
from verwijsindex.ports.work import WorkKind


def test_an_address_is_marked_once_whatever_its_case(table: MainTable) -> None:
    assert table.addresses.undeliverable_among(["anna@org-a.example.org"]) == {}
    assert table.addresses.mark("Anna@Org-A.example.org ", "bounce", NOW)
    assert list(table.addresses.undeliverable_among(["anna@org-a.example.org"])) == ["anna@org-a.example.org"]
    assert not table.addresses.mark("anna@org-a.example.org", "complaint", later(1))  # a repeated event


def test_the_operator_learns_which_addresses_are_undeliverable(table: MainTable) -> None:
    table.addresses.mark("anna@org-a.example.org", "bounce", NOW)
    found = table.addresses.undeliverable_among(["ANNA@org-a.example.org", "bram@org-b.example.org"])
    assert found == {
        "anna@org-a.example.org": UndeliverableAddress(email="anna@org-a.example.org", reason="bounce", since=NOW)
    }


def test_mail_held_back_is_counted_and_listed_as_stuck_only_for_an_undeliverable_address(table: MainTable) -> None:
    assert not table.addresses.hold_back("bram@org-b.example.org", "match", NOW)
    assert table.work.count_stuck([WorkKind.ADDRESS]) == 0
    table.addresses.mark("anna@org-a.example.org", "bounce", NOW)
    assert table.addresses.hold_back("anna@org-a.example.org", "match", later(1))
    assert table.addresses.hold_back("anna@org-a.example.org", "renewal", later(2))
    listed, cursor = table.work.stuck(WorkKind.ADDRESS, 10)
    assert [(item.since, item.attempts) for item in listed] == [(later(1), 2)] and cursor is None
    assert table.work.count_stuck([WorkKind.ADDRESS]) == 1

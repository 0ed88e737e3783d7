"""The composition root hands each use case what its fields name, in the use case's own words.

A use case's `signals` is the signal store, its `registry` the organisation registry, a matching
service's `store` the match store: these tests fail when a word reaches the wrong dependency, when
a use case can no longer be built, or when a field with a default (an id source) is overwritten.
"""

from __future__ import annotations

import re
from dataclasses import fields
from functools import cached_property
from typing import ClassVar

import pytest

from tests.conftest import runtime_config
from verwijsindex import wiring
from verwijsindex.adapters.dynamo.signal_store import SignalStore
from verwijsindex.domain.ids import time_ordered_id
from verwijsindex.logic.signals import SignalService

NATIONAL_BUS = "arn:aws:events:eu-central-1:123456789012:event-bus/verwijsindex-national"


def declared_parts() -> dict[str, wiring.OnFirstUse[object]]:
    """The root's parts declared by where their class lives (use cases and table stores)."""
    return {name: value for name, value in vars(wiring.Services).items() if isinstance(value, wiring.OnFirstUse)}


def test_every_use_case_and_adapter_of_the_root_can_be_built(services: wiring.Services) -> None:
    """A field the root has no word for, and no default, fails here (the use case cannot be built),
    as does a declaration whose module or class is misspelt (it is imported on first read)."""
    assert {"signals", "matching", "signal_store", "lifecycle_store", "move_notices"} <= declared_parts().keys()
    for name, value in vars(wiring.Services).items():
        if isinstance(value, cached_property | wiring.OnFirstUse):
            getattr(services, name)


@pytest.mark.parametrize("name", sorted(declared_parts()))
def test_a_declared_part_is_the_class_its_type_says(name: str, services: wiring.Services) -> None:
    """The type argument is what the type checker believes the part is; the path is what is built.
    A path naming another class (or another module's class of that name) than the type fails here."""
    declared = wiring.Services.__annotations__[name]
    typed = re.fullmatch(r"ClassVar\[(?:Assembled|TableStore)\[(\w+)\]\]", declared)
    assert typed is not None, f"{name}: {declared}"
    part = getattr(services, name)
    assert type(part).__name__ == typed.group(1)
    module, _, _ = declared_parts()[name].path.partition(":")
    assert type(part).__module__ == f"{declared_parts()[name].package}.{module}"


def test_a_misspelt_declaration_fails_when_first_read_not_when_declared(services: wiring.Services) -> None:
    """Declaring imports nothing (the cold start stays small); the first read imports, and a wrong
    module or class name is an error there, which the tests above reach for every part."""

    class Misspelt(wiring.Services):
        module: ClassVar[wiring.Assembled[SignalService]] = wiring.Assembled("signal:SignalService")
        kind: ClassVar[wiring.Assembled[SignalService]] = wiring.Assembled("signals:SignalServices")
        store: ClassVar[wiring.TableStore[SignalStore]] = wiring.TableStore("signal_stores:SignalStore")

    root = Misspelt(**{f.name: getattr(services, f.name) for f in fields(services)})
    with pytest.raises(ModuleNotFoundError, match=r"verwijsindex\.logic\.signal\b"):
        _ = root.module
    with pytest.raises(AttributeError, match="SignalServices"):
        _ = root.kind
    with pytest.raises(ModuleNotFoundError, match=r"verwijsindex\.adapters\.dynamo\.signal_stores"):
        _ = root.store


def test_a_declared_part_is_built_once_and_kept_on_its_root(services: wiring.Services) -> None:
    assert "signals" not in vars(services)
    first = services.signals
    assert vars(services)["signals"] is first
    assert services.signals is first
    assert isinstance(wiring.Services.signals, wiring.Assembled)


def test_a_word_reaches_the_dependency_it_means(services: wiring.Services) -> None:
    assert services.signals.signals is services.signal_store
    assert services.signals.registry is services.registry_store
    assert services.signals.family is services.family_store
    assert services.signals.refusals is services.refusal_store
    assert services.signals.follow is services.change_feed
    assert services.importer.matches is services.match_store
    assert services.professionals.names is services.organisation_names
    assert services.invitations.registrations is services.registry_service
    assert services.rights.rights is services.rights_store
    assert services.rights.partitions is services.youth_partitions
    assert services.national_inbox.move_notices is services.move_notice_store
    assert services.national_inbox.statistics is services.statistics_store
    assert services.national_publisher.bus is services.national_bus
    assert services.delivery_problems.stuck_work is services.stuck_work
    # Same name, same thing: the root's own fields and properties.
    assert services.importer.matching is services.matching
    assert services.match_views.audit is services.audit
    assert services.rights.persons is services.persons
    assert services.lifecycle.clock is services.clock


def test_a_table_store_gets_the_parts_its_words_name(services: wiring.Services) -> None:
    assert services.rights_store._audit is services.audit
    assert services.rights_store._cursors is services.cursors
    assert services.signal_store._cursors is services.cursors
    assert services.signal_store._national_link is False
    assert services.match_store._table == services.config.table_name
    assert services.match_store._client is services.dynamodb


def test_a_use_case_that_says_store_gets_its_own_store(services: wiring.Services) -> None:
    assert services.matching.store is services.match_store
    assert services.lifecycle.store is services.lifecycle_store
    assert services.statistics.store is services.statistics_store
    assert services.brp_changes is not None
    assert services.brp_changes.store is services.lifecycle_store
    assert services.brp_changes.persons is services.person_statuses
    assert services.move_notices.store is services.move_notice_store


def test_values_of_the_configuration_and_the_defaults_of_a_use_case(services: wiring.Services) -> None:
    assert services.email_events.operator_email == services.config.operator_email
    assert services.national_publisher.region == services.settings.region_code
    assert services.rights.national_link is False
    assert services.reconciler.publisher is None
    assert services.signals.new_id is time_ordered_id
    assert services.signals.new_id is next(f.default for f in fields(SignalService) if f.name == "new_id")


def test_a_linked_region_tells_its_use_cases_so(services: wiring.Services) -> None:
    linked = wiring.Services(
        config=runtime_config().model_copy(update={"national_bus_arn": NATIONAL_BUS}),
        settings=services.settings,
        clock=services.clock,
        persons=services.persons,
        dynamodb=services.dynamodb,
    )
    assert linked.rights.national_link is True
    assert linked.signal_store._national_link is True
    assert linked.lifecycle_store._national_link is True
    assert linked.reconciler.publisher is linked.national_publisher


def test_a_dependency_given_under_a_name_the_use_case_does_not_have_is_refused(services: wiring.Services) -> None:
    with pytest.raises(TypeError, match="StatisticsService has no field stores"):
        services._assemble(type(services.statistics), stores=services.statistics_store)

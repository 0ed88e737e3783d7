"""The dossier put together from what the index holds, without a store: who is named, how."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.matches import MatchKind, MatchSide, PartyCard
from verwijsindex.domain.models import Contact, Organisation, Signal, SignalStatus, Youth
from verwijsindex.logic.dossier import NATIONAL_INDEX, assemble_dossier, organisations_named

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
YOUTH = Youth(bsn="999990196", name="Sam de Vries", birth_date=date(2015, 3, 1), sex="O")


def signal(signal_id: str, org_id: str, minutes: int) -> Signal:
    return Signal(
        signal_id=signal_id,
        youth_key="y" * 64,
        national_key="n" * 64,
        org_id=org_id,
        professional_id="a@example.org",
        professional=Contact(name="Anna", email="a@example.org", phone="+31 20 123 4567"),
        client_reference="REF-1",
        status=SignalStatus.ACTIVE,
        active_from=date(2026, 11, 23),
        active_until=date(2028, 11, 23),
        destroy_on=date(2038, 3, 1),
        created_at=NOW.replace(minute=minutes),
    )


def side(kind: MatchKind, other_org_id: str, **changes: Any) -> MatchSide:
    values: dict[str, Any] = {
        "match_id": f"m-{other_org_id}",
        "kind": kind,
        "signal_id": "s-1",
        "youth_key": "y" * 64,
        "org_id": "org-a",
        "other_signal_id": "s-x",
        "other_youth_key": "z" * 64,
        "other_org_id": other_org_id,
        "created_at": NOW,
    }
    return MatchSide(**{**values, **changes})


SIGNALS = [signal("s-2", "org-b", 5), signal("s-1", "org-a", 1)]
SIDES = [
    side(MatchKind.CLIENT, "org-c"),
    side(MatchKind.FAMILY, "org-sibling"),
    side(
        MatchKind.CLIENT,
        "org-far",
        other_party=PartyCard(
            organisation="Jeugdhulp Noord", name="Kees", email="k@example.org", phone="06", region="Noord"
        ),
    ),
]
ORGANISATIONS = {o: Organisation(org_id=o, name=f"Naam {o}") for o in ("org-a", "org-b", "org-c")}


def assemble(*, national_link: bool) -> Any:
    return assemble_dossier(
        request_id="r-1",
        produced_on=date(2026, 11, 30),
        youth=YOUTH,
        signals=SIGNALS,
        sides=SIDES,
        organisations=ORGANISATIONS,
        national_link=national_link,
    )


def test_only_organisations_of_this_region_are_looked_up() -> None:
    assert organisations_named(SIGNALS, SIDES) == ["org-b", "org-a", "org-c", "org-sibling"]


def test_signals_come_oldest_first_under_their_organisations_name() -> None:
    dossier = assemble(national_link=False)
    assert [(s.signal_id, s.organisation.name) for s in dossier.signals] == [
        ("s-1", "Naam org-a"),
        ("s-2", "Naam org-b"),
    ]
    assert dossier.person.name == "Sam de Vries"


def test_a_family_match_names_neither_the_other_organisation_nor_the_match() -> None:
    dossier = assemble(national_link=False)
    family = [m for m in dossier.matches if m.kind is MatchKind.FAMILY]
    assert [(m.match_id, m.other_organisation) for m in family] == [("-", None)]
    assert dossier.family_matches == 1
    assert "org-sibling" not in dossier.model_dump_json()


def test_recipients_are_the_signalling_organisations_and_those_matched() -> None:
    dossier = assemble(national_link=False)
    assert [(r.organisation.name, r.via) for r in dossier.recipients] == [
        ("Naam org-a", "signal"),
        ("Naam org-b", "signal"),
        ("Naam org-c", "client_match"),
        ("Jeugdhulp Noord (regio Noord)", "client_match"),
    ]


def test_a_linked_region_names_the_national_index_as_recipient_and_source() -> None:
    unlinked, linked = assemble(national_link=False), assemble(national_link=True)
    assert NATIONAL_INDEX not in [r.organisation for r in unlinked.recipients]
    assert linked.recipients[-1].organisation == NATIONAL_INDEX
    assert len(linked.sources) == len(unlinked.sources) + 1

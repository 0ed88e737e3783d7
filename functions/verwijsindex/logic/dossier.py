"""The dossier of a youth for an inzage or kopie: assembled from what the index holds, without I/O.

The use case reads the youth's partition, the organisations it names and the person from the BRP;
this module only puts them together, so what a family is told can be tested without a store.
`dossier_document.py` renders the result as a printable page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from verwijsindex.domain.matches import MatchKind, MatchSide
from verwijsindex.domain.models import Organisation, Signal, Youth
from verwijsindex.logic.rights_schemas import (
    Dossier,
    DossierMatch,
    DossierOrganisation,
    DossierPerson,
    DossierRecipient,
    DossierSignal,
    DossierSource,
)
from verwijsindex.logic.schemas import same_named

PURPOSE = (
    "De verwijsindex (Jeugdwet, paragraaf 7.1) brengt professionals die bij dezelfde jeugdige (0 tot 23 jaar) "
    "betrokken zijn met elkaar in contact, zodat zij hun hulp op elkaar kunnen afstemmen. Een professional "
    "plaatst een signaal: 'ik ben betrokken bij deze jeugdige'. Signaleert een professional van een andere "
    "organisatie dezelfde jeugdige, of een broer of zus, dan krijgen beiden elkaars contactgegevens. Er staat "
    "nooit in waarom iemand betrokken is. Een signaal is hoogstens 2 jaar actief, blijft daarna 5 jaar als "
    "geschiedenis bewaard en wordt vernietigd, en uiterlijk op de 23e verjaardag."
)

NATIONAL_INDEX = DossierOrganisation(org_id="landelijke-verwijsindex", name="Landelijke Verwijsindex")


def organisations_named(signals: Sequence[Signal], sides: Sequence[MatchSide]) -> list[str]:
    """The organisations of this region the dossier names, to be looked up in one batch."""
    return [s.org_id for s in signals] + [side.other_org_id for side in sides if side.other_party is None]


def assemble_dossier(
    *,
    request_id: str,
    produced_on: date,
    youth: Youth,
    signals: Sequence[Signal],
    sides: Sequence[MatchSide],
    organisations: Mapping[str, Organisation],
    national_link: bool,
) -> Dossier:
    """Everything the index holds on the youth, who received it and where it came from. A linked
    region shares each active signal with the national index, so the dossier says so."""
    own_signals = sorted(signals, key=lambda s: (s.created_at, s.signal_id))

    def organisation(org_id: str) -> DossierOrganisation:
        found = organisations.get(org_id)
        return DossierOrganisation(org_id=org_id, name=found.name if found else org_id)

    dossier_signals = [
        DossierSignal(**same_named(s, DossierSignal, organisation=organisation(s.org_id), placed_at=s.created_at))
        for s in own_signals
    ]
    matches: list[DossierMatch] = []
    recipients: list[DossierRecipient] = [
        DossierRecipient(organisation=organisation(org_id), via="signal")
        for org_id in dict.fromkeys(s.org_id for s in own_signals)
    ]
    family = 0
    for side in sorted(sides, key=lambda s: (s.created_at, s.match_id)):
        if side.kind is MatchKind.CLIENT:
            other = (
                organisation(side.other_org_id)
                if side.other_party is None
                # An organisation of another region, found through the national link.
                else DossierOrganisation(
                    org_id=side.other_org_id,
                    name=f"{side.other_party.organisation} (regio {side.other_party.region})",
                )
            )
            matches.append(
                DossierMatch(
                    match_id=side.match_id,
                    kind=side.kind,
                    signal_id=side.signal_id,
                    created_at=side.created_at,
                    status=side.status,
                    other_organisation=other,
                    other_signal_id=side.other_signal_id,
                )
            )
            recipient = DossierRecipient(organisation=other, via="client_match")
            if recipient not in recipients:
                recipients.append(recipient)
        else:
            # About a brother or sister: only that a family match exists (its id is a hash
            # of both signal ids, so it is left out too).
            family += 1
            matches.append(
                DossierMatch(
                    match_id="-",
                    kind=side.kind,
                    signal_id=side.signal_id,
                    created_at=side.created_at,
                    status=side.status,
                )
            )
    sources = [
        DossierSource(
            data="Naam, geboortedatum, geslacht, adres",
            source="Basisregistratie Personen (BRP), opgevraagd voor dit overzicht; niet opgeslagen",
        ),
        *(
            DossierSource(data=f"Signaal {s.signal_id}", source=_signal_source(s, organisation(s.org_id).name))
            for s in own_signals
        ),
    ]
    if matches:
        sources.append(DossierSource(data="Matches", source="De verwijsindex, bij het plaatsen van signalen"))
    if national_link and own_signals:
        recipients.append(DossierRecipient(organisation=NATIONAL_INDEX, via="national_index"))
        if any(side.other_party is not None for side in sides):
            sources.append(
                DossierSource(
                    data="Matches met professionals in andere regio's",
                    source="De landelijke verwijsindex, die actieve signalen van de regio's koppelt",
                )
            )
    return Dossier(
        request_id=request_id,
        produced_on=produced_on,
        purpose=PURPOSE,
        person=DossierPerson(**same_named(youth, DossierPerson, under_investigation=list(youth.under_investigation))),
        signals=dossier_signals,
        matches=matches,
        family_matches=family,
        recipients=recipients,
        sources=sources,
    )


def _signal_source(signal: Signal, organisation: str) -> str:
    """Who recorded the signal; for one taken over from another index, from which and when."""
    source = f"{organisation} (professional {signal.professional.name})"
    if signal.imported is not None:
        source += f"; overgenomen uit {signal.imported.source} op {signal.imported.on.isoformat()}"
    return source

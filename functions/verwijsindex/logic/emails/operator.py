"""The e-mails to the region's operator: a youth with active signals moved in, and an address of a
professional that SES reported as undeliverable."""

from __future__ import annotations

from verwijsindex.domain.matches import PartyCard
from verwijsindex.domain.national import MoveNotice
from verwijsindex.logic.emails.layout import Block, Paragraph, Steps, compose, contact
from verwijsindex.ports.mail import EmailMessage


def move_notice_email(notice: MoveNotice, to: str) -> EmailMessage:
    """Who is involved, never who the youth is: the notice id is the reference to use."""
    one = len(notice.signals) == 1
    blocks: list[Block] = [
        Paragraph("Beste regievoerder van de Verwijsindex,"),
        Paragraph(
            f"Volgens de BRP is op {notice.moved_on.isoformat()} een jeugdige verhuisd naar gemeente "
            f"{notice.municipality} in uw regio (gemeld door regio {notice.from_region_name}). Over deze "
            f"jeugdige {'is' if one else 'zijn'} in de Verwijsindex "
            f"{len(notice.signals)} {'actief signaal' if one else 'actieve signalen'} geplaatst, door:"
        ),
        *(
            contact(
                PartyCard(
                    organisation=party.organisation,
                    name=party.professional.name,
                    email=party.professional.email,
                    phone=party.professional.phone,
                    region=party.region_name,
                )
            )
            for party in notice.signals
        ),
        Steps(
            "Wat nu?",
            (
                "Neem contact op met deze professionals om af te stemmen wie de hulp in uw regio voortzet.",
                "Noem in uw contact alleen deze referentie, geen gegevens van de jeugdige: " + notice.notice_id,
            ),
        ),
    ]
    return compose(
        to=to,
        subject=f"Verwijsindex: jeugdige met actieve signalen verhuisd naar gemeente {notice.municipality}",
        blocks=blocks,
        tags={"event": "move_notice"},
    )


def undeliverable_address_email(to: str, addresses: list[str], reason: str) -> EmailMessage:
    """After a permanent bounce or a complaint: which address, and how the operator repairs it."""
    what = "is onbestelbaar gebleken" if reason == "bounce" else "heeft een klacht (spam) gemeld"
    blocks: list[Block] = [
        Paragraph("Beste beheerder van de Verwijsindex,"),
        Paragraph(f"Het volgende e-mailadres {what}: " + ", ".join(addresses) + "."),
        Paragraph(
            "De Verwijsindex stuurt geen e-mail meer naar dit adres. Zoek de professional op in het register, "
            "vraag het juiste adres na en registreer de professional opnieuw: daarna wordt weer gemaild."
        ),
    ]
    return compose(
        to=to,
        subject="Verwijsindex: e-mailadres van een professional onbestelbaar",
        blocks=blocks,
        tags={"event": "undeliverable_address"},
    )

"""The e-mails to the professionals of a match: the match itself, a coordinator named, the match
coordinated, a new contact person.

An e-mail names the recipient's own client reference and signal id, and the other
professional's contact details, never anything about the youth: the notification it is built
from does not contain it.
"""

from __future__ import annotations

from verwijsindex.domain.matches import MatchKind, Notification, NotificationEvent
from verwijsindex.logic.emails.layout import Block, Paragraph, Steps, compose, contact
from verwijsindex.ports.mail import EmailMessage


def _client(note: Notification) -> str:
    return f"uw cliënt {note.recipient_client_reference} (uw signaal {note.recipient_signal_id})"


def _match_blocks(note: Notification) -> tuple[str, list[Block]]:
    family = note.kind is MatchKind.FAMILY
    if family:
        what = "gezinsmatch"
        opening = (
            f"Er is een gezinsmatch in de Verwijsindex voor {_client(note)}. Een professional van een "
            "andere organisatie is betrokken bij een broer of zus van uw cliënt."
        )
    else:
        what = "match"
        opening = (
            f"Er is een match in de Verwijsindex voor {_client(note)}. Een professional van een andere "
            "organisatie is ook betrokken bij uw cliënt."
        )
    blocks: list[Block] = [
        Paragraph(opening),
        Paragraph("Contactgegevens van de andere professional:"),
        contact(note.other),
        Steps(
            "Wat nu?",
            (
                "Vraag eerst toestemming: onder 12 jaar aan de ouders, van 12 tot 16 jaar aan de ouders en de "
                "jeugdige, vanaf 16 jaar aan de jeugdige zelf.",
                "Neem daarna contact op met de andere professional en stem samen af wie de regie neemt.",
                # Coordination is recorded within a region only (the other side's index is elsewhere).
                "De andere professional werkt in een andere regio: leg samen vast wie regievoerder is."
                if note.other.region
                else "Leg in de Verwijsindex vast wie regievoerder is en markeer de match als afgestemd.",
            ),
        ),
    ]
    return what, blocks


def _coordinator_blocks(note: Notification) -> tuple[str, list[Block]]:
    blocks: list[Block] = [
        Paragraph(
            f"{note.other.name} ({note.other.organisation}) heeft in de Verwijsindex een regievoerder "
            f"benoemd voor de {_kind_word(note)} over {_client(note)}."
        ),
    ]
    if note.coordinator_is_recipient or note.coordinator is None:
        blocks.append(Paragraph("U bent benoemd als regievoerder."))
    else:
        blocks += [Paragraph("De regievoerder is:"), contact(note.coordinator)]
    blocks.append(Paragraph("Heeft u vragen over deze afspraak? Neem dan contact op met de andere professional."))
    return "regievoerder benoemd", blocks


def _coordinated_blocks(note: Notification) -> tuple[str, list[Block]]:
    done = (
        f"{note.other.name} ({note.other.organisation}) heeft de {_kind_word(note)} over {_client(note)} "
        "in de Verwijsindex gemarkeerd als afgestemd."
    )
    return "match afgestemd", [
        Paragraph(done),
        Paragraph("Contactgegevens van de andere professional:"),
        contact(note.other),
    ]


def _contact_blocks(note: Notification) -> tuple[str, list[Block]]:
    changed = (
        f"Bij {note.other.organisation} heeft een andere professional het signaal overgenomen dat hoort "
        f"bij de {_kind_word(note)} over {_client(note)}, of zijn de contactgegevens gewijzigd."
    )
    return "nieuwe contactpersoon", [
        Paragraph(changed),
        Paragraph("Neem voortaan contact op met:"),
        contact(note.other),
    ]


def _kind_word(note: Notification) -> str:
    return "gezinsmatch" if note.kind is MatchKind.FAMILY else "match"


def match_email(note: Notification) -> EmailMessage:
    """Each e-mail's subject says what happened; the body follows the greeting."""
    if note.event is NotificationEvent.MATCH:
        what, blocks = _match_blocks(note)
    elif note.event is NotificationEvent.COORDINATOR:
        what, blocks = _coordinator_blocks(note)
    elif note.event is NotificationEvent.CONTACT:
        what, blocks = _contact_blocks(note)
    else:
        what, blocks = _coordinated_blocks(note)
    return compose(
        to=note.recipient_email,
        subject=f"Verwijsindex: {what} voor uw cliënt {note.recipient_client_reference}",
        blocks=[Paragraph(f"Beste {note.recipient_name},"), *blocks],
        tags={"event": note.event.value, "kind": note.kind.value, **delivery_tags(note)},
    )


def delivery_tags(note: Notification) -> dict[str, str]:
    """What an SES bounce or complaint event needs to find the notification again: its key as
    pseudonym and ids (SES tag values allow letters, digits, '_' and '-' only)."""
    return {
        "youth": note.recipient_youth_key,
        "match": note.match_id,
        "signal": note.recipient_signal_id,
        "note": note.event_tag.replace("#", "-"),
    }

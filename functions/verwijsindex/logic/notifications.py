"""The e-mails, in Dutch, as text and escaped HTML (pure: no I/O).

An e-mail names the recipient's own client reference and signal id, and the other
professional's contact details. It never holds the BSN, the youth's name or anything
about why: the notification it is rendered from does not contain them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from verwijsindex.adapters.email import EmailMessage
from verwijsindex.domain.matches import MatchKind, Notification, NotificationEvent, PartyCard
from verwijsindex.domain.national import MoveNotice

_FOOTER = (
    "De Verwijsindex bevat geen inhoudelijke informatie: dit bericht zegt niets over de reden van "
    "betrokkenheid. Zet in een antwoord geen gegevens over uw cliënt. Dit is een automatisch bericht "
    "van de Verwijsindex."
)


@dataclass(frozen=True)
class _Para:
    text: str


@dataclass(frozen=True)
class _Fields:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Steps:
    heading: str
    steps: tuple[str, ...]


_Block = _Para | _Fields | _Steps


def _card(card: PartyCard) -> _Fields:
    rows = [("Naam", card.name), ("Organisatie", card.organisation)]
    if card.region:  # a professional of another region (found through the national index)
        rows.append(("Regio", card.region))
    return _Fields((*rows, ("E-mail", card.email), ("Telefoon", card.phone)))


def _client(note: Notification) -> str:
    return f"uw cliënt {note.recipient_client_reference} (uw signaal {note.recipient_signal_id})"


def _match_blocks(note: Notification) -> tuple[str, list[_Block]]:
    family = note.kind is MatchKind.FAMILY
    if family:
        subject = f"Verwijsindex: gezinsmatch voor uw cliënt {note.recipient_client_reference}"
        opening = (
            f"Er is een gezinsmatch in de Verwijsindex voor {_client(note)}. Een professional van een "
            "andere organisatie is betrokken bij een broer of zus van uw cliënt."
        )
    else:
        subject = f"Verwijsindex: match voor uw cliënt {note.recipient_client_reference}"
        opening = (
            f"Er is een match in de Verwijsindex voor {_client(note)}. Een professional van een andere "
            "organisatie is ook betrokken bij uw cliënt."
        )
    blocks: list[_Block] = [
        _Para(f"Beste {note.recipient_name},"),
        _Para(opening),
        _Para("Contactgegevens van de andere professional:"),
        _card(note.other),
        _Steps(
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
    return subject, blocks


def _coordinator_blocks(note: Notification) -> tuple[str, list[_Block]]:
    subject = f"Verwijsindex: regievoerder benoemd voor uw cliënt {note.recipient_client_reference}"
    blocks: list[_Block] = [
        _Para(f"Beste {note.recipient_name},"),
        _Para(
            f"{note.other.name} ({note.other.organisation}) heeft in de Verwijsindex een regievoerder "
            f"benoemd voor de {_kind_word(note)} over {_client(note)}."
        ),
    ]
    if note.coordinator_is_recipient or note.coordinator is None:
        blocks.append(_Para("U bent benoemd als regievoerder."))
    else:
        blocks += [_Para("De regievoerder is:"), _card(note.coordinator)]
    blocks.append(_Para("Heeft u vragen over deze afspraak? Neem dan contact op met de andere professional."))
    return subject, blocks


def _coordinated_blocks(note: Notification) -> tuple[str, list[_Block]]:
    subject = f"Verwijsindex: match afgestemd voor uw cliënt {note.recipient_client_reference}"
    blocks: list[_Block] = [
        _Para(f"Beste {note.recipient_name},"),
        _Para(
            f"{note.other.name} ({note.other.organisation}) heeft de {_kind_word(note)} over {_client(note)} "
            "in de Verwijsindex gemarkeerd als afgestemd."
        ),
        _Para("Contactgegevens van de andere professional:"),
        _card(note.other),
    ]
    return subject, blocks


def _contact_blocks(note: Notification) -> tuple[str, list[_Block]]:
    subject = f"Verwijsindex: nieuwe contactpersoon voor uw cliënt {note.recipient_client_reference}"
    blocks: list[_Block] = [
        _Para(f"Beste {note.recipient_name},"),
        _Para(
            f"Bij {note.other.organisation} heeft een andere professional het signaal overgenomen dat hoort "
            f"bij de {_kind_word(note)} over {_client(note)}, of zijn de contactgegevens gewijzigd."
        ),
        _Para("Neem voortaan contact op met:"),
        _card(note.other),
    ]
    return subject, blocks


def _kind_word(note: Notification) -> str:
    return "gezinsmatch" if note.kind is MatchKind.FAMILY else "match"


def _text(blocks: list[_Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, _Para):
            parts.append(block.text)
        elif isinstance(block, _Fields):
            width = max(len(label) for label, _ in block.rows) + 1
            parts.append("\n".join(f"  {label + ':':<{width}} {value}" for label, value in block.rows))
        else:
            steps = "\n".join(f"{number}. {step}" for number, step in enumerate(block.steps, start=1))
            parts.append(f"{block.heading}\n{steps}")
    parts.append(_FOOTER)
    return "\n\n".join(parts) + "\n"


def _html(subject: str, blocks: list[_Block]) -> str:
    e = html.escape
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, _Para):
            parts.append(f"<p>{e(block.text)}</p>")
        elif isinstance(block, _Fields):
            rows = "".join(
                f'<tr><th align="left">{e(label)}</th><td>{e(value)}</td></tr>' for label, value in block.rows
            )
            parts.append(f"<table>{rows}</table>")
        else:
            items = "".join(f"<li>{e(step)}</li>" for step in block.steps)
            parts.append(f"<h2>{e(block.heading)}</h2><ol>{items}</ol>")
    parts.append(f"<p><small>{e(_FOOTER)}</small></p>")
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{e(subject)}</title></head>\n'
        f"<body>\n{body}\n</body></html>\n"
    )


def render_move_notice(notice: MoveNotice, to: str) -> EmailMessage:
    """To the operator of the region a youth moved into: who is involved, never who the youth is."""
    subject = f"Verwijsindex: jeugdige met actieve signalen verhuisd naar gemeente {notice.municipality}"
    blocks: list[_Block] = [
        _Para("Beste regievoerder van de Verwijsindex,"),
        _Para(
            f"Volgens de BRP is op {notice.moved_on.isoformat()} een jeugdige verhuisd naar gemeente "
            f"{notice.municipality} in uw regio (gemeld door regio {notice.from_region_name}). Over deze "
            f"jeugdige {'is' if len(notice.signals) == 1 else 'zijn'} in de Verwijsindex "
            f"{len(notice.signals)} {'actief signaal' if len(notice.signals) == 1 else 'actieve signalen'} "
            "geplaatst, door:"
        ),
    ]
    for party in notice.signals:
        blocks.append(
            _card(
                PartyCard(
                    organisation=party.organisation,
                    name=party.professional.name,
                    email=party.professional.email,
                    phone=party.professional.phone,
                    region=party.region_name,
                )
            )
        )
    blocks += [
        _Steps(
            "Wat nu?",
            (
                "Neem contact op met deze professionals om af te stemmen wie de hulp in uw regio voortzet.",
                "Noem in uw contact alleen deze referentie, geen gegevens van de jeugdige: " + notice.notice_id,
            ),
        ),
    ]
    return EmailMessage(
        to=to,
        subject=subject,
        text=_text(blocks),
        html=_html(subject, blocks),
        tags={"event": "move_notice"},
    )


def render(note: Notification) -> EmailMessage:
    if note.event is NotificationEvent.MATCH:
        subject, blocks = _match_blocks(note)
    elif note.event is NotificationEvent.COORDINATOR:
        subject, blocks = _coordinator_blocks(note)
    elif note.event is NotificationEvent.CONTACT:
        subject, blocks = _contact_blocks(note)
    else:
        subject, blocks = _coordinated_blocks(note)
    return EmailMessage(
        to=note.recipient_email,
        subject=subject,
        text=_text(blocks),
        html=_html(subject, blocks),
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

"""The e-mail to a signal's professional after an objection to the signal was upheld."""

from __future__ import annotations

from verwijsindex.domain.models import Signal
from verwijsindex.logic.emails.layout import Paragraph, compose
from verwijsindex.ports.mail import EmailMessage


def objection_email(signal: Signal, destroyed: bool) -> EmailMessage:
    """Closed or removed, without the reason: the signal is named by the organisation's own client
    reference and its id."""
    what = "verwijderd" if destroyed else "gesloten"
    return compose(
        to=str(signal.professional.email),
        subject=f"Verwijsindex: uw signaal is {what} na bezwaar",
        blocks=[
            Paragraph(f"Beste {signal.professional.name},"),
            Paragraph(
                f"Uw signaal in de verwijsindex is {what} naar aanleiding van een bezwaar dat bij de gemeente is "
                "ingediend en is toegekend."
            ),
            Paragraph(f"Uw kenmerk: {signal.client_reference}"),
            Paragraph(f"Signaal: {signal.signal_id}"),
            Paragraph(
                "U hoeft niets te doen. Matches met dit signaal worden niet meer gemeld."
                + (" Het signaal en de matches zijn vernietigd." if destroyed else " De geschiedenis blijft bewaard.")
            ),
        ],
        tags={"event": "objection", "outcome": "destroyed" if destroyed else "closed"},
    )

"""The e-mail to a signal's professional when the signal is no longer active: signal again?"""

from __future__ import annotations

from verwijsindex.domain.clock import dutch_date
from verwijsindex.domain.lifecycle import RenewalNotice
from verwijsindex.logic.emails.layout import Paragraph, compose
from verwijsindex.ports.mail import EmailMessage


def renewal_email(notice: RenewalNotice) -> EmailMessage:
    """The owner's own client reference and signal id only."""
    return compose(
        to=notice.recipient_email,
        subject=f"Verwijsindex: uw signaal voor cliënt {notice.client_reference} is niet meer actief",
        blocks=[
            Paragraph(f"Beste {notice.recipient_name},"),
            Paragraph(
                f"Uw signaal {notice.signal_id} voor uw cliënt {notice.client_reference} was actief tot en met "
                f"{dutch_date(notice.active_until)} en is nu inactief. Het leidt niet meer tot matches en u "
                "ontvangt er geen berichten meer over."
            ),
            Paragraph(
                "Bent u nog betrokken bij deze cliënt? Wilt u opnieuw signaleren? Plaats dan een nieuw signaal "
                "in de Verwijsindex (of via uw casusregistratiesysteem). Informeer vooraf: onder 12 jaar de "
                "ouders, van 12 tot 16 jaar de ouders en de jeugdige, vanaf 16 jaar de jeugdige zelf."
            ),
            Paragraph(
                "Is uw betrokkenheid beëindigd? Dan hoeft u niets te doen. Het signaal blijft als historie "
                "bewaard en wordt daarna vernietigd."
            ),
        ],
        tags={"event": "renewal"},
    )

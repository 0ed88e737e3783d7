"""The e-mail to a signal's professional after an objection was upheld."""

from __future__ import annotations

import html

from verwijsindex.adapters.email import EmailMessage
from verwijsindex.domain.models import Signal


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def objection_email(signal: Signal, destroyed: bool) -> EmailMessage:
    """To the signal's professional: closed or removed after an objection. No reason, no BSN,
    no name: the signal is named by the organisation's own client reference and its id."""
    what = "verwijderd" if destroyed else "gesloten"
    subject = f"Verwijsindex: uw signaal is {what} na bezwaar"
    lines = [
        f"Beste {signal.professional.name},",
        f"Uw signaal in de verwijsindex is {what} naar aanleiding van een bezwaar dat bij de gemeente is "
        "ingediend en is toegekend.",
        f"Uw kenmerk: {signal.client_reference}",
        f"Signaal: {signal.signal_id}",
        "U hoeft niets te doen. Matches met dit signaal worden niet meer gemeld."
        + (" Het signaal en de matches zijn vernietigd." if destroyed else " De geschiedenis blijft bewaard."),
        "Dit bericht is automatisch verstuurd door de verwijsindex van uw regio.",
    ]
    body = "".join(f"<p>{_e(line)}</p>" for line in lines)
    return EmailMessage(
        to=str(signal.professional.email),
        subject=subject,
        text="\n\n".join(lines) + "\n",
        html=(
            f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{_e(subject)}</title></head>\n'
            f"<body>\n{body}\n</body></html>\n"
        ),
        tags={"event": "objection", "outcome": "destroyed" if destroyed else "closed"},
    )

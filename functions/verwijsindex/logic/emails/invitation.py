"""The invitation of a professional: the portal, the organisation and the temporary password."""

from __future__ import annotations

from verwijsindex.domain.models import Organisation
from verwijsindex.logic.emails.layout import Link, Paragraph, compose
from verwijsindex.ports.mail import EmailMessage

# The user pool's temporary passwords last this long (infra/constructs/identity.py).
TEMPORARY_PASSWORD_DAYS = 3


def invitation_email(
    organisation: Organisation, *, name: str, email: str, password: str, portal_url: str, region_name: str
) -> EmailMessage:
    return compose(
        to=email,
        subject=f"Uw account voor de {region_name}",
        blocks=[
            Paragraph(f"Beste {name},"),
            Paragraph(
                f"De beheerder van de {region_name} heeft een account voor u aangemaakt als professional van "
                f"{organisation.name}. Daarmee geeft u signalen af en ziet u met wie u een jeugdige samen helpt."
            ),
            Link("De portal", portal_url),
            Paragraph(f"Log daar in met uw e-mailadres {email} en dit tijdelijke wachtwoord:"),
            # A paragraph of its own, so it is easy to copy.
            Paragraph(password),
            Paragraph(
                f"Het tijdelijke wachtwoord werkt {TEMPORARY_PASSWORD_DAYS} dagen. Bij de eerste keer inloggen "
                "kiest u een eigen wachtwoord en koppelt u een authenticator-app voor de inlogcode."
            ),
            Paragraph("Verwachtte u dit bericht niet? Gebruik het wachtwoord dan niet en laat het de beheerder weten."),
        ],
        tags={"event": "invitation"},
    )

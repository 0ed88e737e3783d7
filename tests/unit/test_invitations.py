"""The invitation's temporary password meets the user pool's policy, and the e-mail is ours, in Dutch."""

from __future__ import annotations

import string

from verwijsindex.domain.models import Organisation
from verwijsindex.logic.emails.invitation import invitation_email
from verwijsindex.logic.invitations import InvitationRequest, temporary_password


def test_a_temporary_password_has_every_kind_of_character_the_pool_requires() -> None:
    passwords = {temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 16
        assert any(c in string.ascii_lowercase for c in password)
        assert any(c in string.ascii_uppercase for c in password)
        assert any(c in string.digits for c in password)
        assert any(not c.isalnum() for c in password)
        assert not set(password) & set("&<>\"'")  # the same in the e-mail's text and HTML


def test_the_invitation_names_organisation_portal_and_password_and_nothing_of_a_youth() -> None:
    organisation = Organisation(org_id="sportclub-jong", name="Sportclub Jong")
    request = InvitationRequest(name="Joost Visser", email="Joost@Sportclub.example.org", phone="06 1234 5678")
    mail = invitation_email(
        organisation,
        name=request.name,
        email=str(request.email),
        password="Tijdelijk#Wachtw0ord",
        portal_url="https://portaal.example.org/portaal/",
        region_name="Verwijsindex Noord",
    )

    assert mail.to == "Joost@sportclub.example.org"
    assert mail.subject == "Uw account voor de Verwijsindex Noord"
    for part in (mail.text, mail.html):
        assert "Sportclub Jong" in part and "https://portaal.example.org/portaal/" in part
        assert "Tijdelijk#Wachtw0ord" in part and "3 dagen" in part
        assert "authenticator-app" in part
    assert "<script" not in mail.html and 'lang="nl"' in mail.html
    assert mail.tags == {"event": "invitation"}

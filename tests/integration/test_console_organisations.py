"""The console's organisation and professional pages on moto: what the operator does in the
browser lands in the registry, the user directory (Cognito on moto), the audit trail and SES."""

from __future__ import annotations

import html
import re
from typing import Any

import boto3
import pytest

from tests.conftest import NAMES
from tests.portal_support import Browser, csrf_of, signed_in, signed_in_operator
from tests.support import all_items
from verwijsindex import wiring
from verwijsindex.adapters.accounts import CognitoAccounts

pytestmark = pytest.mark.usefixtures("region")
CONSOLE = "/portaal/beheer"
PROFILE = "Wij geven een signaal af als de ontwikkeling van een jeugdige stagneert en\nwe samenwerking nodig hebben."


@pytest.fixture
def operator(portal: Any) -> Browser:
    return signed_in_operator(portal)


@pytest.fixture
def user_pool(services: wiring.Services) -> tuple[Any, str, str]:
    """The region's user pool as the stack makes it: e-mail as user name, org_id, the groups."""
    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName="verwijsindex-test",
        UsernameAttributes=["email"],
        Schema=[{"Name": "org_id", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]["Id"]
    for group in ("professional", "operator"):
        cognito.create_group(UserPoolId=pool, GroupName=group)
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="test", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    services.accounts = CognitoAccounts(cognito, pool)
    return cognito, pool, client


def post(browser: Browser, form_page: str, action: str, form: dict[str, str]) -> Any:
    token = csrf_of(browser.request("GET", form_page))
    return browser.request("POST", action, {**form, "csrf": token})


def audit_actions(dynamodb: Any) -> list[str]:
    return [e["action"] for e in all_items(dynamodb, NAMES.audit)]


def test_the_operator_registers_an_organisation_with_its_profile(
    operator: Browser, services: Any, dynamodb: Any
) -> None:
    form = {
        "name": "Buurtzorg Jong",
        "org_id": "buurtzorg-jong",
        "machine_clients": "bj-1, bj-2",
        "signalling_profile": PROFILE,
    }
    done = post(operator, f"{CONSOLE}/organisaties/nieuw", f"{CONSOLE}/organisaties/nieuw", form)

    assert (
        done.status == 303 and done.headers["Location"] == f"{CONSOLE}/organisaties/buurtzorg-jong?melding=aangesloten"
    )
    stored = services.registry_store.get_organisation("buurtzorg-jong")
    assert stored.name == "Buurtzorg Jong" and stored.machine_clients == ("bj-1", "bj-2")
    assert stored.signalling_profile == PROFILE
    assert services.registry_store.org_for_client("bj-2") == "buurtzorg-jong"
    assert {"organisation.created", "organisation.profile_recorded"} <= set(audit_actions(dynamodb))
    page = operator.request("GET", done.headers["Location"])
    assert page.status == 200 and "De organisatie is aangesloten." in page.text
    assert 'href="/portaal/beheer/audit?actor=bj-1"' in page.text and 'actor=bj-2"' in page.text
    assert "Buurtzorg Jong" in operator.request("GET", f"{CONSOLE}/organisaties").text


def test_a_wrong_organisation_id_names_the_field_and_stores_nothing(operator: Browser, dynamodb: Any) -> None:
    before = len(all_items(dynamodb, NAMES.main))
    form = {"name": "Buurtzorg Jong", "org_id": "Buurtzorg Jong!", "machine_clients": "", "signalling_profile": PROFILE}
    page = post(operator, f"{CONSOLE}/organisaties/nieuw", f"{CONSOLE}/organisaties/nieuw", form)

    assert page.status == 422
    assert 'id="fout-org_id"' in page.text and 'href="#veld-org_id"' in page.text
    assert "fout-name" not in page.text
    assert 'value="Buurtzorg Jong!"' in page.text  # what was typed stays
    assert len(all_items(dynamodb, NAMES.main)) == before


def test_an_organisation_id_or_client_taken_already_is_refused_on_its_field(operator: Browser, services: Any) -> None:
    form = {"name": "Nog een A", "org_id": "org-x", "machine_clients": "case-system-a", "signalling_profile": PROFILE}
    page = post(operator, f"{CONSOLE}/organisaties/nieuw", f"{CONSOLE}/organisaties/nieuw", form)

    assert page.status == 422
    assert "Deze organisatie-id of een van de client-id&#39;s is al geregistreerd." in page.text
    assert services.registry_store.get_organisation("org-x") is None


def test_suspending_and_reactivating_from_the_organisation_page(operator: Browser, services: Any) -> None:
    page = f"{CONSOLE}/organisaties/org-b"
    suspended = post(operator, page, f"{page}/schorsen", {})
    assert suspended.status == 303
    assert services.registry_store.get_organisation("org-b").status.value == "suspended"
    assert "Schorsing opheffen" in operator.request("GET", page).text

    post(operator, page, f"{page}/heractiveren", {})
    assert services.registry_store.get_organisation("org-b").status.value == "active"


def test_the_profile_is_recorded_and_an_empty_one_refused(operator: Browser, services: Any) -> None:
    page = f"{CONSOLE}/organisaties/org-b"
    empty = post(operator, page, f"{page}/profiel", {"signalling_profile": "   "})
    assert empty.status == 422 and 'id="fout-signalling_profile"' in empty.text
    assert services.registry_store.get_organisation("org-b").signalling_profile != PROFILE

    done = post(operator, page, f"{page}/profiel", {"signalling_profile": PROFILE})
    assert done.status == 303
    assert services.registry_store.get_organisation("org-b").signalling_profile == PROFILE


# A random temporary password, and one with the characters HTML escapes (it must still open the account).
@pytest.mark.parametrize("pinned_password", [None, "Ab1&<xY9zQw!kLm2"], ids=["random", "html-special"])
def test_inviting_creates_the_account_the_registry_entry_and_sends_our_dutch_invitation(
    portal: Any, operator: Browser, user_pool: Any, services: Any, mailbox: Any, pinned_password: str | None
) -> None:
    cognito, pool, client = user_pool
    if pinned_password is not None:
        services.invitations.new_password = lambda: pinned_password
    page = f"{CONSOLE}/organisaties/org-b/uitnodigen"
    form = {"name": "Fatima el Amrani", "email": "f.elamrani@org-b.example.org", "phone": "050 123 4567"}
    done = post(operator, page, page, form)

    assert done.status == 303 and done.headers["Location"].endswith("?melding=uitgenodigd")
    # The account: e-mail, the organisation, the professional group; no message of Cognito's own.
    user = cognito.admin_get_user(UserPoolId=pool, Username="f.elamrani@org-b.example.org")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["custom:org_id"] == "org-b" and user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=attributes["sub"])["Groups"]
    assert [g["GroupName"] for g in groups] == ["professional"]
    # The registry entry under the account's sub.
    professional = services.registry_store.get_professional("org-b", attributes["sub"])
    assert professional.contact.name == "Fatima el Amrani" and professional.contact.phone == "+31501234567"
    # Our invitation, in Dutch, from the region's sender; its temporary password opens the account.
    [mail] = mailbox.to("f.elamrani@org-b.example.org")
    assert mail.source == services.config.ses_sender
    assert mail.subject == "Uw account voor de Verwijsindex"
    assert "Organisatie B" in mail.html and "tijdelijke wachtwoord" in mail.html
    assert "http://localhost/portaal/" in mail.html
    found = re.search(r"<p>([^<\s]+)</p>", mail.html)
    assert found is not None, mail.html
    password = html.unescape(found.group(1))  # the HTML part escapes a & or < in the password
    assert len(password) == 16
    challenge = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "f.elamrani@org-b.example.org", "PASSWORD": password},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    # The professional signs in and sees the organisation's profile on the signal form.
    fatima, _ = signed_in(portal, attributes["sub"], "org-b")
    profile = services.registry_store.get_organisation("org-b").signalling_profile
    assert profile.split("\n")[0] in fatima.request("GET", "/portaal/signalen/nieuw").text


def test_an_address_with_an_account_already_is_refused_and_nothing_is_registered(
    operator: Browser, user_pool: Any, services: Any, mailbox: Any
) -> None:
    page = f"{CONSOLE}/organisaties/org-b/uitnodigen"
    form = {"name": "Fatima el Amrani", "email": "f.elamrani@org-b.example.org", "phone": "050 123 4567"}
    assert post(operator, page, page, form).status == 303
    again = post(operator, page, page, {**form, "name": "Iemand Anders"})

    assert again.status == 422 and "Er bestaat al een account met dit e-mailadres." in again.text
    names = [p.contact.name for p in services.registry_store.list_professionals("org-b")]
    assert names.count("Iemand Anders") == 0 and names.count("Fatima el Amrani") == 1
    assert len(mailbox.to("f.elamrani@org-b.example.org")) == 1


def test_a_wrong_e_mail_address_creates_no_account(operator: Browser, user_pool: Any) -> None:
    cognito, pool, _ = user_pool
    page = f"{CONSOLE}/organisaties/org-b/uitnodigen"
    refused = post(operator, page, page, {"name": "Fatima", "email": "geen-adres", "phone": "050 123 4567"})

    assert refused.status == 422 and 'id="fout-email"' in refused.text
    assert cognito.list_users(UserPoolId=pool)["Users"] == []


def test_update_deactivate_and_hand_over_from_the_professional_page(
    operator: Browser, user_pool: Any, services: Any, dynamodb: Any
) -> None:
    cognito, pool, _ = user_pool
    cognito.admin_create_user(UserPoolId=pool, Username="sub-a@org-a.example.org")
    services.accounts = _AccountsBySub(services.accounts, cognito, pool)
    page = f"{CONSOLE}/organisaties/org-a/professionals/sub-a"

    assert 'href="/portaal/beheer/audit?actor=sub-a"' in operator.request("GET", page).text
    updated = post(
        operator, page, page, {"name": "Anna Aalders", "email": "anna@org-a.example.org", "phone": "+31 20 123 4567"}
    )
    assert updated.status == 303
    assert str(services.registry_store.get_professional("org-a", "sub-a").contact.email) == "anna@org-a.example.org"

    deactivated = post(operator, page, f"{page}/deactiveren", {})
    assert deactivated.status == 303
    assert services.registry_store.get_professional("org-a", "sub-a").status.value == "deactivated"
    assert "professional.deactivated" in audit_actions(dynamodb)

    refused = post(operator, page, f"{page}/overdragen", {"to_user_id": "sub-b"})  # not a colleague
    assert refused.status == 422 and 'id="fout-to_user_id"' in refused.text
    handed = post(operator, page, f"{page}/overdragen", {"to_user_id": "sub-a2"})
    assert handed.status == 303 and "melding=overgedragen" in handed.headers["Location"]
    assert "professional.signals_reassigned" in audit_actions(dynamodb)


class _AccountsBySub:
    """Moto names this account by its e-mail address; the registry knows it as sub-a."""

    def __init__(self, inner: CognitoAccounts, cognito: Any, pool: str) -> None:
        self.inner, self.cognito, self.pool = inner, cognito, pool

    def create(self, email: str, org_id: str, temporary_password: str) -> str:
        return self.inner.create(email, org_id, temporary_password)

    def disable(self, user_id: str) -> None:
        self.inner.disable("sub-a@org-a.example.org" if user_id == "sub-a" else user_id)

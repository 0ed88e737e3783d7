"""The user directory port: the same cases against the local run's directory (in memory) and the
Cognito adapter on moto."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from infra.local.accounts import LocalAccounts
from verwijsindex.adapters.accounts import CognitoAccounts
from verwijsindex.ports.accounts import AccountExists, Accounts

PASSWORD = "Tijd#Wachtw0ord1"


@dataclass
class Directory:
    accounts: Accounts
    may_sign_in: Callable[[str], bool]  # by user id


def _local() -> Directory:
    local = LocalAccounts()
    return Directory(local, lambda user_id: not local.is_disabled(user_id))


def _cognito() -> Directory:
    cognito: Any = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(
        PoolName="verwijsindex-contract",
        UsernameAttributes=["email"],
        Schema=[{"Name": "org_id", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]["Id"]
    cognito.create_group(UserPoolId=pool, GroupName="professional")
    return Directory(
        CognitoAccounts(cognito, pool),
        lambda user_id: bool(cognito.admin_get_user(UserPoolId=pool, Username=user_id)["Enabled"]),
    )


@pytest.fixture(params=["local", "cognito"])
def directory(request: pytest.FixtureRequest) -> Directory:
    if request.param == "local":
        return _local()
    request.getfixturevalue("aws")
    return _cognito()


def test_each_account_gets_its_own_user_id(directory: Directory) -> None:
    eva = directory.accounts.create("eva@org-a.example.org", "org-a", PASSWORD)
    piet = directory.accounts.create("piet@org-b.example.org", "org-b", PASSWORD)
    assert eva and piet and eva != piet
    assert directory.may_sign_in(eva) and directory.may_sign_in(piet)


def test_an_address_has_one_account(directory: Directory) -> None:
    directory.accounts.create("eva@org-a.example.org", "org-a", PASSWORD)
    with pytest.raises(AccountExists):
        directory.accounts.create("eva@org-a.example.org", "org-b", PASSWORD)


def test_a_disabled_account_no_longer_signs_in_and_disabling_again_is_harmless(directory: Directory) -> None:
    eva = directory.accounts.create("eva@org-a.example.org", "org-a", PASSWORD)
    piet = directory.accounts.create("piet@org-a.example.org", "org-a", PASSWORD)
    directory.accounts.disable(eva)
    directory.accounts.disable(eva)
    assert not directory.may_sign_in(eva)
    assert directory.may_sign_in(piet)

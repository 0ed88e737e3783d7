"""The local run's user directory, standing in for Cognito: an operator's invitation creates an
account (its sub, its organisation), a disabled user gets no new token and the tokens they hold
stop working (the server then treats them as anonymous, as API Gateway's authorizer would refuse
them)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from verwijsindex.ports.accounts import AccountExists


@dataclass(frozen=True)
class LocalAccount:
    user_id: str
    email: str
    org_id: str


class LocalAccounts:
    def __init__(self) -> None:
        self._disabled: set[str] = set()
        self._by_email: dict[str, LocalAccount] = {}

    def create(self, email: str, org_id: str, temporary_password: str) -> str:
        # The local sign-in has no passwords: the invitation e-mail carries one as in the stack.
        key = email.lower()
        if key in self._by_email:
            raise AccountExists
        account = LocalAccount(user_id=f"pro-{secrets.token_hex(4)}", email=key, org_id=org_id)
        self._by_email[key] = account
        return account.user_id

    def disable(self, user_id: str) -> None:
        self._disabled.add(user_id)

    def is_disabled(self, user_id: str) -> bool:
        return user_id in self._disabled

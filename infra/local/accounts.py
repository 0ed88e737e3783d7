"""The local run's user directory, standing in for Cognito: a disabled user gets no new token and
the tokens they hold stop working (the server then treats them as anonymous, as API Gateway's
authorizer would refuse them)."""

from __future__ import annotations


class LocalAccounts:
    def __init__(self) -> None:
        self._disabled: set[str] = set()

    def disable(self, user_id: str) -> None:
        self._disabled.add(user_id)

    def is_disabled(self, user_id: str) -> bool:
        return user_id in self._disabled

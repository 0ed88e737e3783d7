"""The user directory behind the professionals' sign-in: when a professional leaves, their account
is disabled and every session they hold is ended (port: Accounts; adapter: Cognito)."""

from __future__ import annotations

from typing import Any, Protocol


class Accounts(Protocol):
    def disable(self, user_id: str) -> None:
        """No new sign-in and no valid session for this user (the Cognito `sub`); repeatable."""
        ...


class CognitoAccounts:
    """`client`: a boto3 cognito-idp client (untyped here: its stubs are not a dependency)."""

    def __init__(self, client: Any, user_pool_id: str) -> None:
        self._client = client
        self._pool = user_pool_id

    def disable(self, user_id: str) -> None:
        # Cognito takes the sub as the user name of a local user when it is not an alias.
        self._client.admin_disable_user(UserPoolId=self._pool, Username=user_id)
        # Revokes the refresh tokens; ID and access tokens lapse within their hour, and the
        # registry check refuses the deactivated professional on every route meanwhile.
        self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=user_id)


class NoUserPool:
    """A deployment without a user pool cannot disable accounts: saying so beats pretending."""

    def disable(self, user_id: str) -> None:
        raise RuntimeError("USER_POOL_ID is not configured: the account cannot be disabled")

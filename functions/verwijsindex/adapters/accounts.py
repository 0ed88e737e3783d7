"""The user directory behind the professionals' sign-in: an operator's invitation creates the
account, and when a professional leaves, their account is disabled and every session they hold is
ended (the port: ports/accounts.py; this adapter: Cognito)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from verwijsindex.ports.accounts import AccountExists

PROFESSIONAL_GROUP = "professional"
ORG_ID_CLAIM = "custom:org_id"


class CognitoAccounts:
    """`client`: a boto3 cognito-idp client (untyped here: its stubs are not a dependency)."""

    def __init__(self, client: Any, user_pool_id: str) -> None:
        self._client = client
        self._pool = user_pool_id

    def create(self, email: str, org_id: str, temporary_password: str) -> str:
        try:
            created = self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    # The operator vouches for the address; the invitation to it proves it.
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": ORG_ID_CLAIM, "Value": org_id},
                ],
                TemporaryPassword=temporary_password,
                # Cognito's own English invitation stays unsent: ours, in Dutch, goes through SES.
                MessageAction="SUPPRESS",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "UsernameExistsException":
                raise AccountExists from None
            raise
        attributes = {a["Name"]: a["Value"] for a in created["User"].get("Attributes", [])}
        user_id = str(attributes.get("sub") or created["User"]["Username"])
        self._client.admin_add_user_to_group(UserPoolId=self._pool, Username=user_id, GroupName=PROFESSIONAL_GROUP)
        return user_id

    def disable(self, user_id: str) -> None:
        # Cognito takes the sub as the user name of a local user when it is not an alias.
        self._client.admin_disable_user(UserPoolId=self._pool, Username=user_id)
        # Revokes the refresh tokens; ID and access tokens lapse within their hour, and the
        # registry check refuses the deactivated professional on every route meanwhile.
        self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=user_id)


class NoUserPool:
    """A deployment without a user pool cannot create or disable accounts: saying so beats pretending."""

    def create(self, email: str, org_id: str, temporary_password: str) -> str:
        raise RuntimeError("USER_POOL_ID is not configured: no account can be created")

    def disable(self, user_id: str) -> None:
        raise RuntimeError("USER_POOL_ID is not configured: the account cannot be disabled")

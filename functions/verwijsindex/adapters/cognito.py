"""Cognito's managed login for the portal: authorization code flow with PKCE, and sign-out.

The ID token comes straight from Cognito's token endpoint over TLS, so (as OpenID Connect
allows for that channel) its issuer, audience, expiry and nonce are checked, not its signature.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import urllib3

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


class LoginRefused(Exception):
    """The identity provider's answer cannot be trusted or used."""


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class CognitoLogin:
    def __init__(
        self,
        *,
        domain: str,
        client_id: str,
        issuer: str,
        user_pool_id: str,
        callback_url: str,
        signed_out_url: str,
        idp: CognitoIdentityProviderClient | None = None,
        http: urllib3.PoolManager | None = None,
    ) -> None:
        self.domain = domain
        self.client_id = client_id
        self.issuer = issuer
        self.user_pool_id = user_pool_id
        self.callback_url = callback_url
        self.signed_out_url = signed_out_url
        self._idp = idp
        self._http = http or urllib3.PoolManager(timeout=urllib3.Timeout(connect=2.0, read=5.0), retries=False)

    def authorize_url(self, state: str, challenge: str, nonce: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.callback_url,
            "scope": "openid email profile",
            "state": state,
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.domain}/oauth2/authorize?{urlencode(query)}"

    def logout_url(self) -> str:
        return f"{self.domain}/logout?{urlencode({'client_id': self.client_id, 'logout_uri': self.signed_out_url})}"

    def exchange(self, code: str, verifier: str, nonce: str, now: datetime) -> dict[str, Any]:
        """The ID token's claims for this code, checked."""
        response = self._http.request(
            "POST",
            f"{self.domain}/oauth2/token",
            body=urlencode(
                {
                    "grant_type": "authorization_code",
                    "client_id": self.client_id,
                    "code": code,
                    "redirect_uri": self.callback_url,
                    "code_verifier": verifier,
                }
            ),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 200:
            raise LoginRefused(f"token endpoint answered {response.status}")
        token = json.loads(response.data).get("id_token")
        if not isinstance(token, str) or token.count(".") != 2:
            raise LoginRefused("no ID token")
        payload = token.split(".")[1]
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if claims.get("iss") != self.issuer or claims.get("aud") != self.client_id:
            raise LoginRefused("ID token of another issuer or client")
        if claims.get("token_use") != "id" or claims.get("nonce") != nonce:
            raise LoginRefused("not the ID token of this sign-in")
        if not isinstance(claims.get("exp"), int) or claims["exp"] <= now.timestamp():
            raise LoginRefused("ID token expired")
        return claims

    def sign_out_everywhere(self, username: str) -> None:
        """Ends the person's Cognito sessions and refresh tokens on every device."""
        if self._idp is None:
            import boto3

            self._idp = boto3.client("cognito-idp")
        self._idp.admin_user_global_sign_out(UserPoolId=self.user_pool_id, Username=username)

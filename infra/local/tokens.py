"""Bearer tokens for the local run only: signed claims standing in for Cognito's JWTs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from typing import Any


class LocalTokens:
    def __init__(self, secret: bytes | None = None, disabled: Callable[[str], bool] = lambda _sub: False) -> None:
        # A new secret per process: tokens never outlive the local server that issued them.
        self._secret = secret or secrets.token_bytes(32)
        # A disabled account (a deactivated professional) gets no new token, as Cognito refuses
        # the sign-in. A token issued before still passes the gateway, as an ID token does until
        # it expires; the functions' registry check then refuses it (403).
        self.disabled = disabled

    def issue(self, claims: dict[str, str]) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(claims, sort_keys=True).encode()).decode().rstrip("=")
        return f"{payload}.{self._sign(payload)}"

    def claims(self, authorization: str | None) -> dict[str, Any] | None:
        """The claims of a valid `Bearer` token, else None (the caller is then anonymous)."""
        if not authorization or not authorization.startswith("Bearer "):
            return None
        payload, _, signature = authorization.removeprefix("Bearer ").strip().partition(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return decoded

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()

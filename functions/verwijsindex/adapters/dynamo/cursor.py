"""Opaque paging cursors: an organisation's signals and the rights requests (GSI1, GSI2), audit trails.

A Query's LastEvaluatedKey holds table keys, among them a youth's pseudonym: handed out as is, it
would give every organisation a stable identifier of the youth. So a cursor is that key sealed
with authenticated encryption (standard library only; the Lambda layer has no cipher package):
HMAC-SHA256 as a pseudo-random function in counter mode for confidentiality, then HMAC-SHA256 over
the scope, the nonce and the ciphertext (encrypt-then-MAC). Both keys are derived from the region's
secret pseudonym key under their own labels. The scope (the partition the Query read, e.g. the
caller's organisation) is authenticated but not carried, so a cursor opens only where it was issued.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.pseudonym import KeySource
from verwijsindex.domain.errors import Unprocessable

_VERSION = b"\x01"
_NONCE_BYTES = 16
_TAG_BYTES = 16
_BLOCK = hashlib.sha256().digest_size


@dataclass(frozen=True)
class CursorShape:
    """The key attributes a cursor of one Query carries, and which of them is its partition (the
    scope: it is checked, not carried)."""

    attributes: frozenset[str]
    partition: str

    @property
    def sealed(self) -> frozenset[str]:
        return self.attributes - {self.partition}


GSI1_CURSOR = CursorShape(attributes=frozenset({keys.PK, keys.SK, keys.GSI1PK, keys.GSI1SK}), partition=keys.GSI1PK)
GSI2_CURSOR = CursorShape(attributes=frozenset({keys.PK, keys.SK, keys.GSI2PK, keys.GSI2SK}), partition=keys.GSI2PK)
GSI3_CURSOR = CursorShape(attributes=frozenset({keys.PK, keys.SK, keys.GSI3PK, keys.GSI3SK}), partition=keys.GSI3PK)
# Not a cursor but the same seal: an item's own key handed out as an opaque reference (the operator's
# list of stuck work), which only the index itself can open again. Its scope names what it refers to.
ITEM_REFERENCE = CursorShape(attributes=frozenset({keys.PK, keys.SK, "reference"}), partition="reference")


def _invalid() -> Unprocessable:
    return Unprocessable("cursor is not valid", field="cursor")


class CursorSealer:
    def __init__(self, secret: KeySource) -> None:
        self._secret = secret

    def _keys(self) -> tuple[bytes, bytes]:
        secret = self._secret()
        encrypt = hmac.new(secret, b"vi-cursor-encrypt-v1", hashlib.sha256).digest()
        authenticate = hmac.new(secret, b"vi-cursor-authenticate-v1", hashlib.sha256).digest()
        return encrypt, authenticate

    @staticmethod
    def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
        blocks = (length + _BLOCK - 1) // _BLOCK
        return b"".join(hmac.new(key, nonce + n.to_bytes(4, "big"), hashlib.sha256).digest() for n in range(blocks))[
            :length
        ]

    @staticmethod
    def _tag(key: bytes, scope: str, nonce: bytes, ciphertext: bytes) -> bytes:
        scope_bytes = scope.encode("utf-8")
        message = _VERSION + len(scope_bytes).to_bytes(2, "big") + scope_bytes + nonce + ciphertext
        return hmac.new(key, message, hashlib.sha256).digest()[:_TAG_BYTES]

    def seal(self, last_key: dict[str, Any] | None, *, scope: str, shape: CursorShape = GSI1_CURSOR) -> str | None:
        """The cursor for a Query's LastEvaluatedKey in the partition `scope` (None: last page)."""
        if not last_key:
            return None
        values = {name: value for name, value in from_item(last_key).items() if name in shape.sealed}
        plaintext = json.dumps(values, separators=(",", ":"), sort_keys=True).encode("utf-8")
        encrypt, authenticate = self._keys()
        nonce = secrets.token_bytes(_NONCE_BYTES)
        ciphertext = bytes(
            a ^ b for a, b in zip(plaintext, self._keystream(encrypt, nonce, len(plaintext)), strict=True)
        )
        sealed = _VERSION + nonce + ciphertext + self._tag(authenticate, scope, nonce, ciphertext)
        return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")

    def open(self, cursor: str, *, scope: str, shape: CursorShape = GSI1_CURSOR) -> dict[str, Any]:
        """The ExclusiveStartKey of a cursor issued for `scope`, or a 422 naming the cursor."""
        try:
            sealed = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
        except (ValueError, binascii.Error) as error:
            raise _invalid() from error
        if len(sealed) <= 1 + _NONCE_BYTES + _TAG_BYTES or sealed[:1] != _VERSION:
            raise _invalid()
        nonce, ciphertext, tag = (
            sealed[1 : 1 + _NONCE_BYTES],
            sealed[1 + _NONCE_BYTES : -_TAG_BYTES],
            sealed[-_TAG_BYTES:],
        )
        encrypt, authenticate = self._keys()
        if not hmac.compare_digest(tag, self._tag(authenticate, scope, nonce, ciphertext)):
            raise _invalid()
        plaintext = bytes(
            a ^ b for a, b in zip(ciphertext, self._keystream(encrypt, nonce, len(ciphertext)), strict=True)
        )
        try:
            values = json.loads(plaintext)
        except ValueError as error:
            raise _invalid() from error
        if (
            not isinstance(values, dict)
            or set(values) != shape.sealed
            or not all(isinstance(v, str) for v in values.values())
        ):
            raise _invalid()
        return to_item({**values, shape.partition: scope})

"""HMAC-SHA256 pseudonyms of the BSN: the only form in which a BSN is ever a key.

Two keys: the regional key partitions this region's table (a leaked table cannot be
joined with another region's), the national key is held by every linked region so
the national index can recognise one youth across regions without seeing a BSN.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SSMProvider

KeySource = Callable[[], bytes]


class Pseudonymiser:
    def __init__(self, regional_key: KeySource, national_key: KeySource) -> None:
        self._regional_key = regional_key
        self._national_key = national_key

    @staticmethod
    def _hmac(key: bytes, purpose: bytes, bsn: str) -> str:
        # The purpose label keeps pseudonyms for different uses unlinkable even under one key.
        return hmac.new(key, purpose + b":" + bsn.encode("ascii"), hashlib.sha256).hexdigest()

    def regional(self, bsn: str) -> str:
        return self._hmac(self._regional_key(), b"vi-youth-v1", bsn)

    def national(self, bsn: str) -> str:
        return self._hmac(self._national_key(), b"vi-national-youth-v1", bsn)

    def imported_row(self, source: str, row_key: str) -> bytes:
        """A row of another index's file, recognised again when the file is imported twice; the
        key of the row (which may hold a BSN) is never stored, only this digest."""
        message = b"vi-import-row-v1:" + source.encode("utf-8") + b"\x00" + row_key.encode("utf-8")
        return hmac.new(self._regional_key(), message, hashlib.sha256).digest()


def static_key(value: str) -> KeySource:
    """A key given in the environment: local run and tests only."""
    encoded = value.encode("utf-8")
    if len(encoded) < 16:
        raise ValueError("a pseudonym key must be at least 16 bytes")
    return lambda: encoded


def ssm_key(parameter_name: str, max_age_seconds: int = 300) -> KeySource:
    """A key from an SSM SecureString, cached per container by Powertools Parameters."""

    def load() -> bytes:
        value = _parameters().get(parameter_name, decrypt=True, max_age=max_age_seconds)
        return str(value).encode("utf-8")

    return load


@cache
def _parameters() -> SSMProvider:
    """One provider per container, its client on boto3's default session: that client reuses the
    service data the DynamoDB client has loaded (Powertools' own provider starts a session of its
    own and loads it all again, on the first request)."""
    import boto3
    from aws_lambda_powertools.utilities.parameters import SSMProvider

    return SSMProvider(boto3_client=boto3.client("ssm"))

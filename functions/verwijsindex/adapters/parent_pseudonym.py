"""Pseudonyms of parents: how family matches are found without storing a parent.

The BRP gives a youth's parents as BSNs at placement. Only an HMAC of each parent BSN is
kept, with its own purpose label, so a parent key can never be compared with a youth key (a
parent who is also a signalled youth gets unlinkable pseudonyms) and a leaked table reveals
no BSN. Two of them: under the regional key (family matches in the region) and under the
national key (family matches across regions, through the national index).
"""

from __future__ import annotations

import hashlib
import hmac

from verwijsindex.adapters.pseudonym import KeySource

PARENT_PURPOSE = b"vi-parent-v1"
NATIONAL_PARENT_PURPOSE = b"vi-national-parent-v1"


def _hmac(key: bytes, purpose: bytes, bsn: str) -> str:
    return hmac.new(key, purpose + b":" + bsn.encode("ascii"), hashlib.sha256).hexdigest()


class ParentPseudonymiser:
    def __init__(self, regional_key: KeySource, national_key: KeySource) -> None:
        self._regional_key = regional_key
        self._national_key = national_key

    def parent(self, bsn: str) -> str:
        return _hmac(self._regional_key(), PARENT_PURPOSE, bsn)

    def national_parent(self, bsn: str) -> str:
        return _hmac(self._national_key(), NATIONAL_PARENT_PURPOSE, bsn)

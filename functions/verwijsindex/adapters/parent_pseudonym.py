"""Pseudonyms of parents: how family matches are found without storing a parent.

The BRP gives a youth's parents as BSNs at placement. Only an HMAC of each parent BSN
under the regional key is kept, with its own purpose label, so a parent key can never be
compared with a youth key (a parent who is also a signalled youth gets two unlinkable
pseudonyms) and a leaked table reveals no BSN.
"""

from __future__ import annotations

import hashlib
import hmac

from verwijsindex.adapters.pseudonym import KeySource

PARENT_PURPOSE = b"vi-parent-v1"


class ParentPseudonymiser:
    def __init__(self, regional_key: KeySource) -> None:
        self._regional_key = regional_key

    def parent(self, bsn: str) -> str:
        return hmac.new(self._regional_key(), PARENT_PURPOSE + b":" + bsn.encode("ascii"), hashlib.sha256).hexdigest()

"""The BRP Update API: follow a person (volgindicatie), and list the followed persons who changed.

- PUT /volgindicaties/{burgerservicenummer} {einddatum}: follow until that day (an upsert, so
  placing it again is harmless). The index follows a youth until its 23rd birthday, the day
  everything about it is destroyed, so the BSN is never needed after that.
- GET /wijzigingen?vanaf=YYYY-MM-DD: the BSNs of followed persons whose data changed on or
  after that day; the poller then reads them again through BRP bevragen.

This API puts the BSN in the URL path. The path therefore never reaches a message, a log line
or a traceback here: errors carry the status or the exception type, and BrpHttp redacts
urllib3's own log lines.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError

from verwijsindex.adapters.brp.http import BrpHttp, parse_json
from verwijsindex.domain.bsn import passes_elfproef
from verwijsindex.ports.person_registry import PersonRegistryError


class _Wijzigingen(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)

    burgerservicenummers: tuple[str, ...] = ()


class UpdateApiChangeFeed:
    def __init__(self, base_url: str, http: BrpHttp) -> None:
        self._base = base_url.rstrip("/")
        self._http = http
        _untraced(urlsplit(self._base).hostname or "")

    def follow(self, bsn: str, until: date) -> None:
        if not passes_elfproef(bsn):
            raise ValueError("not a valid BSN")
        url = f"{self._base}/volgindicaties/{quote(bsn)}"
        # 200: changed, 201: placed. Anything else raises inside send, without the URL.
        self._http.send("PUT", url, {"einddatum": until.isoformat()}, ok=frozenset({200, 201}))

    def changed_since(self, day: date) -> list[str]:
        reply = self._http.send("GET", f"{self._base}/wijzigingen?vanaf={day.isoformat()}", ok=frozenset({200}))
        data: Any = parse_json(reply, "BRP Update API")
        try:
            changed = _Wijzigingen.model_validate(data).burgerservicenummers
        except ValidationError:
            raise PersonRegistryError("BRP Update API reply is not the expected JSON") from None
        # A malformed entry is dropped, not echoed: it is one person we cannot act on anyway.
        return sorted({bsn for bsn in changed if passes_elfproef(bsn)})


def _untraced(hostname: str) -> None:
    """X-Ray's http.client patch records each request's URL path, here a BSN: calls to this host
    are left out of the traces. Only when the tracer loaded the patch (no import cost otherwise)."""
    patch = sys.modules.get("aws_xray_sdk.ext.httplib")
    if patch is not None and hostname:
        patch.add_ignored(hostname=hostname)

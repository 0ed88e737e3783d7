"""What the person registry can fail with: generic messages by contract, never a BSN or a name.

Its own module so that the REST functions' problem handlers can name these errors at import time
without loading the person model behind the port (a registry or rights request never needs it).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict


class PersonRegistryError(Exception):
    """The registry could not answer (network, auth, malformed reply); never contains a BSN."""


class RegistryUnavailable(PersonRegistryError):
    """The BRP is down, overloaded or slow (429, 503, timeouts, an open circuit): retry later.

    `retry_after` is the BRP's own Retry-After (or the circuit's cool-down) in seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidParam(BaseModel):
    """One entry of a Haal Centraal problem's `invalidParams`: names and reasons, never values."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    code: str = ""
    reason: str = ""


class RegistryMisconfigured(PersonRegistryError):
    """The BRP refused our request as such (400, 401, 403, 404, 406, 415): the region's link is
    configured wrongly (credentials, authorisation, fields). Retrying cannot help; the operator must act."""

    def __init__(self, message: str, status: int, code: str = "", invalid_params: Sequence[InvalidParam] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.invalid_params = tuple(invalid_params)


class PersonNotUsable(PersonRegistryError):
    """The BRP knows the person, but not well enough for the index's rules (a fully unknown
    birth date). It never changes by retrying: the caller gets a 422 with `reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

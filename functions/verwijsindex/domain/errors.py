"""Domain errors carry an HTTP status so the API layer can render RFC 9457 problems.

Messages are written for the caller and must never contain a BSN or a name.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, detail: str, *, field: str | None = None, fields: tuple[str, ...] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        # Several fields share one message when saying which is at fault would leak something.
        self.fields = fields or ((field,) if field else ())


class NotFound(DomainError):
    status = 404


# One answer for every refusal: it must not tell whether an organisation, a professional or a
# client id is registered, suspended or deactivated, nor what the caller lacks.
FORBIDDEN_DETAIL = "You are not allowed to do this."


class Forbidden(DomainError):
    """`reason` is for the code's reader only; the caller always gets FORBIDDEN_DETAIL."""

    status = 403

    def __init__(self, reason: str = "") -> None:
        super().__init__(FORBIDDEN_DETAIL)
        self.reason = reason


class TooManyRequests(DomainError):
    status = 429


class Unprocessable(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409

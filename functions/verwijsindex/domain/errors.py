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


class Forbidden(DomainError):
    status = 403


class Unprocessable(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409

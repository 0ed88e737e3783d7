"""Domain errors carry an HTTP status so the API layer can render RFC 9457 problems.

Messages are written for the caller and must never contain a BSN or a name.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class Unprocessable(DomainError):
    status = 422
    title = "Unprocessable request"


class Conflict(DomainError):
    status = 409
    title = "Conflict"

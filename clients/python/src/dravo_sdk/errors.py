"""The API's one error body, raised as exceptions.

Every 4xx/5xx from Dravo reads
`{"type": "validation_error" | "client_error" | "server_error", "errors": [{"code", "detail", "attr"}]}`;
`DravoError` carries it whole, so a caller (or an agent) can act on `code` and `attr`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorItem:
    code: str
    detail: str
    attr: str | None = None


class DravoError(Exception):
    """An answer other than 2xx. `errors` are the API's items; `retry_after` is the
    seconds a 429 or 503 asked to wait, if it said."""

    def __init__(self, status_code: int, type: str, errors: list[ErrorItem], *, retry_after: float | None = None):
        self.status_code = status_code
        self.type = type
        self.errors = errors
        self.retry_after = retry_after
        super().__init__(self.summary())

    @property
    def code(self) -> str | None:
        return self.errors[0].code if self.errors else None

    def summary(self) -> str:
        parts = [f"{item.attr}: {item.detail}" if item.attr else item.detail for item in self.errors]
        return f"HTTP {self.status_code} {self.type}: " + ("; ".join(parts) or "no detail")


class ValidationError(DravoError):
    """400: the request was refused; each item names the field (`attr`) and the reason."""


class AuthenticationError(DravoError):
    """401: the key is missing, malformed or revoked."""


class PermissionDenied(DravoError):
    """403."""


class NotFound(DravoError):
    """404: no such object in this workspace and mode."""


class Conflict(DravoError):
    """409: the object's state does not allow it (or an idempotency key is in flight)."""


class PreconditionFailed(DravoError):
    """412: the object changed since the revision given in If-Match."""


class RateLimited(DravoError):
    """429: over the key's budget; `retry_after` says when to try again."""


class ServerError(DravoError):
    """5xx."""


_BY_STATUS = {400: ValidationError, 401: AuthenticationError, 403: PermissionDenied, 404: NotFound,
              409: Conflict, 412: PreconditionFailed, 429: RateLimited}


def error_from_response(status_code: int, body: object, retry_after: float | None) -> DravoError:
    """The exception for an answer, whatever its body (a proxy's HTML page included)."""
    items: list[ErrorItem] = []
    kind = "server_error" if status_code >= 500 else "client_error"
    if isinstance(body, dict):
        kind = str(body.get("type") or kind)
        for raw in body.get("errors") or []:
            if isinstance(raw, dict):
                items.append(ErrorItem(str(raw.get("code", "")), str(raw.get("detail", "")), raw.get("attr")))
    if not items:
        items.append(ErrorItem("http_error", f"HTTP {status_code} with no error body"))
    cls = ServerError if status_code >= 500 else _BY_STATUS.get(status_code, DravoError)
    return cls(status_code, kind, items, retry_after=retry_after)

"""Errors shared by every app, in the body format of drf-standardized-errors.

Services raise domain errors (DomainError and its subclasses): plain exceptions that
carry the status and stable code they answer with, and that a worker, a form or the
admin can catch without knowing HTTP. The one EXCEPTION_HANDLER
(dravo.exception_handler) maps them to the HTTP answer.
Django-level 400/403/404/500 (no DRF view involved) are rendered the same way under /v1,
an unknown /v1 path is answered by `not_found`, and ApiErrorMiddleware turns whatever
page is left (DEBUG's, which Django shows instead of calling the handlers) into the same
body, so no error under /v1 is ever an HTML page, with DRAVO_DEBUG on as well as off.
"""

from http import HTTPStatus

from django.http import JsonResponse
from django.views.defaults import bad_request, page_not_found, permission_denied, server_error
from rest_framework import status
from rest_framework.exceptions import APIException


class DomainError(Exception):
    """A refusal a service raises; `detail` says why, `default_code` is the stable code,
    `status_code` the HTTP status the API answers with, `wait` (seconds) its Retry-After."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request cannot be carried out."
    default_code = "invalid"
    wait: int | None = None

    def __init__(self, detail: str | None = None):
        self.detail = str(self.default_detail if detail is None else detail)
        super().__init__(self.detail)


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class Unavailable(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "A service Dravo depends on cannot be reached; try again shortly."
    default_code = "unavailable"


class Unprocessable(DomainError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class IdempotencyKeyReused(Unprocessable):
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used with a different request body."


class IdempotencyKeyInFlight(Conflict):
    default_code = "idempotency_key_in_flight"
    default_detail = "A request with this Idempotency-Key is still being processed."
    wait = 1  # seconds, sent as Retry-After


def error_items(detail, prefix: str = "") -> list[tuple[str, str, str]]:
    """A DRF error detail (dict / list / ErrorDetail, nested) as (attr, message, code)
    triples, with the attr names of the API's error body (as drf-standardized-errors
    writes them): dotted, `non_field_errors` folded into its parent, and a list item that
    is itself a dict or list named by its index (`account_ids.0`, `platform_options.x.thread.1`).
    The one flattener of the API's service checks, the dashboard's forms and the admin."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            key = str(key)
            attr = prefix if key == "non_field_errors" else (f"{prefix}.{key}" if prefix else key)
            items += error_items(value, attr)
        return items
    if isinstance(detail, list):
        items = []
        for index, item in enumerate(detail):
            nested = isinstance(item, (dict, list))
            items += error_items(item, (f"{prefix}.{index}" if prefix else str(index)) if nested else prefix)
        return items
    return [(prefix, str(detail), getattr(detail, "code", None) or "invalid")]


def flatten_errors(detail, prefix: str = "") -> list[tuple[str, str]]:
    """error_items without the codes: (attr, message) pairs, for forms."""
    return [(attr, message) for attr, message, _ in error_items(detail, prefix)]


def error_text(exc: Exception) -> str:
    """One line for a person (a dashboard message, the admin) from a DRF exception or a
    domain error: every message of a validation error, joined."""
    detail = getattr(exc, "detail", str(exc))
    if isinstance(detail, (dict, list)):
        return " ".join(message for _, message in flatten_errors(detail))
    return str(detail)


def error_body(*, type_: str, code: str, detail: str, attr: str | None = None) -> dict:
    return {"type": type_, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def _is_api(request) -> bool:
    return request.path.startswith("/v1/") or request.path == "/v1"


def not_found(request, *args, **kwargs):
    """Every path under /v1 that no route matches (any method, trailing slash or not).

    A URL route rather than only handler404, because with DEBUG on Django answers an
    unmatched path with its HTML debug page and never calls handler404."""
    return JsonResponse(error_body(type_="client_error", code="not_found", detail="Not found."), status=404)


def handler400(request, exception=None):
    if _is_api(request):
        body = error_body(type_="client_error", code="bad_request", detail="Bad request.")
        return JsonResponse(body, status=400)
    return bad_request(request, exception)


def handler403(request, exception=None):
    if _is_api(request):
        body = error_body(
            type_="client_error", code="permission_denied", detail="You do not have permission to perform this action."
        )
        return JsonResponse(body, status=403)
    return permission_denied(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return not_found(request)
    return page_not_found(request, exception)


def handler500(request):
    if _is_api(request):
        body = error_body(type_="server_error", code="error", detail="Server Error (500)")
        return JsonResponse(body, status=500)
    return server_error(request)


# The code of a Django-level error, by status (as drf-standardized-errors names them).
CODES = {
    400: "bad_request",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    500: "error",
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiErrorMiddleware:
    """Outermost middleware: an error answer under /v1 that is not JSON becomes the
    standard body with the same status (and its Allow/Retry-After headers).

    With DEBUG on, Django answers a SuspiciousOperation (a bad Host header) or an
    exception outside any view with its HTML debug page instead of calling handler400/500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or not _is_api(request) or content_type.startswith("application/json"):
            return response
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        body = error_body(
            type_="server_error" if status >= 500 else "client_error",
            code=CODES.get(status, "error"),
            detail=f"{phrase}.",
        )
        replacement = JsonResponse(body, status=status)
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement

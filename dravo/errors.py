"""Errors shared by every app, in the body format of drf-standardized-errors.

Domain errors subclass DRF's APIException so the one EXCEPTION_HANDLER renders them.
Django-level 404/500 (no DRF view involved) are rendered the same way under /v1.
"""

from django.http import JsonResponse
from django.views.defaults import page_not_found, server_error
from rest_framework import status
from rest_framework.exceptions import APIException


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class Unprocessable(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"


def error_body(*, type_: str, code: str, detail: str, attr: str | None = None) -> dict:
    return {"type": type_, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def _is_api(request) -> bool:
    return request.path.startswith("/v1/") or request.path == "/v1"


def handler404(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body(type_="client_error", code="not_found", detail="Not found."), status=404)
    return page_not_found(request, exception)


def handler500(request):
    if _is_api(request):
        body = error_body(type_="server_error", code="error", detail="Server Error (500)")
        return JsonResponse(body, status=500)
    return server_error(request)

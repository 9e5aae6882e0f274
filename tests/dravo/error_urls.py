"""Dravo's URLs plus views that raise, to exercise the error handlers: DRF views, and
plain Django views, whose errors DRF's handler never sees."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from rest_framework.decorators import api_view

from dravo.errors import Conflict, Unprocessable
from dravo.urls import handler400, handler403, handler404, handler500  # noqa: F401
from dravo.urls import urlpatterns as dravo_urlpatterns


@api_view(["GET"])
def conflict(request):
    raise Conflict("Already in flight.")


@api_view(["GET"])
def unprocessable(request):
    raise Unprocessable("Same key, other body.")


@api_view(["GET"])
def boom(request):
    raise RuntimeError("secret internals")


def plain_boom(request):
    raise RuntimeError("secret internals")


def plain_forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("v1/_test/plain-boom", plain_boom),
    path("v1/_test/plain-forbidden", plain_forbidden),
    path("v1/_test/conflict", conflict),
    path("v1/_test/unprocessable", unprocessable),
    path("v1/_test/boom", boom),
    *dravo_urlpatterns,
]

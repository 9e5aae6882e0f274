"""Dravo's URLs plus three views that raise, to exercise the error handler."""

from django.urls import path
from rest_framework.decorators import api_view

from dravo.errors import Conflict, Unprocessable
from dravo.urls import handler404, handler500  # noqa: F401
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


urlpatterns = [
    path("v1/_test/conflict", conflict),
    path("v1/_test/unprocessable", unprocessable),
    path("v1/_test/boom", boom),
    *dravo_urlpatterns,
]

"""The time zone each request renders in: UTC for the API, the browser's for pages.

Django keeps the active zone in a thread (or task) local, and a server thread serves one
request after another; a zone activated by one request and never reset would leak into
the next one on that thread, so an API answer would carry `+01:00` or `Z` depending on
which thread served it. This middleware activates the zone for the one request and
always resets it afterwards.
"""

import zoneinfo
from datetime import UTC
from urllib.parse import unquote

from django.utils import timezone

API_PREFIX = "/v1/"
TZ_COOKIE = "dravo_tz"  # set by dashboard.js to the browser's IANA zone


def browser_zone(request) -> zoneinfo.ZoneInfo:
    """The zone named by the browser's cookie; UTC while unknown or not a real zone."""
    try:
        return zoneinfo.ZoneInfo(unquote(request.COOKIES.get(TZ_COOKIE, "")) or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class TimeZoneMiddleware:
    """API requests (`/v1/…`) run in UTC, whatever a previous request left active, so API
    times always end in `Z`. Every other request (the dashboard, the admin, the connect
    pages) runs in the browser's zone, kept on `request.tz` for the templates. The zone is
    deactivated when the response is done, even when the view raised."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            timezone.activate(UTC)
        else:
            request.tz = browser_zone(request)
            timezone.activate(request.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

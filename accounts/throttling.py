"""The API's request budgets, as DRF throttles over accounts.services.rate_limits.

Counters are exact under concurrency and shared by every process: Redis when
DRAVO_CACHE_URL is set, else a row in the database. Over budget is a 429 with
`Retry-After` (seconds until the window, which opens at the first request, closes).
"""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from accounts import services


def client_ip(request) -> str:
    """The caller's address: REMOTE_ADDR, or with DRAVO_NUM_PROXIES = n trusted proxies in
    front, the n-th address from the right of X-Forwarded-For (a client cannot forge it)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return remote


class _Budget(BaseThrottle):
    retry_after: float | None = None

    def wait(self):
        return self.retry_after


class ApiKeyRateThrottle(_Budget):
    """One budget per API key (or per JWT user and workspace, or per address for anonymous
    calls): DRAVO_THROTTLE_RATE, read per request so a changed setting applies at once."""

    def allow_request(self, request, view):
        limit, period = services.parse_rate(settings.THROTTLE_RATE)
        self.retry_after = services.rate_limit_hit(ident=self.ident(request), limit=limit, period=period)
        return self.retry_after is None

    def ident(self, request) -> str:
        auth = request.auth
        if auth is None:
            return f"api:ip:{client_ip(request)}"
        return "api:" + (getattr(auth, "throttle_key", None) or f"key:{auth.pk}")


class LoginRateThrottle(_Budget):
    """POST /v1/auth/token: a per-username and a per-address budget, counting every attempt."""

    def allow_request(self, request, view):
        username = request.data.get("username") if isinstance(request.data, dict) else None
        self.retry_after = services.login_attempt_spend(
            username=username if isinstance(username, str) else "", ip=client_ip(request)
        )
        return self.retry_after is None

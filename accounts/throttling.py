from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApiKeyRateThrottle(SimpleRateThrottle):
    """One budget per API key (or per JWT user and workspace): DRAVO_THROTTLE_RATE.

    The rate is read per request so that a changed setting takes effect without a
    re-import; the counter lives in the default cache (Redis when DRAVO_CACHE_URL is set).
    """

    scope = "api_key"

    def get_rate(self):
        return settings.THROTTLE_RATE

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        auth = request.auth
        if auth is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        ident = getattr(auth, "throttle_key", None) or f"key:{auth.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

"""The API docs pages, served fully offline: Swagger UI and ReDoc come from
drf-spectacular-sidecar's static files, and a Content-Security-Policy keeps the browser
from fetching anything from another host (ReDoc's bundle would load a logo from a CDN)."""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# Same origin only. Inline scripts and styles are drf-spectacular's page setup and the
# styles ReDoc injects; `blob:` is ReDoc's search worker; `data:` its inline images.
DOCS_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self'",
])  # fmt: skip


class _OfflineDocs:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response


class SwaggerView(_OfflineDocs, SpectacularSwaggerView):
    """Swagger UI at /v1/docs."""


class RedocView(_OfflineDocs, SpectacularRedocView):
    """ReDoc at /v1/redoc (its page template drops the Google Fonts links)."""

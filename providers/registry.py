"""The one place that maps a provider name to its client class."""

from django.conf import settings

from providers.base import ProviderClient
from providers.errors import ProviderError
from providers.facebook import FacebookClient
from providers.instagram import InstagramClient
from providers.linkedin import LinkedInClient
from providers.tiktok import TikTokClient
from providers.x import XClient

CLIENTS: dict[str, type[ProviderClient]] = {
    "facebook": FacebookClient,
    "instagram": InstagramClient,
    "x": XClient,
    "linkedin": LinkedInClient,
    "tiktok": TikTokClient,
}
PROVIDERS = tuple(CLIENTS)


class SandboxDisabled(ProviderError):
    """A test-mode account while DRAVO_SANDBOX is off: nothing is sent anywhere."""

    code = "sandbox_disabled"


def endpoints_for(provider: str, *, sandbox: bool) -> dict:
    """The base URLs and API version a client of `provider` uses: the network's own from
    settings, or for a test-mode account every host replaced by this Dravo's sandbox."""
    endpoints = dict(settings.PROVIDER_ENDPOINTS[provider])
    if sandbox:
        if not settings.SANDBOX_ENABLED:
            raise SandboxDisabled("Test-mode accounts need the sandbox, and DRAVO_SANDBOX is off.")
        root = f"{settings.SANDBOX_URL}/sandbox/{provider}"
        endpoints = {key: value if key == "api_version" else root for key, value in endpoints.items()}
    return endpoints


def app_for(provider: str, *, sandbox: bool) -> dict:
    """The OAuth app (client_id, client_secret) a client of `provider` refreshes with."""
    return dict(settings.SANDBOX_APP if sandbox else settings.PROVIDER_APPS[provider])


def get_client(provider: str, credentials: dict, *, sandbox: bool) -> ProviderClient:
    return CLIENTS[provider](
        credentials, endpoints=endpoints_for(provider, sandbox=sandbox), app=app_for(provider, sandbox=sandbox)
    )

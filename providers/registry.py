"""The only list of networks. Everything that varies by network (settings, the account's
provider choices and credential checks, social-auth backends and scopes, token refresh,
the compose form, analytics, templates, `python -m providers.check`) reads it.

Adding a network is one folder, `providers/<network>/`, and one line in NETWORKS.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from providers.base import ProviderClient
from providers.bluesky.network import NETWORK as BLUESKY
from providers.errors import ProviderError
from providers.facebook.network import NETWORK as FACEBOOK
from providers.google_business.network import NETWORK as GOOGLE_BUSINESS
from providers.instagram.network import NETWORK as INSTAGRAM
from providers.linkedin.network import NETWORK as LINKEDIN
from providers.mastodon.network import NETWORK as MASTODON
from providers.network import Network
from providers.pinterest.network import NETWORK as PINTEREST
from providers.telegram.network import NETWORK as TELEGRAM
from providers.threads.network import NETWORK as THREADS
from providers.tiktok.network import NETWORK as TIKTOK
from providers.wordpress.network import NETWORK as WORDPRESS
from providers.x.network import NETWORK as X
from providers.youtube.network import NETWORK as YOUTUBE

# One line per network; this order is the order of every list and menu.
NETWORKS: dict[str, Network] = {
    network.key: network
    for network in (
        FACEBOOK,
        INSTAGRAM,
        X,
        LINKEDIN,
        TIKTOK,
        THREADS,
        MASTODON,
        BLUESKY,
        TELEGRAM,
        PINTEREST,
        YOUTUBE,
        GOOGLE_BUSINESS,
        WORDPRESS,
    )
}
CLIENTS: dict[str, type[ProviderClient]] = {key: network.client for key, network in NETWORKS.items()}
PROVIDERS = tuple(NETWORKS)
CHOICES = [(key, network.label) for key, network in NETWORKS.items()]


def network(key: str) -> Network:
    """The descriptor of network `key` (KeyError for an unknown one)."""
    return NETWORKS[key]


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
    """The client of one account. A test-mode account's calls go through the session the
    sandbox app builds (the SANDBOX_SESSION setting), which adds what the sandbox reads
    (the account's behaviour); the client itself sends nothing sandbox-specific."""
    client = CLIENTS[provider]
    session = import_string(settings.SANDBOX_SESSION)(credentials, client.account_credential) if sandbox else None
    return client(
        credentials,
        endpoints=endpoints_for(provider, sandbox=sandbox),
        app=app_for(provider, sandbox=sandbox),
        session=session,
    )

# Placeholder, replaced by the real facebook client.
from providers.base import ProviderClient


class FacebookClient(ProviderClient):  # type: ignore[misc]
    name = "facebook"

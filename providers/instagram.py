# Placeholder, replaced by the real instagram client.
from providers.base import ProviderClient


class InstagramClient(ProviderClient):  # type: ignore[misc]
    name = "instagram"

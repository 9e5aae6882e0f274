# Placeholder, replaced by the real tiktok client.
from providers.base import ProviderClient


class TikTokClient(ProviderClient):  # type: ignore[misc]
    name = "tiktok"

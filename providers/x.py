# Placeholder, replaced by the real x client.
from providers.base import ProviderClient


class XClient(ProviderClient):  # type: ignore[misc]
    name = "x"

# Placeholder, replaced by the real linkedin client.
from providers.base import ProviderClient


class LinkedInClient(ProviderClient):  # type: ignore[misc]
    name = "linkedin"

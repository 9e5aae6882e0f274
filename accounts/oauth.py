"""The social-auth backend of every network, by key. Each backend lives in its network's
folder (`providers/<network>/oauth.py`) and is listed in settings' AUTHENTICATION_BACKENDS
from the registry; the session keys of the connect flow are shared (providers.oauth)."""

from django.utils.module_loading import import_string

from providers import registry
from providers.oauth import SESSION_LINK, SESSION_MODE

BACKENDS = {key: import_string(network.oauth_backend) for key, network in registry.NETWORKS.items()}

__all__ = ["BACKENDS", "SESSION_LINK", "SESSION_MODE"]

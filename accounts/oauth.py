"""The social-auth backend of every network, by key. Each backend lives in its network's
folder (`providers/<network>/oauth.py`) and is listed in settings' AUTHENTICATION_BACKENDS
from the registry; what they share (the session keys of the connect flow among it) is in
providers.oauth. A network without hosted connect (no `oauth_backend`) has none."""

from django.utils.module_loading import import_string

from providers import registry

BACKENDS = {
    key: import_string(network.oauth_backend) for key, network in registry.NETWORKS.items() if network.oauth_backend
}

"""The social-auth backend of every network, by key. Each backend lives in its network's
folder (`providers/<network>/oauth.py`) and is listed in settings' AUTHENTICATION_BACKENDS
from the registry; what they share (the session keys of the connect flow among it) is in
providers.oauth. A network without hosted connect (no `oauth_backend`) has none."""

from django.utils.module_loading import import_string

from providers import registry


def no_oauth_reason(provider: str) -> str:
    """Why `provider` has no hosted connect (a network without OAuth), or "" when it has one."""
    network = registry.network(provider)
    if network.has_oauth:
        return ""
    fields = ", ".join(["credentials.access_token", *(f"credentials.{name}" for name in network.credential_names)])
    helps = " ".join(credential.help_text for credential in network.credentials if credential.help_text)
    helps = f"{network.connect_hint} {helps}".strip()
    reason = f"{network.label} has no OAuth connect: connect the account with its token (POST /v1/accounts, {fields})."
    return f"{reason} {helps}".strip()


BACKENDS = {
    key: import_string(network.oauth_backend) for key, network in registry.NETWORKS.items() if network.has_oauth
}

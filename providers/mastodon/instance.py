"""The Mastodon server an account lives on: its base URL (given by the user, so never
trusted) and the HTTP session that reaches it.

An instance URL must be `https://` plus a public host name on the default port, with no
credentials, path, query or fragment. At connect its name must resolve to public
addresses only (`check_public`); afterwards every call goes through a session that
resolves the name itself, pins the connection to the address it checked and refuses
private, loopback and reserved ones (requests-hardened), so an instance that later
resolves inside our network is still not reached. The checks and the session are shared
with other user-given hosts (providers.public_host); the URL rules here are Mastodon's.
"""

from providers import public_host
from providers.public_host import guarded_session

__all__ = ["InstanceRefused", "check_public", "guarded_session", "instance_base"]


class InstanceRefused(public_host.HostRefused):
    """The instance URL breaks the rules above (permanent)."""

    code = "instance_refused"


def instance_base(url: str) -> str:
    """`https://host` from a user-given instance URL ("mastodon.social" is read as
    https://mastodon.social). Raises InstanceRefused for anything else. No I/O."""
    parts = public_host.https_url(
        url, refused=InstanceRefused, what="instance", shape="https://<host>", example="https://mastodon.social"
    )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InstanceRefused("The instance URL must be the server's address only, e.g. https://mastodon.social.")
    return f"https://{parts.netloc}"


def check_public(base: str) -> None:
    """Raises InstanceRefused unless the host of `base` resolves, and only to public
    addresses. Resolves the name (I/O)."""
    public_host.check_public(base, refused=InstanceRefused, what="instance host")

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

from urllib.parse import urlsplit

from providers import public_host
from providers.public_host import guarded_session

__all__ = ["InstanceRefused", "check_public", "guarded_session", "instance_base"]


class InstanceRefused(public_host.HostRefused):
    """The instance URL breaks the rules above (permanent)."""

    code = "instance_refused"


def instance_base(url: str) -> str:
    """`https://host` from a user-given instance URL ("mastodon.social" is read as
    https://mastodon.social). Raises InstanceRefused for anything else. No I/O."""
    url = (url or "").strip()
    if url and "://" not in url:
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InstanceRefused(f"{url!r} is not a valid instance URL.") from exc
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme != "https" or not host:
        raise InstanceRefused("The instance URL must be https://<host>, e.g. https://mastodon.social.")
    if parts.username or parts.password or port not in (None, 443):
        raise InstanceRefused("The instance URL must have no user name, password or port.")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InstanceRefused("The instance URL must be the server's address only, e.g. https://mastodon.social.")
    if not public_host.is_public_name(host):
        raise InstanceRefused(f"{host} is not a public host name.")
    return f"https://{host.lower()}"


def check_public(base: str) -> None:
    """Raises InstanceRefused unless the host of `base` resolves, and only to public
    addresses. Resolves the name (I/O)."""
    public_host.check_public(base, refused=InstanceRefused, what="instance host")

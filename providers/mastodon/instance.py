"""The Mastodon server an account lives on: its base URL (given by the user, so never
trusted) and the HTTP session that reaches it.

An instance URL must be `https://` plus a public host name on the default port, with no
credentials, path, query or fragment. At connect its name must resolve to public
addresses only (`check_public`); afterwards every call goes through a session that
resolves the name itself, pins the connection to the address it checked and refuses
private, loopback and reserved ones (requests-hardened), so an instance that later
resolves inside our network is still not reached.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from requests_hardened import Config, HTTPSession

from providers import http
from providers.errors import Rejected

_session: HTTPSession | None = None


class InstanceRefused(Rejected):
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
    if _is_ip(host) or "." not in host or host.endswith((".local", ".localhost", ".internal", ".lan")):
        raise InstanceRefused(f"{host} is not a public host name.")
    return f"https://{host.lower()}"


def check_public(base: str) -> None:
    """Raises InstanceRefused unless the host of `base` resolves, and only to public
    addresses. Resolves the name (I/O)."""
    host = urlsplit(base).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError) as exc:
        raise InstanceRefused(f"The instance host {host} does not resolve.") from exc
    private = sorted(address for address in addresses if not _is_public(ipaddress.ip_address(address.split("%")[0])))
    if private or not addresses:
        raise InstanceRefused(f"The instance host {host} resolves to a non-public address ({', '.join(private)}).")


def guarded_session() -> HTTPSession:
    """The session of every call to a live account's instance (address pinned and checked)."""
    global _session
    if _session is None:
        config = Config(
            ip_filter_enable=True,
            ip_filter_allow_loopback_ips=False,
            never_redirect=True,
            default_timeout=(settings.HTTP_CONNECT_TIMEOUT, settings.HTTP_READ_TIMEOUT),
            user_agent_override=http.USER_AGENT,
        )
        _session = HTTPSession(config)
        _session.trust_env = False
    return _session


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _is_public(ip) -> bool:
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)

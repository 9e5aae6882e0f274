"""Hosts a user names (a federated server, a self-hosted site): never trusted.

A user-given host must be a public host name (not an IP address, not a local name). When
an account connects, its name must resolve to public addresses only (`check_public`);
afterwards every call goes through a session that resolves the name itself, pins the
connection to the address it checked and refuses private, loopback and reserved ones
(requests-hardened, `guarded_session`), so a host that later resolves inside our network
is still not reached.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from requests_hardened import Config, HTTPSession

from providers import http
from providers.errors import Rejected

LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan")
_session: HTTPSession | None = None


class HostRefused(Rejected):
    """A user-given host or URL breaks the rules above (permanent)."""

    code = "host_refused"


def is_public_name(host: str) -> bool:
    """Whether `host` looks like a public host name: not an IP address, with a dot, not a
    local suffix. No I/O (resolving is check_public's)."""
    host = host.rstrip(".").lower()
    return bool(host) and not is_ip(host) and "." in host and not host.endswith(LOCAL_SUFFIXES)


def https_url(url: str, *, refused: type[HostRefused], what: str, shape: str, example: str):
    """The parts (urlsplit) of a user-given https URL of a public host on the default port,
    without user name or password ("example.org" is read as https://example.org; the host
    lower-cased, without a trailing dot). Its path, query and fragment are the caller's to
    check. Raises `refused` naming the `what` URL, its `shape` and an `example`. No I/O."""
    url = (url or "").strip()
    if url and "://" not in url:
        url = f"https://{url}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise refused(f"{url!r} is not a valid {what} URL.") from exc
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https" or not host:
        raise refused(f"The {what} URL must be {shape}, e.g. {example}.")
    if parts.username or parts.password or port not in (None, 443):
        raise refused(f"The {what} URL must have no user name, password or port.")
    if not is_public_name(host):
        raise refused(f"{host} is not a public host name.")
    return parts._replace(netloc=host)


def check_public(base: str, *, refused: type[HostRefused] = HostRefused, what: str = "host") -> None:
    """Raises `refused` unless the host of `base` resolves, and only to public addresses.
    Resolves the name (I/O)."""
    host = urlsplit(base).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError) as exc:
        raise refused(f"The {what} {host} does not resolve.") from exc
    private = sorted(address for address in addresses if not is_public(ipaddress.ip_address(address.split("%")[0])))
    if private or not addresses:
        raise refused(f"The {what} {host} resolves to a non-public address ({', '.join(private)}).")


def guarded_session() -> HTTPSession:
    """The session of every call to a user-given host (address pinned and checked)."""
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


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_public(ip) -> bool:
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)

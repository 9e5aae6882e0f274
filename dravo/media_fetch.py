"""Downloading a media URL a user gave us, without letting the URL reach inside our network.

requests-hardened resolves each host once, pins the connection to that address and
refuses private and loopback ranges (IPv4-mapped IPv6 included); its adapter runs on
every hop, so a redirect to a private address is refused too. On top, on every hop:
only http/https, only ports 80/443, only globally routable unicast addresses (no
reserved, link-local or multicast), at most DRAVO_MEDIA_FETCH_MAX_REDIRECTS redirects,
followed one by one without reading their bodies.
Hosts named in DRAVO_MEDIA_ALLOWED_HOSTS skip the address and port rules: for tests
only, empty by default (dev mode too).

Timeouts: connect and read per socket operation, and a total time limit for the body.
The size cap of the file's kind (sniffed from its first bytes) is enforced while the
body streams, before anything is kept.
"""

import ipaddress
import time
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests_hardened import Config, HTTPSession
from requests_hardened.ip_filter import InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter

from dravo.media_inspect import HEAD_BYTES, MediaRejected, sniff_kind, unsupported

USER_AGENT = "Dravo-Media/1.0 (+https://dravo.dev)"
CHUNK = 64 * 1024
ALLOWED_PORTS = {"http": 80, "https": 443}


class UrlRefused(requests.RequestException):
    """A hop's URL breaks the scheme or port rule."""


def _allowed_host(host: str | None, setting: str = "MEDIA_ALLOWED_HOSTS") -> bool:
    return bool(host) and host.lower() in getattr(settings, setting)


def check_url(url: str, allowed_hosts_setting: str = "MEDIA_ALLOWED_HOSTS") -> None:
    """Raises UrlRefused unless `url` is http(s) with a host, on the scheme's default port
    (any port for a host listed in the setting named `allowed_hosts_setting`)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"{url!r} is not a valid URL.") from exc
    if parts.scheme not in ALLOWED_PORTS or not parts.hostname:
        raise UrlRefused("Only http:// and https:// URLs are allowed.")
    if port not in (None, ALLOWED_PORTS[parts.scheme]) and not _allowed_host(parts.hostname, allowed_hosts_setting):
        raise UrlRefused(f"Only the default ports are allowed (80 for http, 443 for https), not {port}.")


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


class GuardedAdapter(IPFilterAdapter):
    """requests-hardened's IP-pinning adapter plus Dravo's per-hop URL and address rules.
    The hosts that skip them are those of the setting `allowed_hosts_setting` names."""

    allowed_hosts_setting = "MEDIA_ALLOWED_HOSTS"

    def send(self, request, **kwargs):
        check_url(request.url, self.allowed_hosts_setting)
        return super().send(request, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        if _allowed_host(urlsplit(request.url).hostname, self.allowed_hosts_setting):
            return HTTPAdapter.build_connection_pool_key_attributes(self, request, verify, cert)
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        ip = ipaddress.ip_address(host_params["host"].strip("[]"))  # the pinned, already resolved address
        if not is_public(ip):
            raise InvalidIPAddress(ip)
        return host_params, pool_kwargs


def _session() -> requests.Session:
    timeout = (settings.MEDIA_FETCH_CONNECT_TIMEOUT, settings.MEDIA_FETCH_READ_TIMEOUT)
    config = Config(
        ip_filter_enable=False,
        ip_filter_allow_loopback_ips=False,
        never_redirect=False,
        default_timeout=timeout,
        user_agent_override=USER_AGENT,
    )
    session = HTTPSession(config)
    session.mount("http://", GuardedAdapter(is_https_proto=False))
    session.mount("https://", GuardedAdapter(is_https_proto=True))
    session.trust_env = False  # no proxies or .netrc from the environment
    return session


def download(url: str, into: BinaryIO) -> None:
    """Stream `url` into `into` (a temporary file the caller discards on failure).

    Raises MediaRejected with code `url_not_allowed`, `private_address`,
    `too_many_redirects`, `fetch_timeout`, `fetch_failed`, `unsupported_media_type` or
    `too_large`. Safe to repeat; nothing is kept here."""
    deadline = time.monotonic() + settings.MEDIA_FETCH_TOTAL_TIMEOUT
    try:
        with _session() as session, _follow(session, url, deadline) as resp:
            if resp.status_code != 200:
                raise MediaRejected("fetch_failed", f"The media URL answered HTTP {resp.status_code}, not 200.")
            _stream(resp, into, deadline=deadline)
    except requests.RequestException as exc:
        raise _rejection(exc) from exc
    except urllib3.exceptions.TimeoutError as exc:
        raise MediaRejected("fetch_timeout", "The media URL stopped sending data.") from exc
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise MediaRejected("fetch_failed", f"The download broke off ({exc.__class__.__name__}).") from exc


def _follow(session: requests.Session, url: str, deadline: float) -> requests.Response:
    """The first non-redirect answer, following at most max_redirects redirects by hand so
    that a redirect's body is never read and every hop is checked again."""
    for _ in range(settings.MEDIA_FETCH_MAX_REDIRECTS + 1):
        if time.monotonic() > deadline:
            raise requests.Timeout("total time limit")
        check_url(url)
        resp = session.get(url, stream=True, allow_redirects=False, headers={"Accept-Encoding": "identity"})
        target = session.get_redirect_target(resp)
        if target is None:
            return resp
        resp.close()
        url = requests.utils.requote_uri(urljoin(url, target))
    raise requests.TooManyRedirects()


def _rejection(exc: requests.RequestException) -> MediaRejected:
    if isinstance(exc, InvalidIPAddress):
        return MediaRejected(
            "private_address",
            f"The media URL leads to a private, loopback, link-local or reserved address ({exc}); "
            "only public addresses are fetched.",
        )
    if isinstance(exc, (UrlRefused, requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL)):
        return MediaRejected("url_not_allowed", str(exc) or "This URL cannot be fetched.")
    if isinstance(exc, requests.TooManyRedirects):
        limit = settings.MEDIA_FETCH_MAX_REDIRECTS
        return MediaRejected("too_many_redirects", f"The media URL redirects more than {limit} times.")
    if isinstance(exc, requests.Timeout):
        return MediaRejected("fetch_timeout", "The media URL did not answer in time.")
    return MediaRejected("fetch_failed", f"The media URL could not be fetched ({exc.__class__.__name__}).")


def _stream(resp: requests.Response, into: BinaryIO, *, deadline: float) -> None:
    """Copy the body, sniffing the kind from its first bytes to apply that kind's cap."""
    declared = int(resp.headers.get("Content-Length") or 0)
    if declared > max(settings.MEDIA_MAX_BYTES.values()):
        raise too_large(None, declared)
    cap, written = None, 0
    while chunk := resp.raw.read1(CHUNK, decode_content=False):
        if time.monotonic() > deadline:
            raise MediaRejected("fetch_timeout", "The media URL took too long to download.")
        into.write(chunk)
        written += len(chunk)
        if cap is None and written >= HEAD_BYTES:
            cap = _cap_for(into, written)
        if cap is not None and written > cap[1]:
            raise too_large(cap[0], written)
    if cap is None:
        _cap_for(into, written)  # a tiny file: still refuse an unknown type
    into.flush()


def _cap_for(into: BinaryIO, written: int) -> tuple[str, int]:
    into.seek(0)
    kind = sniff_kind(into.read(HEAD_BYTES))
    into.seek(written)
    if kind is None:
        raise unsupported()
    return kind, settings.MEDIA_MAX_BYTES[kind]


def too_large(kind: str | None, size: int) -> MediaRejected:
    """The error for a file over its kind's cap (or over every cap when the kind is unknown)."""
    caps = settings.MEDIA_MAX_BYTES
    limit = caps[kind] if kind else max(caps.values())
    what = f"an {kind}" if kind == "image" else f"a {kind}" if kind else "a media file"
    message = f"The file is larger than the {limit:,} bytes allowed for {what} ({size:,} or more)."
    return MediaRejected("too_large", message)

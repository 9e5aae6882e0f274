"""Which WordPress site an account posts to, from what the user gave (never trusted).

Two kinds of site:
- a WordPress.com site (connected by OAuth, or BYOK with a WordPress.com token), named by
  its domain (`example.wordpress.com`, a custom domain) or its numeric blog id, used as
  `{site}` in `https://public-api.wordpress.com/wp/v2/sites/{site}/…`;
- a self-hosted site (BYOK with an Application Password and its `username`), named by its
  URL: `https://` plus a public host name on the default port, with a path when WordPress
  lives in a subfolder, and no credentials, query or fragment. Its REST API is
  `<site>/wp-json/wp/v2/…`; the host must resolve to public addresses only and is reached
  through the guarded session (providers.public_host).
"""

import re
from urllib.parse import urlsplit

from providers import public_host

PATH_RE = re.compile(r"^(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*$")
WPCOM_SITE_RE = re.compile(r"^(\d+|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)$")


class SiteRefused(public_host.HostRefused):
    """The site URL breaks the rules above (permanent)."""

    code = "site_refused"


def site_base(url: str) -> str:
    """`https://host[/path]` from a user-given self-hosted site URL ("blog.example.com" is
    read as https://blog.example.com; a trailing `/` or `/wp-json` is dropped). Raises
    SiteRefused for anything else. No I/O."""
    parts = public_host.https_url(
        url, refused=SiteRefused, what="site", shape="https://<host>[/<path>]", example="https://blog.example.com"
    )
    if parts.query or parts.fragment or "#" in (url or ""):
        raise SiteRefused("The site URL must have no query or fragment.")
    path = parts.path.rstrip("/").removesuffix("/wp-json").rstrip("/")
    if not PATH_RE.match(path) or any(segment in (".", "..") for segment in path.split("/")):
        raise SiteRefused(f"The site URL's path {parts.path!r} is not a plain path.")
    return f"https://{parts.netloc}{path}"


def wpcom_site(value: str) -> str:
    """The `{site}` of a WordPress.com site: its blog id or its domain (from a URL too).
    Raises SiteRefused for anything else (a value that would change the API path). No I/O."""
    value = (value or "").strip().lower()
    if "://" in value:
        parts = urlsplit(value)
        if parts.path.strip("/") or parts.query or parts.fragment:
            raise SiteRefused("A WordPress.com site is its domain or blog id, without a path.")
        value = parts.hostname or ""
    value = value.rstrip("/")
    if not WPCOM_SITE_RE.match(value):
        raise SiteRefused(f"{value!r} is not a WordPress.com site (its domain or numeric blog id).")
    return value


def site_key(base: str) -> str:
    """The site's name as an account id: `host[/path]` of a site base. No I/O."""
    return base.removeprefix("https://")

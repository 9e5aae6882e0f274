"""The one `requests` session every provider uses: timeouts from settings, a Dravo
User-Agent, and connection failures turned into ProviderUnavailable. Never logs tokens."""

import json
import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import time

import requests
from django.conf import settings

from providers.errors import ProviderUnavailable

logger = logging.getLogger("dravo.providers")
USER_AGENT = "Dravo/1.0 (+https://dravo.dev)"
_session: requests.Session | None = None
BOT_TOKEN_PATH = re.compile(r"/bot[^/]+/")


def session() -> requests.Session:
    global _session
    if _session is None:
        _session = requests.Session()
        _session.headers["User-Agent"] = USER_AGENT
        adapter = requests.adapters.HTTPAdapter(pool_connections=20, pool_maxsize=50)
        _session.mount("https://", adapter)
        _session.mount("http://", adapter)
    return _session


def default_timeout() -> tuple[float, float]:
    return (settings.HTTP_CONNECT_TIMEOUT, settings.HTTP_READ_TIMEOUT)


def request(method: str, url: str, *, timeout=None, headers=None, via=None, **kwargs) -> requests.Response:
    """Send one HTTP request, through `via` (anything with requests' `Session.request`, such
    as the sandbox's session of a test-mode account) or else the shared session. Raises
    ProviderUnavailable on timeouts and connection errors; the caller maps the status code
    (its provider's `raise_for_response`)."""
    try:
        sender = via or session()
        response = sender.request(method, url, timeout=timeout or default_timeout(), headers=headers, **kwargs)
    except requests.Timeout as exc:
        raise ProviderUnavailable(f"Timed out calling {method} {_redact(url)}") from exc
    except requests.RequestException as exc:
        raise ProviderUnavailable(f"Could not reach {_redact(url)}: {exc.__class__.__name__}") from exc
    logger.debug("%s %s -> %s", method, _redact(url), response.status_code)
    return response


def _redact(url: str) -> str:
    """The URL without its query string (which may carry an access_token), and without a
    token carried in the path as `/bot<token>/` (the Bot API's way)."""
    return BOT_TOKEN_PATH.sub("/bot<token>/", url.split("?", 1)[0])


def retry_after_seconds(value: str | None, default: float = 60.0) -> float:
    """Retry-After as seconds, from a number of seconds or an HTTP date."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time())
    except (TypeError, ValueError):
        return default


def business_use_case_minutes(header: str | None) -> float:
    """The largest `estimated_time_to_regain_access` (minutes) of the Graph API's
    X-Business-Use-Case-Usage header (its rate-limiting docs, "Headers"), 0 when absent or
    unreadable. Shared by the networks built on the Graph API."""
    try:
        usage = json.loads(header or "{}")
        entries = [
            entry for items in usage.values() if isinstance(items, list) for entry in items if isinstance(entry, dict)
        ]
        return max((float(entry.get("estimated_time_to_regain_access") or 0) for entry in entries), default=0.0)
    except (ValueError, AttributeError, TypeError):
        return 0.0


def json_or_empty(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"data": body}


def int_or_none(value) -> int | None:
    """An integer from a JSON value that should hold one (a number or a numeric string)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def iso_time(value) -> datetime | None:
    """A datetime from the ISO 8601 / RFC 3339 times networks answer (an offset such as
    `+0000` or `+02:00`, `Z` with up to nanoseconds, or no offset at all, which then means
    UTC), or None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

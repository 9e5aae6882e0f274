"""The HTTP core of the SDK: one `httpx.Client`, the key, errors as exceptions, retries.

`Dravo.request()` is what every resource method (and the MCP server) calls. A POST that
creates something carries an `Idempotency-Key`; a retry after a 429, a 5xx or a lost
connection sends the same key again, so it never creates twice.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx

from dravo_sdk.errors import DravoError, error_from_response
from dravo_sdk.models import Health, Network, WhoAmI
from dravo_sdk.operations import Resource, operation
from dravo_sdk.resources.accounts import Accounts, Queues
from dravo_sdk.resources.analytics import Analytics
from dravo_sdk.resources.identity import ApiKeys, Auth, Calendar
from dravo_sdk.resources.jobs import Jobs, LegacyPublish
from dravo_sdk.resources.media import MediaFiles
from dravo_sdk.resources.posts import Posts
from dravo_sdk.resources.webhooks import Webhooks

RETRIED_STATUS = frozenset({429, 500, 502, 503, 504})


class Dravo:
    """A client of one Dravo, with one API key (`dra_test_…` or `dra_live_…`).

    `base_url` and `api_key` default to `DRAVO_URL` and `DRAVO_API_KEY`. `transport` is
    any httpx transport (Dravo's own `/mcp` passes one that calls it in-process)."""

    def __init__(self, base_url: str | None = None, api_key: str | None = None, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = 30.0,
                 max_retries: int = 3, max_retry_wait: float = 60.0, user_agent: str = "dravo-sdk"):
        base_url = base_url or os.environ.get("DRAVO_URL") or "http://127.0.0.1:8000"
        api_key = api_key or os.environ.get("DRAVO_API_KEY")
        if not api_key:
            raise ValueError("an API key is needed: pass api_key= or set DRAVO_API_KEY")
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self._http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout,
                                  headers={"Authorization": f"Bearer {api_key}", "User-Agent": user_agent})
        self.posts = Posts(self)
        self.jobs = Jobs(self)
        self.accounts = Accounts(self)
        self.queues = Queues(self)
        self.media = MediaFiles(self)
        self.analytics = Analytics(self)
        self.api_keys = ApiKeys(self)
        self.auth = Auth(self)
        self.calendar = Calendar(self)
        self.webhooks = Webhooks(self)
        self.legacy = LegacyPublish(self)
        self.meta = Meta(self)

    def whoami(self) -> WhoAmI:
        """The workspace and mode of the key."""
        return self.meta.whoami()

    def health(self) -> Health:
        """Whether Dravo and what it depends on are up (a 503 raises `ServerError`)."""
        return self.meta.health()

    def networks(self, *, provider: str | None = None) -> list[Network]:
        """The networks Dravo publishes to and their rules (or one network's)."""
        return list(self.meta.networks(provider=provider))

    def resources(self) -> dict[str, Resource]:
        """The resource groups by attribute name (`posts`, `accounts`…)."""
        return {name: value for name, value in vars(self).items() if isinstance(value, Resource)}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Dravo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, *, json: Any = None, params: dict | None = None,
                files: dict | None = None, data: dict | None = None, headers: dict | None = None,
                idempotency_key: str | None = None) -> Any:
        """Send one request under `/v1` (`path` like `/posts`) and answer its JSON (None for
        204, the text of a CSV or calendar). Raises `DravoError` (a subclass by status) for
        any other answer once retries are spent. A POST gets an `Idempotency-Key` (the one given, else a new one), kept
        on every retry."""
        headers = dict(headers or {})
        if method.upper() == "POST":
            headers.setdefault("Idempotency-Key", idempotency_key or f"sdk-{uuid.uuid4()}")
        params = {k: v for k, v in (params or {}).items() if v is not None}
        for attempt in range(self.max_retries + 1):
            try:
                response = self._http.request(method, "/v1" + path, json=json, params=params or None,
                                              files=files, data=data, headers=headers)
            except httpx.TransportError:
                if attempt == self.max_retries:
                    raise
                time.sleep(self._backoff(attempt, None))
                continue
            if response.status_code < 400:
                return _answer(response)
            retry_after = _retry_after(response)
            if response.status_code in RETRIED_STATUS and attempt < self.max_retries:
                time.sleep(self._backoff(attempt, retry_after))
                continue
            raise error_from_response(response.status_code, _json_or_none(response), retry_after)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_wait)
        return min(0.5 * 2**attempt + random.uniform(0, 0.25), self.max_retry_wait)


class Meta(Resource):
    """The operations about the API itself; the client exposes them as methods."""

    @operation("GET", "/whoami")
    def whoami(self) -> WhoAmI:
        return WhoAmI.from_dict(self._send(self.whoami))

    @operation("GET", "/health")
    def health(self) -> Health:
        return Health.from_dict(self._send(self.health))

    @operation("GET", "/networks")
    def networks(self, *, provider: str | None = None) -> Iterator[Network]:
        return self._pages(self.networks, Network, {"provider": provider})


def _answer(response: httpx.Response) -> Any:
    """A 2xx's JSON, its text when it is not JSON (a CSV, a calendar), None when empty."""
    if not response.content:
        return None
    if "json" in response.headers.get("Content-Type", "json"):
        return response.json()
    return response.text


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


__all__ = ["Dravo", "DravoError"]

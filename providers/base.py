"""The interface every network client implements, and the plain values it takes and returns.

A client is built for one connected account from its decrypted credentials and the
endpoints (base URLs and API version) it must talk to: the real network's, from settings,
or the sandbox's for test-mode accounts. Clients never touch the database.
"""

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from rest_framework import serializers

from providers import http
from providers.errors import AccountMismatch, MediaUnavailable, MetricsUnsupported, ProcessingTimeout

MEDIA_KINDS = ("image", "video", "gif", "document")
# The counts every network's analytics row also carries under one name, whatever the
# network calls them (None where it has no such number).
NORMALIZED_METRICS = ("views", "likes", "comments", "shares", "clicks")
# The account-level numbers every network's are also read as (GET /v1/analytics/accounts):
# its followers (subscribers, members…), and the reach and engagement the network counts
# for the account over its last day, where it serves them.
ACCOUNT_METRICS = ("followers", "reach", "engagement")


@dataclass(frozen=True)
class Media:
    url: str
    kind: str  # one of MEDIA_KINDS
    mime_type: str | None = None
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    extra: dict = field(default_factory=dict)  # e.g. {"pages": 3} for a PDF


@dataclass(frozen=True)
class Content:
    """What to publish on one network: the text (already the per-network override if
    any), the media, and this network's options, validated by its options serializer."""

    text: str
    media: tuple[Media, ...] = ()
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    field: str  # "text", "media_urls.1", "platform_options.x.poll"
    message: str
    code: str = "invalid"


@dataclass(frozen=True)
class Profile:
    id: str
    handle: str
    name: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Destination:
    """A place inside an account a post can go to (a board, a playlist, a business
    location, a blog category): its id on the network, as the network's option takes it,
    its name and kind, and what else helps choose it."""

    id: str
    name: str
    kind: str  # the descriptor's DestinationKind.kind
    extra: dict = field(default_factory=dict)


@dataclass
class PublishResult:
    platform_post_id: str
    url: str | None = None
    warnings: list[str] = field(default_factory=list)
    published_at: datetime | None = None


@dataclass
class RefreshResult:
    credentials: dict  # the full new credentials (extras kept)
    expires_at: datetime | None
    metadata: dict = field(default_factory=dict)  # merged into the account's metadata (what changed)


@dataclass
class MetricsResult:
    metrics: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    partial: bool = False


SaveCheckpoint = Callable[[dict], None]


def checkpoint_state(
    checkpoint: dict | None, save_checkpoint: SaveCheckpoint | None
) -> tuple[dict, Callable[..., None]]:
    """A publish's progress: the state resumed from `checkpoint`, and `save(**values)`,
    which records values in it and hands a copy to `save_checkpoint` at once (so that a
    retry after a crash resumes from there instead of posting again).

    `save.note(**values)` records values that only spare a retry some work (an uploaded
    blob or media id, a post already known to be live): they are kept with the next
    `save()`, or by the caller with the attempt's outcome, if `save_checkpoint` has a
    `note` of its own (the delivery's does); otherwise they are saved at once. A marker
    that stops a second post (saved before the call that creates it) is always a
    `save()`. Losing a note to a killed worker costs a repeated upload, never a post."""
    state = dict(checkpoint or {})
    deferred = getattr(save_checkpoint, "note", None)

    def save(**values) -> None:
        state.update(values)
        if save_checkpoint:
            save_checkpoint(dict(state))

    def note(**values) -> None:
        state.update(values)
        if deferred:
            deferred(dict(state))
        elif save_checkpoint:
            save_checkpoint(dict(state))

    save.note = note
    return state, save


def is_count(value) -> bool:
    """A count is an integer (a bool is not; a float is a ratio or an average)."""
    return isinstance(value, int) and not isinstance(value, bool)


class ProviderClient(ABC):
    """One network's client for one account.

    Subclasses set `name`, `options_serializer` and `capabilities` (for the README table)
    and implement the abstract methods. Every method may raise the errors of
    `providers.errors`; none of them retries on its own except the bounded polling of
    long media work.
    """

    name: ClassVar[str]
    options_serializer: ClassVar[type[serializers.Serializer]]
    capabilities: ClassVar[dict[str, Any]] = {}
    # Which of this network's own metric keys is each of NORMALIZED_METRICS (the first one
    # present wins); a name left out is a number the network does not give.
    normalized_metrics: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Keys of `fetch_metrics` that are ratios, not counts: never summed across posts.
    ratio_metrics: ClassVar[frozenset[str]] = frozenset()
    # What the network calls its own metric keys, for people ("url_link_clicks": "Link
    # clicks"); a key left out is shown as its words (analytics.display.metric_label).
    metric_labels: ClassVar[dict[str, str]] = {}
    # The credential naming the account (Page, IG user, author, creator, user) verify()
    # must prove the token can act as; a BYOK connect fills it from platform_account_id
    # when the body leaves it out.
    account_credential: ClassVar[str]
    # A network that gives no post metrics to apps like Dravo says why here: analytics then
    # marks its posts' rows `unsupported` with this reason and never asks (fetch_metrics is
    # not called), rather than showing numbers it does not have.
    metrics_unsupported: ClassVar[str] = ""

    def __init__(self, credentials: dict, *, endpoints: dict, app: dict | None = None, session=None):
        self.credentials = credentials
        self.endpoints = endpoints
        # The HTTP session of every call (None: the shared one); the registry gives a
        # test-mode account's client the sandbox's, which adds what the sandbox reads.
        self.session = session
        self.app = app or {"client_id": "", "client_secret": ""}  # OAuth client_id / client_secret
        self.sleep = time.sleep

    # --- the interface ------------------------------------------------------------------
    @abstractmethod
    def verify(self) -> Profile:
        """The profile of the account named by `account_credential`, proven to be one the
        token can act as (publish as). Without that credential, the account behind the token.
        Raises AccountMismatch when the token works for another account, and
        ReconnectRequired/TokenExpired for a refused token. Safe to repeat."""

    @abstractmethod
    def validate(self, content: Content) -> list[Problem]:
        """Problems this network would have with `content`; no I/O, safe to repeat."""

    @abstractmethod
    def publish(
        self, content: Content, *, checkpoint: dict | None = None, save_checkpoint: SaveCheckpoint | None = None
    ) -> PublishResult:
        """Publish `content`. Server-side objects made on the way (containers, upload or
        publish ids) are passed to `save_checkpoint` as soon as they exist; given that
        `checkpoint` back, a retry resumes from it instead of starting again, so a retried
        publish never posts twice where the network lets us tell."""

    @abstractmethod
    def refresh(self) -> RefreshResult:
        """New credentials and expiry. ReconnectRequired when the network definitely
        refuses the grant; ProviderUnavailable/RateLimited when it could not answer."""

    def fetch_metrics(self, platform_post_id: str) -> MetricsResult:
        """The post's metrics with the keys of analytics-v1. Every network with post
        metrics implements it; one without sets `metrics_unsupported` instead."""
        raise NotImplementedError(self.metrics_unsupported or f"{type(self).__name__} has no fetch_metrics().")

    # Which of this network's own account-level keys is each of ACCOUNT_METRICS (the first
    # present wins), as normalized_metrics does for posts.
    normalized_account_metrics: ClassVar[dict[str, tuple[str, ...]]] = {}

    def fetch_account_metrics(self) -> dict[str, int | float]:
        """The account's own numbers now, under the network's own names: its followers
        and whatever account-level reach and engagement the network serves (its last
        day's, where it counts by day). Raises MetricsUnsupported when the network gives
        none to Dravo; the network's typed errors otherwise. No writes; safe to repeat."""
        raise MetricsUnsupported(f"{type(self).__name__.removesuffix('Client')} serves no account metrics.")

    @classmethod
    def normalize_account_metrics(cls, metrics: dict) -> dict[str, int | None]:
        """ACCOUNT_METRICS from this network's own keys; None where it has no such number."""
        normalized = {}
        for name in ACCOUNT_METRICS:
            values = [metrics.get(key) for key in cls.normalized_account_metrics.get(name, ())]
            normalized[name] = next((int(value) for value in values if is_count(value)), None)
        return normalized

    def reconcile(self, content: Content, checkpoint: dict | None) -> PublishResult | None:
        """After a crash mid-publish: the live post if the network shows it, else None
        (unknown). The default cannot tell."""
        return None

    def destinations(self) -> list[Destination]:
        """Every place inside the account a post can go to (see the descriptor's
        `destinations`), in the network's order, all pages read. Only networks with
        destinations implement it."""
        raise NotImplementedError(f"{type(self).__name__} has no destinations.")

    @classmethod
    def profile_credentials(cls, profile: Profile) -> dict:
        """Credentials this client needs that the verified profile gives (kept with the
        account's credentials at connect). No I/O."""
        return {}

    @classmethod
    def normalize_metrics(cls, metrics: dict) -> dict[str, int | None]:
        """The NORMALIZED_METRICS of one post from this network's own keys: None where the
        network has no such number or did not report it. No I/O."""
        normalized = {}
        for name in NORMALIZED_METRICS:
            values = [metrics.get(key) for key in cls.normalized_metrics.get(name, ())]
            normalized[name] = next((int(value) for value in values if is_count(value)), None)
        return normalized

    @classmethod
    def count_metrics(cls, metrics: dict) -> dict[str, int]:
        """The metrics of one post that are counts, so may be summed across posts: the
        integers, minus this network's ratios. No I/O."""
        return {key: value for key, value in metrics.items() if key not in cls.ratio_metrics and is_count(value)}

    # --- helpers for subclasses ----------------------------------------------------------
    @property
    def access_token(self) -> str:
        return self.credentials.get("access_token", "")

    def url(self, key: str, path: str) -> str:
        return f"{self.endpoints[key].rstrip('/')}/{path.lstrip('/')}"

    def web_url(self, path: str, key: str = "oauth_url") -> str:
        """A page of the network's public website, e.g. a post's URL. The website is the host
        of the OAuth dialog; for a test-mode account it is the sandbox, which serves the same
        paths with a page showing the post."""
        return self.url(key, path)

    @property
    def named_account(self) -> str:
        """The account named at connect (`account_credential`), or "" when none was."""
        return str(self.credentials.get(self.account_credential) or "")

    def require_named(self, actual: str, what: str, hint: str = "") -> None:
        """AccountMismatch unless the account behind the token (`actual`) is the named one."""
        named = self.named_account
        if named and str(actual) != named:
            message = f"This token acts as {what} {actual or '(unknown)'}, not {named}. {hint}".strip()
            raise AccountMismatch(message, field=self.account_credential)

    @property
    def version(self) -> str:
        return self.endpoints.get("api_version", "")

    def call(self, method: str, url: str, *, headers: dict | None = None, **kwargs):
        """One request through the shared session, then this provider's error mapping."""
        response = http.request(method, url, headers=headers, via=self.session, **kwargs)
        self.raise_for_response(response)
        return response

    @abstractmethod
    def raise_for_response(self, response) -> None:
        """Map a non-success answer to a typed error."""

    def poll(self, check: Callable[[], Any], *, what: str, interval: float | None = None):
        """Call `check` until it returns something other than None, waiting `interval`
        between calls, at most DRAVO_POLL_TIMEOUT seconds in all; then ProcessingTimeout."""
        interval = settings.PROVIDER_POLL_INTERVAL if interval is None else interval
        deadline = time.monotonic() + settings.PROVIDER_POLL_TIMEOUT
        while True:
            result = check()
            if result is not None:
                return result
            if time.monotonic() + interval > deadline:
                raise ProcessingTimeout(f"{what} did not finish within {settings.PROVIDER_POLL_TIMEOUT:g}s")
            self.sleep(interval)

    def download(self, media: Media) -> bytes:
        """The media's bytes, for networks that need an upload rather than a URL."""
        response = http.request("GET", media.url)
        if response.status_code != 200:
            raise MediaUnavailable(f"Could not fetch media {media.url}: HTTP {response.status_code}")
        return response.content

"""Typed answers of the API: one dataclass per schema component the SDK hands back.

Each model names the component it mirrors (`component`), and its fields are exactly that
component's properties: `tests/sdk/test_drift.py` compares them with the OpenAPI schema.
`from_dict()` ignores keys it does not know, so a newer server never breaks an older SDK;
a field the answer lacks is None.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from dravo_sdk.errors import ErrorItem

M = TypeVar("M", bound="Model")


@dataclass(kw_only=True)
class Model:
    """Base of every model. `nested` maps a field to the model of its object (or of each
    item of its list)."""

    component: ClassVar[str]
    nested: ClassVar[dict[str, Any]] = {}

    @classmethod
    def from_dict(cls: type[M], data: dict[str, Any]) -> M:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {}
        for name, value in data.items():
            if name in known:
                values[name] = _convert(cls.nested.get(name), value)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data (nested models and error items included)."""
        return dataclasses.asdict(self)


def _convert(kind: Any, value: Any) -> Any:
    if kind is None or value is None:
        return value
    build = kind.from_dict if hasattr(kind, "from_dict") else (lambda raw: kind(**raw))
    if isinstance(value, list):
        return [build(item) if isinstance(item, dict) else item for item in value]
    return build(value) if isinstance(value, dict) else value


# Accounts ---------------------------------------------------------------------------------

@dataclass(kw_only=True)
class SocialAccount(Model):
    """A connected account (`acc_…`), live or test."""

    component = "SocialAccount"
    id: str | None = None
    provider: str | None = None
    platform_account_id: str | None = None
    handle: str | None = None
    name: str | None = None
    health: str | None = None
    health_reason: str | None = None
    connection_type: str | None = None
    mode: str | None = None
    token_expires_at: str | None = None
    metadata: Any = None
    created_at: str | None = None


@dataclass(kw_only=True)
class SocialAccountCreated(Model):
    component = "SocialAccountCreated"
    id: str | None = None
    provider: str | None = None
    health: str | None = None
    handle: str | None = None
    platform_account_id: str | None = None
    connection_type: str | None = None


@dataclass(kw_only=True)
class SocialAccountRefreshed(Model):
    component = "SocialAccountRefreshed"
    id: str | None = None
    health: str | None = None
    token_expires_at: str | None = None


@dataclass(kw_only=True)
class ConnectLink(Model):
    """A hosted connect page; `url` is shown once (a replay answers without it)."""

    component = "ConnectLink"
    url: str | None = None
    expires_at: str | None = None


@dataclass(kw_only=True)
class Destination(Model):
    """Somewhere an account can publish to (a page, a board, a channel…)."""

    component = "Destination"
    id: str | None = None
    name: str | None = None
    kind: str | None = None
    option: str | None = None
    extra: Any = None


@dataclass(kw_only=True)
class Slot(Model):
    component = "Slot"
    day: str | None = None
    time: str | None = None


@dataclass(kw_only=True)
class Queue(Model):
    """An account's weekly posting slots, local times of `time_zone`."""

    component = "Queue"
    nested = {"slots": Slot}
    time_zone: str | None = None
    slots: list[Slot] | None = None


@dataclass(kw_only=True)
class QueuedPost(Model):
    component = "QueuedPost"
    id: str | None = None
    scheduled_at: str | None = None


@dataclass(kw_only=True)
class QueueShuffled(Model):
    component = "QueueShuffled"
    nested = {"posts": QueuedPost}
    posts: list[QueuedPost] | None = None


# Posts ------------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Result(Model):
    """One account's delivery of a post."""

    component = "Result"
    account_id: str | None = None
    provider: str | None = None
    status: str | None = None
    platform_post_id: str | None = None
    platform_post_url: str | None = None
    error: str | None = None
    error_code: str | None = None
    warnings: Any = None
    attempts: int | None = None
    next_attempt_at: str | None = None
    published_at: str | None = None


POST_FINAL_STATUSES = frozenset({"published", "partial", "failed", "canceled"})


@dataclass(kw_only=True)
class Post(Model):
    """A post (`post_…`) and its per-account results."""

    component = "Post"
    nested = {"results": Result}
    id: str | None = None
    status: str | None = None
    text: str | None = None
    providers: Any = None
    media_urls: Any = None
    platform_options: Any = None
    results: list[Result] | None = None
    scheduled_at: str | None = None
    account_ids: list[str] | None = None
    revision: int | None = None
    series_id: str | None = None
    occurrence_at: str | None = None
    schedule_reason: str | None = None
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def is_final(self) -> bool:
        """True once no delivery of it will change any more."""
        return self.status in POST_FINAL_STATUSES


@dataclass(kw_only=True)
class PostDetail(Post):
    """One post as `GET /v1/posts/{id}` answers it, with its recurring series if any."""

    component = "PostDetail"
    series: Any = None


@dataclass(kw_only=True)
class PostAccepted(Model):
    """The 202 of a create (or publish, or cancel): the post is on its way."""

    component = "PostAccepted"
    id: str | None = None
    status: str | None = None
    scheduled_at: str | None = None
    series_id: str | None = None
    schedule_reason: str | None = None


@dataclass(kw_only=True)
class ValidationReport(Model):
    component = "ValidationReport"
    valid: bool | None = None
    errors: list[Any] | None = None


# Jobs (bulk and CSV import) ---------------------------------------------------------------

@dataclass(kw_only=True)
class BulkAccepted(Model):
    component = "BulkAccepted"
    job_id: str | None = None
    status: str | None = None
    total: int | None = None


@dataclass(kw_only=True)
class Preview(Model):
    """What one account would get from a row of a dry run."""

    component = "Preview"
    account_id: str | None = None
    provider: str | None = None
    text: str | None = None


@dataclass(kw_only=True)
class JobResult(Model):
    """One body (or CSV row, `index` 0 the first after the header): its post, its
    previews (a dry run), or its errors."""

    component = "JobResult"
    nested = {"previews": Preview, "errors": ErrorItem}
    index: int | None = None
    post_id: str | None = None
    previews: list[Preview] | None = None
    errors: list[ErrorItem] | None = None


JOB_FINAL_STATUSES = frozenset({"completed", "failed"})


@dataclass(kw_only=True)
class BulkJob(Model):
    """A bulk create or CSV import (`job_…`), as it goes."""

    component = "BulkJob"
    nested = {"results": JobResult}
    id: str | None = None
    kind: str | None = None
    status: str | None = None
    total: int | None = None
    dry_run: bool | None = None
    done: int | None = None
    failed: int | None = None
    results: list[JobResult] | None = None
    created_at: str | None = None
    finished_at: str | None = None

    @property
    def is_final(self) -> bool:
        return self.status in JOB_FINAL_STATUSES


# The legacy /v1/publish routes ------------------------------------------------------------

@dataclass(kw_only=True)
class Job(Post):
    """A post as the legacy `/v1/publish` routes show it (`job_id` beside `id`)."""

    component = "Job"
    job_id: str | None = None


@dataclass(kw_only=True)
class JobAccepted(Model):
    component = "JobAccepted"
    job_id: str | None = None
    status: str | None = None
    scheduled_at: str | None = None


# Media ------------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Media(Model):
    """An uploaded (or fetched) file; pass its `url` in a post's `media_urls`."""

    component = "Media"
    id: str | None = None
    url: str | None = None
    mime_type: str | None = None
    kind: str | None = None
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    created_at: str | None = None


# Analytics --------------------------------------------------------------------------------

@dataclass(kw_only=True)
class AnalyticsItem(Model):
    """The metrics of one published result."""

    component = "AnalyticsItem"
    post_id: str | None = None
    account_id: str | None = None
    platform: str | None = None
    platform_post_id: str | None = None
    platform_post_url: str | None = None
    text: str | None = None
    created_at: str | None = None
    published_at: str | None = None
    metrics: Any = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    clicks: int | None = None
    warnings: list[str] | None = None
    sync_status: str | None = None
    error_message: str | None = None
    last_updated_at: str | None = None
    stale_after: str | None = None


@dataclass(kw_only=True)
class Overview(Model):
    component = "Overview"
    posts: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    clicks: int | None = None
    metrics: Any = None


@dataclass(kw_only=True)
class AnalyticsPage(Model):
    """One page of post analytics, with the totals of every page."""

    component = "AnalyticsPage"
    nested = {"items": AnalyticsItem, "overview": Overview}
    items: list[AnalyticsItem] | None = None
    total: int | None = None
    page: int | None = None
    limit: int | None = None
    overview: Overview | None = None


@dataclass(kw_only=True)
class AccountDay(Model):
    component = "AccountDay"
    date: str | None = None
    followers: int | None = None
    reach: int | None = None
    engagement: int | None = None
    metrics: Any = None
    sync_status: str | None = None


@dataclass(kw_only=True)
class BestHour(Model):
    component = "BestHour"
    day: str | None = None
    hour: int | None = None
    score: float | None = None


@dataclass(kw_only=True)
class BestTimes(Model):
    component = "BestTimes"
    nested = {"hours": BestHour}
    time_zone: str | None = None
    posts: int | None = None
    hours: list[BestHour] | None = None


@dataclass(kw_only=True)
class AccountAnalytics(Model):
    """An account's daily numbers and its best hours to post."""

    component = "AccountAnalytics"
    nested = {"days": AccountDay, "best_times": BestTimes}
    account_id: str | None = None
    provider: str | None = None
    handle: str | None = None
    sync_status: str | None = None
    error: str | None = None
    days: list[AccountDay] | None = None
    best_times: BestTimes | None = None


# Keys, identity, calendar, health ---------------------------------------------------------

@dataclass(kw_only=True)
class ApiKey(Model):
    component = "ApiKey"
    id: str | None = None
    name: str | None = None
    mode: str | None = None
    prefix: str | None = None
    created_at: str | None = None
    last_used_at: str | None = None
    revoked_at: str | None = None


@dataclass(kw_only=True)
class ApiKeyCreated(ApiKey):
    """A new key; `key` (the secret) is answered this once."""

    component = "ApiKeyCreated"
    key: str | None = None


@dataclass(kw_only=True)
class TokenPair(Model):
    component = "TokenPair"
    access: str | None = None
    refresh: str | None = None
    workspace_id: str | None = None
    mode: str | None = None


@dataclass(kw_only=True)
class TokenRefreshed(Model):
    component = "TokenRefreshed"
    access: str | None = None


@dataclass(kw_only=True)
class WhoAmI(Model):
    component = "WhoAmI"
    workspace_id: str | None = None
    workspace: str | None = None
    mode: str | None = None


@dataclass(kw_only=True)
class CalendarFeedToken(Model):
    component = "CalendarFeedToken"
    token: str | None = None
    url: str | None = None


@dataclass(kw_only=True)
class Health(Model):
    component = "Health"
    status: str | None = None
    checks: Any = None


# Networks ---------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Network(Model):
    """A network's rules: its text limit, media, options (as JSON Schema), destinations."""

    component = "Network"
    key: str | None = None
    label: str | None = None
    text_limit: Any = None
    media: list[Any] | None = None
    media_required: bool | None = None
    content_kinds: list[str] | None = None
    rules: Any = None
    options: Any = None
    required_options: list[str] | None = None
    option_hints: Any = None
    destinations: Any = None
    refuses_repeated_text: bool | None = None


# Webhooks ---------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Webhook(Model):
    """An endpoint (`wh_…`) Dravo sends signed events to."""

    component = "Webhook"
    id: str | None = None
    url: str | None = None
    description: str | None = None
    events: Any = None
    enabled: bool | None = None
    disabled_reason: str | None = None
    failing_since: str | None = None
    secret_previous_until: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclass(kw_only=True)
class WebhookCreated(Webhook):
    """A new endpoint, or one whose secret was rotated: `secret` (`whsec_…`) is shown this once."""

    component = "WebhookCreated"
    secret: str | None = None


@dataclass(kw_only=True)
class WebhookTest(Model):
    component = "WebhookTest"
    event_id: str | None = None
    delivery_id: str | None = None


@dataclass(kw_only=True)
class EventDelivery(Model):
    """One event's delivery to an endpoint: its attempts and the last answer."""

    component = "EventDelivery"
    id: str | None = None
    event_id: str | None = None
    event_type: str | None = None
    status: str | None = None
    attempts: int | None = None
    last_status_code: int | None = None
    last_response_ms: int | None = None
    next_attempt_at: str | None = None
    delivered_at: str | None = None
    last_error: str | None = None
    response_excerpt: str | None = None
    payload: Any = None
    created_at: str | None = None


def all_models() -> list[type[Model]]:
    """Every model class, for the drift check."""
    found, pending = [], list(Model.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found

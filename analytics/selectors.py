"""Reads of the metrics cache; each takes the workspace and mode first."""

from collections import defaultdict
from datetime import UTC, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import SocialAccount, Workspace
from analytics.models import AccountMetrics, MetricsSnapshot, PostMetrics
from providers.base import NORMALIZED_METRICS, ProviderClient
from providers.registry import CLIENTS

# The series the dashboard plots, summed per day and network.
SERIES = ("views", "likes", "comments", "shares")


def _client_class(provider: str) -> type[ProviderClient]:
    return CLIENTS.get(provider, ProviderClient)


def metrics_normalized(*, provider: str, metrics: dict) -> dict[str, int | None]:
    """views, likes, comments, shares and clicks of one row, from the network's own keys
    (each network declares which); None where the network has no such number."""
    return _client_class(provider).normalize_metrics(metrics or {})


def post_metrics_list(
    *, workspace: Workspace, mode: str, post_id=None, account_id=None, platform=None, from_date=None, to_date=None
):
    qs = PostMetrics.objects.filter(workspace=workspace, mode=mode).select_related(
        "delivery", "delivery__post", "delivery__account"
    )
    if post_id:
        dravo_id = "post_" + post_id[4:] if post_id.startswith("job_") else post_id
        qs = qs.filter(Q(delivery__post_id=dravo_id) | Q(delivery__platform_post_id=post_id))
    if account_id:
        qs = qs.filter(delivery__account_id=account_id)
    if platform:
        qs = qs.filter(provider=platform)
    if from_date:
        qs = qs.filter(created_at__gte=from_date)
    if to_date:
        qs = qs.filter(created_at__lte=to_date)
    return qs.order_by("-created_at", "-pk")


def post_metrics_page(*, workspace: Workspace, mode: str, page: int = 1, limit: int = 25, **filters):
    """(rows of this page, total)."""
    qs = post_metrics_list(workspace=workspace, mode=mode, **filters)
    offset = (page - 1) * limit
    return list(qs[offset : offset + limit]), qs.count()


def overview(rows) -> dict:
    """The rows of a page added up: distinct posts, each normalized count summed over the
    rows that have it (None when none has), and each network key summed where it is a
    count. Ratios (a client's `ratio_metrics`, such as an engagement rate) are never summed, so they are left out."""
    sums, normalized = defaultdict(int), {name: None for name in NORMALIZED_METRICS}
    for row in rows:
        for key, value in _client_class(row.provider).count_metrics(row.metrics or {}).items():
            sums[key] += value
        for name, value in metrics_normalized(provider=row.provider, metrics=row.metrics).items():
            if value is not None:
                normalized[name] = (normalized[name] or 0) + value
    return {"posts": len({row.delivery.post_id for row in rows}), **normalized, "metrics": dict(sums)}


def metrics_series(*, workspace: Workspace, mode: str, days: int = 30) -> list[dict]:
    """Per day and network: views, likes, comments and shares, summed over posts from each
    post's last snapshot of that day (for the dashboard's charts)."""
    since = timezone.now() - timedelta(days=days)
    snapshots = (
        MetricsSnapshot.objects.filter(post_metrics__workspace=workspace, post_metrics__mode=mode, taken_at__gte=since)
        .order_by("taken_at")
        .values_list("post_metrics_id", "post_metrics__provider", "taken_at", "metrics")
    )
    last = {}
    for metrics_id, provider, taken_at, metrics in snapshots:
        last[(taken_at.date().isoformat(), provider, metrics_id)] = metrics
    totals = defaultdict(lambda: defaultdict(int))
    for (day, provider, _), metrics in last.items():
        numbers = metrics_normalized(provider=provider, metrics=metrics)
        for name in SERIES:
            totals[(day, provider)][name] += numbers[name] or 0
    return [{"date": day, "provider": provider, **values} for (day, provider), values in sorted(totals.items())]


ENGAGEMENT = ("likes", "comments", "shares", "clicks")


def engagement_by_hour(*, account_ids, since) -> dict[str, dict]:
    """Per account, its posts published since `since` that have metrics, by UTC hour of
    the week (Monday 00:00 is 0): `{"posts": n, "hours": {hour: mean engagement / the
    account's mean}}`, engagement being likes + comments + shares + clicks as each network
    names them. An account with no such post is left out. One query."""
    rows = (
        PostMetrics.objects.filter(
            delivery__account_id__in=list(account_ids),
            delivery__published_at__gte=since,
            sync_status__in=[PostMetrics.SyncStatus.SYNCED, PostMetrics.SyncStatus.PARTIAL],
        )
        .values_list("delivery__account_id", "delivery__published_at", "provider", "metrics")
        .order_by()
    )
    by_account: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for account_id, published_at, provider, metrics in rows:
        numbers = metrics_normalized(provider=provider, metrics=metrics)
        at = published_at.astimezone(UTC)
        by_account[account_id][at.weekday() * 24 + at.hour].append(sum(numbers[name] or 0 for name in ENGAGEMENT))
    result = {}
    for account_id, hours in by_account.items():
        values = [value for per_hour in hours.values() for value in per_hour]
        mean = sum(values) / len(values) or 1
        result[account_id] = {
            "posts": len(values),
            "hours": {hour: sum(per_hour) / len(per_hour) / mean for hour, per_hour in hours.items()},
        }
    return result


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BEST_TIMES = 5


def account_analytics_accounts(*, workspace: Workspace, mode: str, account_id=None, provider=None, after=None):
    """The workspace's accounts GET /v1/analytics/accounts reports on, in id order."""
    accounts = SocialAccount.objects.filter(workspace=workspace, mode=mode)
    if account_id:
        accounts = accounts.filter(pk=account_id)
    if provider:
        accounts = accounts.filter(provider=provider)
    if after:
        accounts = accounts.filter(pk__gt=after)
    return accounts.order_by("pk")


def account_metrics_days(*, accounts: list, from_day, to_day) -> dict[str, list[AccountMetrics]]:
    """Each account's rows of the days from_day…to_day, oldest first. One query."""
    rows = AccountMetrics.objects.filter(account__in=accounts, day__gte=from_day, day__lte=to_day).order_by("day")
    by_account = defaultdict(list)
    for row in rows:
        by_account[row.account_id].append(row)
    return by_account


def best_times(history: dict | None) -> dict:
    """An account's top hours of the week (UTC) from engagement_by_hour's entry for it."""
    if not history:
        return {"time_zone": "UTC", "posts": 0, "hours": []}
    ranked = sorted(history["hours"].items(), key=lambda item: (-item[1], item[0]))[:BEST_TIMES]
    hours = [{"day": DAY_NAMES[how // 24], "hour": how % 24, "score": round(score, 2)} for how, score in ranked]
    return {"time_zone": "UTC", "posts": history["posts"], "hours": hours}


def latest_account_row(*, account: SocialAccount) -> AccountMetrics | None:
    return AccountMetrics.objects.filter(account=account).order_by("-day").first()

"""Reads of the metrics cache; each takes the workspace and mode first."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import Workspace
from analytics.models import MetricsSnapshot, PostMetrics

# The four series the dashboard plots, from each network's own keys.
SERIES_KEYS = {
    "views": ("views", "impression_count", "view_count", "share_statistics_impression_count", "impression"),
    "likes": ("likes", "like_count", "share_statistics_like_count", "reaction"),
    "comments": ("comments", "reply_count", "comment_count", "share_statistics_comment_count", "comment"),
    "shares": ("shares", "retweet_count", "share_count", "share_statistics_share_count", "reshare"),
}


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
    """Distinct post ids on the page and per-key sums of the numeric metrics."""
    sums = defaultdict(int)
    for row in rows:
        for key, value in (row.metrics or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sums[key] += value
    return {"posts": len({row.delivery.post_id for row in rows}), "metrics": dict(sums)}


def _pick(metrics: dict, keys: tuple[str, ...]) -> int:
    for key in keys:
        value = metrics.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value)
    return 0


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
        for name, keys in SERIES_KEYS.items():
            totals[(day, provider)][name] += _pick(metrics, keys)
    return [{"date": day, "provider": provider, **values} for (day, provider), values in sorted(totals.items())]

"""Keeping the metrics cache: rows for published deliveries, refresh from the networks."""

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import services as account_services
from accounts.errors import ProviderUnreachable, RefreshFailed
from accounts.models import SocialAccount
from analytics.models import MetricsSnapshot, PostMetrics, freshness_for
from dravo.leases import lease_claim, lease_free
from providers import registry
from providers.errors import MetricsUnsupported, ProviderError, RateLimited, ReconnectRequired
from publishing.models import Delivery

logger = logging.getLogger(__name__)
Sync = PostMetrics.SyncStatus
LEASE = timedelta(seconds=60)


ENSURE_WINDOW = timedelta(days=2)


def post_metrics_ensure(*, limit: int = 5000) -> int:
    """Safety net behind post_metrics_track: create the (pending) metrics row of each
    delivery published in the last two days that has none (e.g. a worker died between
    recording the publish and starting its row). Safe to repeat."""
    since = timezone.now() - ENSURE_WINDOW
    missing = Delivery.objects.filter(status=Delivery.Status.PUBLISHED, published_at__gte=since)
    missing = missing.exclude(platform_post_id="").filter(~Exists(PostMetrics.objects.filter(delivery=OuterRef("pk"))))
    now = timezone.now()
    rows = [
        PostMetrics(
            delivery_id=d.pk,
            workspace_id=d.post.workspace_id,
            mode=d.post.mode,
            provider=d.provider,
            **_unsupported(d.provider, now),
        )
        for d in missing.select_related("post")[:limit]
    ]
    PostMetrics.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def post_metrics_track(*, delivery: Delivery) -> None:
    """Start the metrics row of a delivery that was just published (its `created_at` is when
    Dravo recorded the result). Safe to repeat."""
    post = delivery.post
    now = timezone.now()
    given = {
        "delivery": delivery.pk,
        "workspace": post.workspace_id,
        "mode": post.mode,
        "provider": delivery.provider,
        "created_at": now,
        **_unsupported(delivery.provider, now),
    }
    # One statement on the delivery's hot path: bulk_create(ignore_conflicts=True) would
    # wrap its INSERT in a transaction (BEGIN and COMMIT, two more round trips). Every
    # other column takes the model's default, so the row is what PostMetrics() would be.
    fields = [f for f in PostMetrics._meta.concrete_fields if not f.primary_key]
    params = [f.get_db_prep_save(given[f.name] if f.name in given else f.get_default(), connection) for f in fields]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(PostMetrics._meta.db_table)} "
        f"({', '.join(connection.ops.quote_name(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# How long a row of a network without post metrics stays "fresh": it is never asked again.
NEVER = timedelta(days=36500)


def _unsupported(provider: str, now, reason: str = "") -> dict:
    """The columns of a row whose network (or, given `reason`, account) gives no post
    metrics ({} for every other)."""
    reason = reason or registry.CLIENTS[provider].metrics_unsupported
    if not reason:
        return {}
    return {
        "sync_status": Sync.UNSUPPORTED,
        "error_message": reason,
        "last_updated_at": now,
        "stale_after": now + NEVER,
    }


def _claim(metrics_id: int) -> bool:
    return lease_claim(PostMetrics.objects.filter(pk=metrics_id), field="refresh_lease_until", duration=LEASE)


def _save(row: PostMetrics, **fields) -> None:
    PostMetrics.objects.filter(pk=row.pk).update(refresh_lease_until=None, **fields)


def _fetch(row: PostMetrics, account: SocialAccount):
    """fetch_metrics, refreshing the token once if the network says it expired."""
    platform_post_id = row.delivery.platform_post_id
    return account_services.social_account_call(
        account=account, call=lambda client: client.fetch_metrics(platform_post_id)
    )


def post_metrics_refresh(*, metrics_id: int) -> bool:
    """Ask the network for one row's metrics and store them (with a snapshot for charts).

    A token the network refuses marks the row `requires_reconnect` with the reason; a
    throttled or unavailable network keeps the cached metrics, records the error and sets
    when to try again; an account that has no post metrics (MetricsUnsupported) marks the
    row `unsupported`, never asked again. False when another refresh of the row is running.
    Safe to repeat.
    """
    if not _claim(metrics_id):
        return False
    row = PostMetrics.objects.select_related("delivery", "delivery__account").get(pk=metrics_id)
    account = row.delivery.account
    now = timezone.now()
    unsupported = _unsupported(row.provider, now)
    if unsupported:
        _save(row, **unsupported)
        return True
    if account.health in (SocialAccount.Health.REQUIRES_RECONNECT, SocialAccount.Health.DISCONNECTED):
        _save(
            row,
            sync_status=Sync.REQUIRES_RECONNECT,
            stale_after=now + timedelta(hours=1),
            error_message=f"The account is {account.health}; reconnect it to read its metrics.",
        )
        return True
    try:
        result = _fetch(row, account)
    except MetricsUnsupported as exc:  # this account has none: like a network without any
        _save(row, **_unsupported(row.provider, now, str(exc) or exc.__class__.__name__))
        return True
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        _record_failure(row, exc, now)
        return True
    published = row.delivery.published_at or row.created_at
    _save(
        row,
        metrics=result.metrics,
        warnings=result.warnings,
        error_message="",
        sync_status=Sync.PARTIAL if result.partial else Sync.SYNCED,
        last_updated_at=now,
        stale_after=now + freshness_for(now - published),
    )
    MetricsSnapshot.objects.create(post_metrics_id=row.pk, taken_at=now, metrics=result.metrics)
    return True


def _record_failure(row: PostMetrics, exc: Exception, now) -> None:
    if isinstance(exc, (ReconnectRequired, RefreshFailed)):
        account_services.social_account_mark_reconnect(account_id=row.delivery.account_id, reason=str(exc))
        _save(
            row,
            sync_status=Sync.REQUIRES_RECONNECT,
            error_message=str(exc)[:2000],
            stale_after=now + timedelta(hours=1),
        )
        return
    retry_in = timedelta(seconds=exc.retry_after) if isinstance(exc, RateLimited) else timedelta(minutes=10)
    if not isinstance(exc, (ProviderError, ProviderUnreachable)):
        logger.exception("Metrics refresh of %s failed unexpectedly", row.pk)
    status = Sync.PENDING if isinstance(exc, (RateLimited, ProviderUnreachable)) and not row.metrics else Sync.FAILED
    if isinstance(exc, RateLimited) and row.metrics:
        status = row.sync_status  # throttled: the cached numbers stand
    _save(row, sync_status=status, error_message=str(exc)[:2000] or exc.__class__.__name__, stale_after=now + retry_in)



def post_metrics_refresh_many(*, rows: list[PostMetrics], budget_seconds: float) -> set[int]:
    """Refresh `rows` one after another until the time budget is spent; the rest are left
    to the background task. Returns the ids refreshed now."""
    deadline = time.monotonic() + budget_seconds
    done, left = set(), []
    for row in rows:
        if time.monotonic() >= deadline:
            left.append(row.pk)
            continue
        if post_metrics_refresh(metrics_id=row.pk):
            done.add(row.pk)
    for metrics_id in left:
        refresh_post_metrics_task.delay(metrics_id)
    return done


def post_metrics_due(*, now=None) -> list[int]:
    """Stale rows to refresh in the background, at most ANALYTICS_BATCH_PER_NETWORK per
    network per run (so that one sweep stays within each network's rate limits)."""
    now = now or timezone.now()
    due = (
        PostMetrics.objects.filter(PostMetrics.stale_filter(now))
        .filter(lease_free("refresh_lease_until", now))
        .exclude(sync_status=Sync.REQUIRES_RECONNECT, stale_after__gt=now)
    )
    ids = []
    for provider in registry.PROVIDERS:
        batch = due.filter(provider=provider).order_by("stale_after")
        ids += list(batch.values_list("pk", flat=True)[: settings.ANALYTICS_BATCH_PER_NETWORK])
    return ids


# The task that post_metrics_refresh_many enqueues lives beside it (analytics.tasks
# re-exports it, under the name it has always had), so services and tasks import in one
# direction only.
@shared_task(name="analytics.tasks.refresh_post_metrics_task", ignore_result=True)
def refresh_post_metrics_task(metrics_id: int) -> None:
    """Refresh one metrics row (post_metrics_refresh). Safe to repeat."""
    post_metrics_refresh(metrics_id=metrics_id)

"""Account analytics: each connected account's own numbers (followers, and the reach and
engagement its network counts for the account), one row per account and day, read from
the network by Beat every few hours and on an API read that finds today's row missing or
stale. A network that serves none gives `unsupported` rows, never invented numbers."""

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts import services as account_services
from accounts.errors import RefreshFailed
from accounts.models import SocialAccount
from analytics.models import AccountMetrics, PostMetrics
from providers.errors import MetricsUnsupported, ProviderError, ReconnectRequired

logger = logging.getLogger(__name__)
Sync = PostMetrics.SyncStatus
ACCOUNT_FRESHNESS = timedelta(hours=6)  # account numbers move slowly: a few reads a day
UNUSABLE = (SocialAccount.Health.REQUIRES_RECONNECT, SocialAccount.Health.DISCONNECTED)


def _store(account: SocialAccount, now, **fields) -> AccountMetrics:
    row, _ = AccountMetrics.objects.update_or_create(
        account=account,
        day=now.date(),
        defaults={"workspace_id": account.workspace_id, "mode": account.mode, "provider": account.provider, **fields},
    )
    return row


def account_metrics_refresh(*, account_id: str) -> AccountMetrics:
    """Read the account's numbers from its network into today's row and return it.

    A token the network refuses marks the account `requires_reconnect` and the row too; a
    network or account without account metrics (MetricsUnsupported) makes the row
    `unsupported`; any other failure keeps numbers read earlier today and records the
    error (`failed` when there are none). Safe to repeat."""
    account = SocialAccount.objects.get(pk=account_id)
    now = timezone.now()
    if account.health in UNUSABLE:
        message = f"The account is {account.health}; reconnect it to read its numbers."
        return _store(account, now, sync_status=Sync.REQUIRES_RECONNECT, error_message=message, last_updated_at=now)
    try:
        metrics = account_services.social_account_call(account=account, call=lambda c: c.fetch_account_metrics())
    except MetricsUnsupported as exc:
        return _store(
            account, now, sync_status=Sync.UNSUPPORTED, metrics={}, error_message=str(exc), last_updated_at=now
        )
    except (ReconnectRequired, RefreshFailed) as exc:
        account_services.social_account_mark_reconnect(account_id=account.pk, reason=str(exc))
        return _store(
            account, now, sync_status=Sync.REQUIRES_RECONNECT, error_message=str(exc)[:2000], last_updated_at=now
        )
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        if not isinstance(exc, ProviderError):
            logger.exception("Account metrics of %s failed unexpectedly", account.pk)
        kept = AccountMetrics.objects.filter(account=account, day=now.date()).exclude(metrics={}).exists()
        status = {} if kept else {"sync_status": Sync.FAILED}
        return _store(account, now, error_message=str(exc)[:2000] or exc.__class__.__name__, **status)
    return _store(account, now, sync_status=Sync.SYNCED, metrics=metrics, error_message="", last_updated_at=now)


def account_metrics_due(*, accounts=None, now=None) -> list[str]:
    """The usable accounts (of `accounts`, a queryset, or all) whose row of today is
    missing or older than ACCOUNT_FRESHNESS."""
    now = now or timezone.now()
    fresh = AccountMetrics.objects.filter(
        account=OuterRef("pk"), day=now.date(), last_updated_at__gte=now - ACCOUNT_FRESHNESS
    )
    candidates = accounts if accounts is not None else SocialAccount.objects.all()
    due = candidates.exclude(health__in=UNUSABLE).filter(~Q(Exists(fresh)))
    return list(due.order_by("pk").values_list("pk", flat=True)[:1000])


def account_metrics_refresh_many(*, account_ids: list[str], budget_seconds: float) -> None:
    """Refresh these accounts in turn until the time budget is spent; the rest wait for Beat."""
    deadline = time.monotonic() + budget_seconds
    for account_id in account_ids:
        if time.monotonic() > deadline:
            return
        account_metrics_refresh(account_id=account_id)


@shared_task(ignore_result=True)
def refresh_account_metrics_task(account_id: str) -> None:
    account_metrics_refresh(account_id=account_id)

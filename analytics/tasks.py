"""Celery tasks of analytics: background refresh of stale metrics."""

from celery import shared_task

from analytics import account_services, services
from analytics.account_services import refresh_account_metrics_task
from analytics.services import refresh_post_metrics_task


@shared_task(ignore_result=True)
def refresh_stale_metrics_task() -> None:
    """Beat: create rows for newly published deliveries, then one task per stale row."""
    services.post_metrics_ensure()
    for metrics_id in services.post_metrics_due():
        refresh_post_metrics_task.delay(metrics_id)


@shared_task(ignore_result=True)
def refresh_account_metrics_due_task() -> None:
    """Beat: one task per usable account whose numbers of today are missing or stale."""
    for account_id in account_services.account_metrics_due():
        refresh_account_metrics_task.delay(account_id)

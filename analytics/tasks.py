"""Celery tasks of analytics: background refresh of stale metrics."""

from celery import shared_task

from analytics import services
from analytics.services import refresh_post_metrics_task


@shared_task(ignore_result=True)
def refresh_stale_metrics_task() -> None:
    """Beat: create rows for newly published deliveries, then one task per stale row."""
    services.post_metrics_ensure()
    for metrics_id in services.post_metrics_due():
        refresh_post_metrics_task.delay(metrics_id)


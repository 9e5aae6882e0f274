"""Celery tasks of publishing: each takes ids and calls one service. The delivery path's
own tasks (deliver, fan out) live beside it in publishing.services.delivery and are
re-exported here, under the names they have always had."""

from celery import shared_task

from dravo.idempotency import idempotency_keys_prune
from publishing import services
from publishing.services.delivery import deliver_task, fan_out_task, post_fan_out_task, posts_fan_out_task  # noqa: F401
from publishing.services.jobs import job_run_task, jobs_resume_stale  # noqa: F401
from publishing.services.series import series_extend_due


@shared_task(ignore_result=True)
def dispatch_due_task() -> None:
    """Every second: release due scheduled posts and send due deliveries."""
    services.posts_release_due()
    services.posts_fan_out_missed()
    services.deliveries_dispatch_due()


@shared_task(ignore_result=True)
def extend_series_task() -> None:
    """Hourly: make the occurrences of recurring posts that come within the horizon."""
    series_extend_due()


@shared_task(ignore_result=True)
def recover_stuck_task() -> None:
    """Every 30 s: deliveries and jobs whose worker was lost go out again, and posts whose
    worker died before deriving their status get it."""
    services.deliveries_recover_stuck()
    services.posts_settle_stale()
    jobs_resume_stale()


@shared_task(ignore_result=True)
def prune_idempotency_keys_task() -> None:
    idempotency_keys_prune()

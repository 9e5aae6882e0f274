"""Celery tasks of publishing: each takes ids and calls one service. The delivery path's
own tasks (deliver, fan out) live beside it in publishing.services.delivery and are
re-exported here, under the names they have always had."""

from celery import shared_task

from dravo.idempotency import idempotency_keys_prune
from publishing import services
from publishing.services.delivery import deliver_task, fan_out_task, post_fan_out_task, posts_fan_out_task  # noqa: F401
from publishing.services.jobs import job_run_task, jobs_resume_stale  # noqa: F401
from publishing.services.series import series_extend_due

# Beat ticks every second (its database scheduler counts whole seconds). Posts due
# within the next half tick get one more release then, so none waits a whole tick.
HALF_TICK_SECONDS = 0.5


@shared_task(ignore_result=True)
def dispatch_due_task() -> None:
    """Every second: release due scheduled posts and send due deliveries; if a post falls
    due before the next half tick, one more release runs then."""
    services.posts_release_due()
    services.posts_fan_out_missed()
    services.deliveries_dispatch_due()
    if services.posts_due_within(seconds=HALF_TICK_SECONDS):
        release_due_task.apply_async(countdown=HALF_TICK_SECONDS, expires=2 * HALF_TICK_SECONDS + 1)


@shared_task(ignore_result=True)
def release_due_task() -> None:
    """Half a tick after dispatch_due_task: release the scheduled posts due by now."""
    services.posts_release_due()


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

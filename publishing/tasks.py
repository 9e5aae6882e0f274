"""Celery tasks of publishing: each takes ids and calls one service."""

from celery import shared_task

from dravo.idempotency import idempotency_keys_prune
from publishing import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_task(delivery_id: int) -> None:
    """One attempt at one delivery (the service owns retries via next_attempt_at)."""
    services.delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def post_fan_out_task(post_id: str) -> None:
    """Make a new post's deliveries and send them. A lost message costs a delay only: the
    dispatcher redoes the fan-out of a queued post that has no deliveries."""
    services.post_fan_out(post_id=post_id)


@shared_task(acks_late=True, ignore_result=True)
def fan_out_task(delivery_ids: list[int]) -> None:
    """One deliver_task per delivery (sent by the worker, not by the API request). A lost
    fan-out costs a delay only: the dispatcher re-sends deliveries whose message is late."""
    for delivery_id in delivery_ids:
        deliver_task.delay(delivery_id)


@shared_task(ignore_result=True)
def dispatch_due_task() -> None:
    """Every second: release due scheduled posts and send due deliveries."""
    services.posts_release_due()
    services.posts_fan_out_missed()
    services.deliveries_dispatch_due()


@shared_task(ignore_result=True)
def recover_stuck_task() -> None:
    services.deliveries_recover_stuck()


@shared_task(ignore_result=True)
def prune_idempotency_keys_task() -> None:
    idempotency_keys_prune()

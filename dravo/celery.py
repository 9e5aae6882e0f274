"""The single Celery app. Configuration lives in dravo/settings.py (CELERY_*)."""

import logging
import os
from datetime import datetime, timedelta

import django
from celery import Celery, signals

from dravo.boot import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dravo.settings")

app = Celery("dravo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def warm_up_worker(**kwargs) -> None:
    """Before the worker takes tasks (before a prefork pool forks, so its children inherit
    it): the warm-up of dravo.boot, so that the first deliveries, arriving together on
    every thread, do not each build Django's URL lookups."""
    django.setup()  # the Django fixup also does this on worker_init; whichever runs first
    warm_up()


class QuietTicks(logging.Filter):
    """Drop the INFO lines of Beat's housekeeping ticks (the dispatcher runs every second):
    Beat's "Sending due task …" and the worker's "Task … received" / "Task … succeeded" for
    the tasks routed to the `scheduler` queue. Their warnings and errors still show, and
    everything shows when the logger is at DEBUG. Named in settings.LOGGING."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING or logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is not ours to judge
            return True
        return not any(name in message for name in _tick_names())


def _tick_names() -> tuple[str, ...]:
    from django.conf import settings

    routed = tuple(name for name, route in settings.CELERY_TASK_ROUTES.items() if route.get("queue") == "scheduler")
    entries = tuple(name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] in routed)
    return routed + entries


def broker_prune(*, connection, older_than_seconds: float) -> int:
    """Delete the messages an SQLAlchemy broker delivered more than `older_than_seconds`
    ago: kombu keeps them, marked invisible, and Beat alone sends one a second. Returns how
    many were deleted; 0 on any other broker (nothing to prune)."""
    channel = connection.default_channel
    message = getattr(channel, "message_cls", None)
    if message is None:
        return 0
    cutoff = datetime.now() - timedelta(seconds=older_than_seconds)  # kombu stamps local naive times
    deleted = (
        channel.session.query(message)
        .filter(message.visible.is_(False), message.sent_at < cutoff)
        .delete(synchronize_session=False)
    )
    channel.session.commit()
    return deleted


@app.task(name="dravo.celery.prune_broker_task")
def prune_broker_task() -> int:
    """Beat's periodic clean-up of the embedded broker (scheduled only when it is in use)."""
    from django.conf import settings

    with app.connection_for_write() as connection:
        return broker_prune(connection=connection, older_than_seconds=settings.BROKER_PRUNE_AFTER_SECONDS)

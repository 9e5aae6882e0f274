"""Queues: each account's weekly slots, and posts placed in them (`queue: true`).

A queued post takes the earliest slot instant, at least a minute ahead and within 90 days,
that is a slot of every account it targets and free on each of them. Slots are local wall
times in the queue's zone, turned into instants as recurring posts' are (a time skipped
by a daylight saving change moves forward, a repeated one takes its first instant). A
taken slot is a QueueSlot row per account, unique per account and instant: two posts
queued at the same moment race on the constraint, and the loser takes the next slot."""

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import SocialAccount
from publishing.models import Post, QueueSchedule, QueueSlot
from publishing.recurrence import instant, zone_of

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
QUEUE_HORIZON = timedelta(days=90)
QUEUE_LEAD = timedelta(seconds=60)  # as a scheduled post: at least a minute ahead


def queue_get(*, account: SocialAccount) -> QueueSchedule:
    """The account's queue; an unsaved one without slots when it has none."""
    return QueueSchedule.objects.filter(account=account).first() or QueueSchedule(account=account)


def queue_set(*, account: SocialAccount, time_zone: str, slots: list[dict]) -> QueueSchedule:
    """Replace the account's slots (already checked: known days, HH:MM times, no repeats),
    kept in week order. Posts already placed keep their times."""
    ordered = sorted(slots, key=lambda slot: (DAYS.index(slot["day"]), slot["time"]))
    schedule, _ = QueueSchedule.objects.update_or_create(
        account=account, defaults={"time_zone": time_zone, "slots": ordered}
    )
    return schedule


def _instants(schedule: QueueSchedule, start: datetime, end: datetime) -> Iterator[datetime]:
    """The schedule's slot instants in [start, end), in order."""
    zone = zone_of(schedule.time_zone)
    by_weekday: dict[int, list[time]] = {}
    for slot in schedule.slots:
        by_weekday.setdefault(DAYS.index(slot["day"]), []).append(time.fromisoformat(slot["time"]))
    day: date = start.astimezone(zone).date() - timedelta(days=1)  # a slot late that day may fall after start
    last = end.astimezone(zone).date()
    while day <= last:
        for wall in sorted(by_weekday.get(day.weekday(), [])):
            at = instant(datetime.combine(day, wall), zone)
            if start <= at < end:
                yield at
        day += timedelta(days=1)


def queue_free_slots(*, account_ids: list[str], after: datetime | None = None) -> list[datetime]:
    """The instants, soonest first, at which a post to all of `account_ids` could be queued
    now: slots of every account, free on each, a minute to 90 days ahead. Raises
    ValidationError (400 on `queue`) when an account has no slots or none is free."""
    start = max(after or timezone.now(), timezone.now()) + QUEUE_LEAD
    end = start + QUEUE_HORIZON
    schedules = {s.account_id: s for s in QueueSchedule.objects.filter(account_id__in=account_ids)}
    empty = [a for a in account_ids if a not in schedules or not schedules[a].slots]
    if empty:
        raise ValidationError(
            {"queue": [f"No queue slots on {', '.join(empty)}: set them with PUT /v1/accounts/{{id}}/queue."]},
            code="no_slots",
        )
    common = set.intersection(*(set(_instants(s, start, end)) for s in schedules.values()))
    taken = set(
        QueueSlot.objects.filter(account_id__in=account_ids, at__gte=start, at__lt=end).values_list("at", flat=True)
    )
    free = sorted(common - taken)
    if not free:
        raise ValidationError(
            {"queue": ["No slot is free on every account within 90 days: add slots or schedule it instead."]},
            code="queue_full",
        )
    return free


def queue_claim(*, post: Post, account_ids: list[str], free: list[datetime], auto: bool = False) -> datetime:
    """Take the first of `free` that no one took meanwhile, for a post already stored in
    the caller's transaction, and return it. Each try is a savepoint: a slot taken by a
    concurrent post fails on the constraint and the next is tried. `auto`: an hour chosen
    by auto-scheduling (held the same way, but not a queue slot: shuffles leave it)."""
    for at in free:
        try:
            with transaction.atomic():
                QueueSlot.objects.bulk_create(
                    [QueueSlot(account_id=a, at=at, post=post, auto=auto) for a in account_ids]
                )
        except IntegrityError:
            continue
        return at
    field = "auto_schedule" if auto else "queue"
    raise ValidationError(
        {field: ["Every free time was taken by posts made at the same moment: try again."]}, code="queue_full"
    )


def queue_release(*, post_id: str) -> None:
    """The post leaves the queue (canceled, or moved by hand): its slots are free again."""
    QueueSlot.objects.filter(post_id=post_id).delete()


def queue_shuffle(*, account: SocialAccount) -> list[Post]:
    """Re-spread the account's queued posts (scheduled, a minute or more ahead) over the
    slots: in a random order, each takes the earliest slot free on all its accounts, so
    gaps left by canceled posts fill up. Their revisions grow, as with an edit; a post
    being released or edited at this moment is left where it is."""
    start = timezone.now() + QUEUE_LEAD
    with transaction.atomic():
        ids = QueueSlot.objects.filter(account=account, at__gte=start, auto=False).values("post_id")
        posts = list(Post.objects.select_for_update(skip_locked=True).filter(pk__in=ids, status=Post.Status.SCHEDULED))
        QueueSlot.objects.filter(post__in=posts).delete()
        random.shuffle(posts)
        for post in posts:
            account_ids = post.account_ids
            at = queue_claim(post=post, account_ids=account_ids, free=queue_free_slots(account_ids=account_ids))
            Post.objects.filter(pk=post.pk).update(scheduled_at=at, revision=F("revision") + 1)
            post.scheduled_at = at
    return sorted(posts, key=lambda post: post.scheduled_at)

"""Recurring posts: a series and its occurrences, each made as a scheduled post of its own
(`series`, `occurrence_at`) a little ahead of time, so that history, results and analytics
show one post per occurrence. The rule is read by publishing.recurrence."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import Workspace
from providers import registry
from publishing.models import Post, PostSeries
from publishing.recurrence import RecurrenceError, build, occurrences, zone_of
from publishing.services.delivery import deliveries_insert

NEXT_SHOWN = 5  # occurrences a series' GET shows


def _horizon() -> timedelta:
    return timedelta(days=settings.SERIES_HORIZON_DAYS)


def _rule(series: PostSeries):
    naive = {name: getattr(series, name) for name in ("start", "until")}
    naive = {name: value.replace(tzinfo=None) if value else None for name, value in naive.items()}
    return build(series.rule, naive["start"], count=series.count, until=naive["until"])


def recurrence_check(recurrence: dict) -> None:
    """A 400 naming `recurrence.<field>` when the rule, zone or bounds cannot be used, or
    when no occurrence falls at least a minute ahead. No writes."""
    try:
        zone = zone_of(recurrence["time_zone"])
        count, until = recurrence.get("count"), recurrence.get("until")
        rule = build(recurrence["rule"], recurrence["start"], count=count, until=until)
    except RecurrenceError as exc:
        raise ValidationError({f"recurrence.{exc.field}": [str(exc)]}, code="invalid") from exc
    soonest = timezone.now() + timedelta(seconds=60)
    if next(occurrences(rule, zone, after=soonest), None) is None:
        raise ValidationError({"recurrence.start": ["No occurrence falls in the future."]}, code="no_occurrence")


def series_create(*, workspace: Workspace, mode: str, post: Post, recurrence: dict) -> Post:
    """Store a series with the checked content of `post` (not saved) and make its first
    occurrences (those within SERIES_HORIZON_DAYS, and at least the first); returns the
    first occurrence's post."""
    series = PostSeries.objects.create(
        workspace=workspace,
        mode=mode,
        rule=recurrence["rule"].strip().removeprefix("RRULE:"),
        time_zone=recurrence["time_zone"],
        start=_stored(recurrence["start"]),
        count=recurrence.get("count"),
        until=_stored(recurrence["until"]) if recurrence.get("until") else None,
        text=post.text,
        media_urls=post.media_urls,
        platform_options=post.platform_options,
        providers=post.providers,
        targets=post.targets,
    )
    made = series_extend(series=series, at_least_one=True)
    return made[0]


def recycle_problems(*, recycle: dict, providers: list[str]) -> dict[str, str]:
    """What a recycle would meet at the networks, by attr: a network that refuses a
    repeated text needs variations. No I/O."""
    if recycle.get("variations"):
        return {}
    refusing = [registry.network(key).label for key in providers if registry.network(key).refuses_repeated_text]
    if not refusing:
        return {}
    return {"recycle.variations": f"{', '.join(refusing)} refuse a repeated text: give variations for the repeats."}


def recycle_create(*, post: Post, recycle: dict) -> PostSeries:
    """The repeats of a post just stored (its series: `every_days` apart, `times` of them,
    the variations in turn as their text); the post itself is the series' first."""
    base = post.scheduled_at or post.released_at or timezone.now()
    every = timedelta(days=recycle["every_days"])
    series = PostSeries.objects.create(
        workspace_id=post.workspace_id,
        mode=post.mode,
        rule=f"FREQ=DAILY;INTERVAL={recycle['every_days']}",
        time_zone="UTC",
        start=_stored((base + every).astimezone(UTC).replace(tzinfo=None)),
        count=recycle["times"],
        text=post.text,
        variations=list(recycle.get("variations") or []),
        media_urls=post.media_urls,
        platform_options=post.platform_options,
        providers=post.providers,
        targets=post.targets,
    )
    Post.objects.filter(pk=post.pk).update(series=series, occurrence_at=base)
    post.series, post.occurrence_at = series, base
    series_extend(series=series)
    return series


def _stored(wall: datetime) -> datetime:
    """A local wall time kept in a DateTimeField: its numbers, marked UTC (not an instant)."""
    return wall.replace(tzinfo=timezone.get_fixed_timezone(0))


def series_extend(*, series: PostSeries, at_least_one: bool = False) -> list[Post]:
    """Make the series' occurrences that fall within SERIES_HORIZON_DAYS and are not made
    yet (at least a minute ahead: a time already past is skipped), each a scheduled post
    with its deliveries. Safe to repeat and to run concurrently: one post per occurrence.
    `at_least_one`: the first occurrence even beyond the horizon."""
    if series.finished:
        return []
    now = timezone.now()
    soonest = max(now + timedelta(seconds=60), series.made_until or now)
    horizon = now + _horizon()
    made, last = [], series.made_until
    finished = True
    for index, at in enumerate(occurrences(_rule(series), zone_of(series.time_zone))):
        if at < soonest:
            continue
        if at > horizon and not (at_least_one and not made):
            finished = False
            break
        post = _occurrence(series, at, index)
        if post is not None:
            made.append(post)
        last = at
    PostSeries.objects.filter(pk=series.pk).update(made_until=last, finished=finished)
    series.made_until, series.finished = last, finished
    return made


def _occurrence(series: PostSeries, at: datetime, index: int) -> Post | None:
    variations = series.variations
    post = Post(
        workspace_id=series.workspace_id,
        mode=series.mode,
        text=variations[index % len(variations)] if variations else series.text,
        media_urls=series.media_urls,
        platform_options=series.platform_options,
        providers=series.providers,
        targets=series.targets,
        scheduled_at=at,
        status=Post.Status.SCHEDULED,
        series=series,
        occurrence_at=at,
    )
    try:
        with transaction.atomic():
            post.save(force_insert=True)
            deliveries_insert(post=post, due=None)
    except IntegrityError:
        return None  # made by a concurrent extend
    return post


def series_extend_due() -> int:
    """Beat: extend every unfinished series whose made occurrences end within the horizon."""
    ahead = timezone.now() + _horizon()
    due = PostSeries.objects.filter(Q(made_until__isnull=True) | Q(made_until__lt=ahead), finished=False)
    return sum(len(series_extend(series=series)) for series in due.iterator())


def series_next(*, series: PostSeries, count: int = NEXT_SHOWN) -> list[dict]:
    """The series' next occurrences after now, in UTC and in its own time zone."""
    zone = zone_of(series.time_zone)
    upcoming = []
    for at in occurrences(_rule(series), zone, after=timezone.now()):
        upcoming.append({"at": at, "local": at.astimezone(zone).isoformat()})
        if len(upcoming) == count:
            break
    return upcoming

"""Auto-scheduling (`auto_schedule: {"from", "to", "time_zone"}`): the post goes out at the
whole hour of that window where its accounts' audience engages most.

Each account scores each hour of the week from its own history (its published posts of
the last 90 days with metrics, read by analytics: the hour's mean
engagement over the account's mean) once it has `MIN_HISTORY` such posts; before that
from its network's `best_hours` (local hours of the request's zone, best first). An
hour's score is the sum over the accounts; the best free hour wins, the earliest among
equals. A chosen hour is held per account as a QueueSlot row marked `auto`, unique per
account and instant, so two auto-scheduled posts never share an account's hour even when
made at the same moment."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import SocialAccount
from providers import registry
from publishing.models import QueueSlot
from publishing.recurrence import instant, zone_of

MIN_HISTORY = 10  # posts with metrics an account needs before its own hours count
HISTORY = timedelta(days=90)
MAX_WINDOW_DAYS = 90
LEAD = timedelta(seconds=60)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Analytics builds on publishing and hands in its reader of the accounts' engagement by
# hour (analytics.apps.ready), so publishing never imports analytics. Without one every
# account is scored by its network's usual hours.
_engagement_readers: list[Callable[..., dict]] = []


def engagement_reader_set(reader: Callable[..., dict]) -> None:
    """Use `reader(account_ids=..., since=...)` → `{account_id: {"posts": n, "hours":
    {UTC hour of the week: score}}}` for the accounts' own history. Safe to repeat."""
    _engagement_readers[:] = [reader]


def _history(account_ids: list[str]) -> dict:
    if not _engagement_readers:
        return {}
    return _engagement_readers[0](account_ids=account_ids, since=timezone.now() - HISTORY)


@dataclass
class Choice:
    candidates: list[datetime]  # free hours, best first
    reason: Callable[[datetime], str]  # how one of them was chosen, in a line


def auto_window(*, start: date, end: date, time_zone: str) -> list[datetime]:
    """The whole hours (UTC instants) of the local days `start`…`end` in `time_zone`, a
    minute or more ahead. Raises ValidationError naming `auto_schedule.<field>`."""
    zone = zone_of(time_zone)
    if end < start:
        raise ValidationError({"auto_schedule": {"to": ["Must not be before from."]}}, code="invalid")
    if (end - start).days >= MAX_WINDOW_DAYS:
        raise ValidationError(
            {"auto_schedule": {"to": [f"At most {MAX_WINDOW_DAYS} days after from."]}}, code="invalid"
        )
    soonest = timezone.now() + LEAD
    hours = []
    day = start
    while day <= end:
        for hour in range(24):
            at = instant(datetime.combine(day, time(hour)), zone)
            if at >= soonest and (not hours or at > hours[-1]):
                hours.append(at)
        day += timedelta(days=1)
    if not hours:
        raise ValidationError({"auto_schedule": {"to": ["The window has no hour left ahead of now."]}}, code="invalid")
    return hours


def _default_scores(provider: str) -> dict[tuple[str, int], float]:
    ranked = registry.network(provider).best_hours
    return {slot: 1 - index / len(ranked) for index, slot in enumerate(ranked)}


def auto_choose(*, accounts: list[SocialAccount], hours: list[datetime], time_zone: str) -> Choice:
    """The hours of the window free on every account, best first, and a one-line reason.
    Raises ValidationError (400 on `auto_schedule`) when every hour is taken."""
    zone = zone_of(time_zone)
    history = _history([a.pk for a in accounts])
    own = {a.pk: history[a.pk] for a in accounts if history.get(a.pk, {}).get("posts", 0) >= MIN_HISTORY}
    taken = set(QueueSlot.objects.filter(account__in=accounts, at__in=hours).values_list("at", flat=True))
    defaults = {a.provider: _default_scores(a.provider) for a in accounts if a.pk not in own}

    def score(at: datetime) -> float:
        utc, local = at.astimezone(UTC), at.astimezone(zone)
        how, slot = utc.weekday() * 24 + utc.hour, (DAYS[local.weekday()], local.hour)
        return sum(
            own[a.pk]["hours"].get(how, 0) if a.pk in own else defaults[a.provider].get(slot, 0) for a in accounts
        )

    free = sorted((at for at in hours if at not in taken), key=lambda at: (-score(at), at))
    if not free:
        raise ValidationError(
            {"auto_schedule": ["Every hour of the window already has an auto-scheduled post on these accounts."]},
            code="window_full",
        )
    return Choice(candidates=free, reason=lambda at: _reason(at, zone, accounts, own))


def _reason(at: datetime, zone, accounts: list[SocialAccount], own: dict) -> str:
    local = at.astimezone(zone)
    parts = []
    if own:
        posts = sum(entry["posts"] for entry in own.values())
        parts.append(f"the engagement of {posts} past posts of {_count(len(own), 'account')}")
    if fallback := [a for a in accounts if a.pk not in own]:
        networks = ", ".join(sorted({registry.network(a.provider).label for a in fallback}))
        parts.append(f"the usual best hours of {networks} for {_count(len(fallback), 'account')} with little history")
    return f"{local:%a %d %b %H:%M} ({zone.key}): the best free hour of the window by {' and '.join(parts)}."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"

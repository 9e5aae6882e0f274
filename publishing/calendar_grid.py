"""The dashboard calendar's layout: which days a view shows, and where each post falls in
the display time zone (a month of day cells, or a time grid of one row per hour and one
column per day for the week and day views). No queries, no HTTP: the view reads the
posts, this places them, the template draws them.

Hours are wall-clock hours of the display zone: on the day the clocks go forward the
skipped hour is a `gap` (no post can be there, nothing can be dropped there); on the day
they go back, the repeated hour holds the posts of both passes."""

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from providers import registry
from publishing.models import Post

VIEWS = ("month", "week", "day")
HOURS = range(24)
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MOVABLE = (Post.Status.SCHEDULED,)  # what a drag (or the Move form) may reschedule


@dataclass(frozen=True)
class Span:
    """The days a view shows and the anchors of its previous and next pages."""

    first: date
    last: date
    previous: date
    following: date

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def view_span(view: str, anchor: date) -> Span:
    """Weeks start on Monday; a month shows the whole weeks around it."""
    if view == "day":
        return Span(anchor, anchor, anchor - timedelta(days=1), anchor + timedelta(days=1))
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return Span(start, start + timedelta(days=6), anchor - timedelta(days=7), anchor + timedelta(days=7))
    first = anchor.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return Span(
        first - timedelta(days=first.weekday()),
        last + timedelta(days=6 - last.weekday()),
        (first - timedelta(days=1)).replace(day=1),
        last + timedelta(days=1),
    )


def day_bounds(span: Span, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of the span's days in `tz` (a day is 23 or 25 hours across a DST change)."""
    return (
        datetime.combine(span.first, time.min, tzinfo=tz),
        datetime.combine(span.last + timedelta(days=1), time.min, tzinfo=tz),
    )


def hour_start(day: date, hour: int, tz: tzinfo) -> datetime | None:
    """The instant `day` `hour`:00 in `tz` (the first one when the clocks go back), None
    when that wall time does not exist (the clocks went forward over it)."""
    wall = datetime.combine(day, time(hour), tzinfo=tz)
    if wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return wall


@dataclass
class Entry:
    """One post on the calendar: its time in the display zone and what its card shows."""

    post: Post
    local: datetime
    networks: list[tuple[str, str]] = field(default_factory=list)  # (key, label)

    @property
    def movable(self) -> bool:
        return self.post.status in MOVABLE


def post_time(post: Post) -> datetime:
    """Where a post sits: its scheduled time, else (published at once) when it was made."""
    return post.scheduled_at or post.created_at


def drafts_accounts(posts) -> set[str]:
    """The accounts of the drafts among `posts`: a draft does not name its networks (its
    accounts are checked only when it is published), so the view looks them up."""
    return {account_id for post in posts if post.status == Post.Status.DRAFT for account_id in post.account_ids}


def entries(posts, tz: tzinfo, account_networks: dict[str, str] | None = None) -> list[Entry]:
    """The posts that have a place on a calendar, in time order; a draft without a time has
    none. `account_networks` (account id: network) names the networks of drafts."""
    placed = []
    for post in posts:
        if post.status == Post.Status.DRAFT and post.scheduled_at is None:
            continue
        keys = post.providers
        if not keys and account_networks:
            keys = sorted({account_networks[a] for a in post.account_ids if a in account_networks})
        networks = [(key, registry.NETWORKS[key].label if key in registry.NETWORKS else key) for key in keys]
        placed.append(Entry(post=post, local=post_time(post).astimezone(tz), networks=networks))
    return sorted(placed, key=lambda e: (post_time(e.post), e.post.pk))


def month_cells(span: Span, anchor: date, placed: list[Entry]) -> list[dict]:
    by_day: dict[date, list[Entry]] = {}
    for entry in placed:
        by_day.setdefault(entry.local.date(), []).append(entry)
    return [{"day": d, "entries": by_day.get(d, []), "other": d.month != anchor.month} for d in span.days]


def hour_rows(span: Span, placed: list[Entry], tz: tzinfo, now: datetime) -> list[dict]:
    """One row per hour (00-23), one cell per day: its posts, the instant it starts (for a
    drop), and whether it is over (`past`) or does not exist that day (`gap`)."""
    by_slot: dict[tuple[date, int], list[Entry]] = {}
    for entry in placed:
        by_slot.setdefault((entry.local.date(), entry.local.hour), []).append(entry)
    rows = []
    for hour in HOURS:
        cells = []
        for day in span.days:
            start = hour_start(day, hour, tz)
            cells.append(
                {
                    "day": day,
                    "hour": hour,
                    "start": start,
                    "gap": start is None,
                    "past": start is None or start + timedelta(hours=1) <= now,
                    "entries": by_slot.get((day, hour), []),
                }
            )
        rows.append({"hour": hour, "label": f"{hour:02d}:00", "cells": cells})
    return rows

"""The calendar feed: a workspace's scheduled posts as iCalendar (RFC 5545), read by a
calendar app with a secret token in its URL (calendar apps send no headers)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from icalendar import Calendar, Event

from accounts.models import Workspace
from dravo.ids import random_base62
from publishing.models import CalendarFeed, Post

TOKEN_PREFIX = "cal_"
FEED_LIMIT = 1000  # the soonest scheduled posts a feed lists
EVENT_LENGTH = timedelta(minutes=15)  # a post is a moment; calendars draw it as a short event


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_reset(*, workspace: Workspace, mode: str) -> str:
    """A new feed token for the workspace and mode (shown once: only its hash is kept); the
    one before stops working."""
    token = TOKEN_PREFIX + random_base62(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(workspace=workspace, mode=mode).delete()
        CalendarFeed.objects.create(workspace=workspace, mode=mode, token_hash=_hash(token))
    return token


def calendar_feed_disable(*, workspace: Workspace, mode: str) -> None:
    CalendarFeed.objects.filter(workspace=workspace, mode=mode).delete()


def calendar_feed_for(token: str) -> CalendarFeed | None:
    """The feed a token opens, or None (unknown, reset or disabled)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return CalendarFeed.objects.select_related("workspace").filter(token_hash=_hash(token)).first()


def calendar_ics(*, feed: CalendarFeed) -> bytes:
    """The feed's scheduled posts, soonest first: one event each, at its time (UTC), titled
    with its networks and first line, its text and accounts in the description, a link to
    the post in the dashboard, and its revision as the event's SEQUENCE (so a calendar
    updates an edited post instead of adding one)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Dravo//Scheduled posts//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Dravo: {feed.workspace.name} ({feed.mode})")
    posts = Post.objects.filter(workspace=feed.workspace, mode=feed.mode, status=Post.Status.SCHEDULED)
    for post in posts.order_by("scheduled_at", "id")[:FEED_LIMIT]:
        first_line = (post.text.strip().splitlines() or [""])[0][:80]
        networks = ", ".join(post.providers)
        event = Event()
        event.add("uid", f"{post.pk}@dravo")
        event.add("dtstamp", post.updated_at)
        event.add("dtstart", post.scheduled_at)
        event.add("dtend", post.scheduled_at + EVENT_LENGTH)
        event.add("sequence", post.revision)
        event.add("summary", f"{networks}: {first_line}" if networks else first_line)
        event.add("description", f"{post.text}\n\nAccounts: {', '.join(post.account_ids)}")
        event.add("url", f"{settings.BASE_URL}/posts/{post.pk}")
        calendar.add_component(event)
    return calendar.to_ical()

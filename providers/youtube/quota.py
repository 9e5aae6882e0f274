"""The YouTube Data API's daily quota, counted on Dravo's side so that an upload that
cannot fit is held back (RateLimited until the quota resets) instead of being refused
after its bytes were read.

The quota belongs to the Google Cloud project (the OAuth app), not to a channel: every
account connected through the same app shares it. It resets at midnight Pacific time.
Counted in Django's cache, one counter per app client_id and Pacific day (and per bucket).

Two models (https://developers.google.com/youtube/v3/determine_quota_cost), chosen by the
setting `YOUTUBE_QUOTA_MODEL` (else the environment's `DRAVO_YOUTUBE_QUOTA_MODEL`):

- `units` (the default, and the `videos.insert` reference's): every call costs units out of
  10,000 a day, an upload 1,600 of them;
- `bucket` (the newer quota page's): uploads have their own bucket of 100 a day, costing 1
  each, while every other call still costs units out of 10,000.

The daily limits are the settings `YOUTUBE_QUOTA_DAILY_UNITS` and
`YOUTUBE_QUOTA_DAILY_UPLOADS` (environment `DRAVO_YOUTUBE_QUOTA_DAILY_UNITS` /
`DRAVO_YOUTUBE_QUOTA_DAILY_UPLOADS`): a project granted more quota raises them.
"""

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache

from providers.errors import RateLimited

PACIFIC = ZoneInfo("America/Los_Angeles")
UNITS, BUCKET = "units", "bucket"
DAILY_UNITS = 10_000
DAILY_UPLOADS = 100  # the bucket model's uploads per day
INSERT_UNITS = 1_600  # videos.insert under the units model
# What each call costs in units (the quota calculator); an upload under the bucket model
# costs 1 of the uploads bucket instead.
COSTS = {
    "videos.insert": INSERT_UNITS,
    "videos.list": 1,
    "channels.list": 1,
    "playlists.list": 1,
    "playlistItems.list": 1,
    "playlistItems.insert": 50,
    "thumbnails.set": 50,
    "search.list": 100,
}


def _setting(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(f"DRAVO_{name}") or default
    return type(default)(value)


def model() -> str:
    value = _setting("YOUTUBE_QUOTA_MODEL", UNITS)
    return value if value in (UNITS, BUCKET) else UNITS


def seconds_to_reset(now: datetime | None = None) -> float:
    """Seconds until the next midnight in America/Los_Angeles (at least one)."""
    now = (now or datetime.now(PACIFIC)).astimezone(PACIFIC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return max(1.0, (midnight - now).total_seconds())


class Quota:
    """The quota of one Google Cloud project (`client_id`) for the Pacific day."""

    def __init__(self, client_id: str, *, counted: bool = True):
        self.client_id = client_id or "-"
        self.counted = counted  # False: the app spends no real quota (the sandbox's)

    def _key(self, bucket: str) -> str:
        day = datetime.now(PACIFIC).date().isoformat()
        return f"dravo:youtube-quota:{self.client_id}:{day}:{bucket}"

    def _limit(self, bucket: str) -> int:
        if bucket == "uploads":
            return _setting("YOUTUBE_QUOTA_DAILY_UPLOADS", DAILY_UPLOADS)
        return _setting("YOUTUBE_QUOTA_DAILY_UNITS", DAILY_UNITS)

    def _charge_of(self, call: str) -> tuple[str, int]:
        if call == "videos.insert" and model() == BUCKET:
            return "uploads", 1
        return "units", COSTS.get(call, 1)

    def used(self, bucket: str = "units") -> int:
        return int(cache.get(self._key(bucket)) or 0)

    def ensure(self, call: str) -> None:
        """RateLimited, until midnight Pacific time, when `call` would take the day's quota
        past its limit. No network I/O."""
        bucket, cost = self._charge_of(call)
        limit = self._limit(bucket)
        if self.used(bucket) + cost > limit:
            raise RateLimited(
                f"YouTube's daily quota of this app would be exceeded by {call} "
                f"({self.used(bucket)} of {limit} {'uploads' if bucket == 'uploads' else 'units'} used today); "
                "it resets at midnight Pacific time.",
                retry_after=seconds_to_reset(),
            )

    def charge(self, call: str) -> None:
        """Count `call` against today's quota (every call costs, even a refused one)."""
        bucket, cost = self._charge_of(call)
        if self.counted:
            self._add(bucket, cost)

    def exhaust(self, call: str) -> None:
        """YouTube said `quotaExceeded` to `call`: its bucket is taken as used up today."""
        bucket, _ = self._charge_of(call)
        key = self._key(bucket)
        cache.set(key, max(self.used(bucket), self._limit(bucket)), timeout=seconds_to_reset() + 3600)

    def _add(self, bucket: str, amount: int) -> None:
        key = self._key(bucket)
        cache.add(key, 0, timeout=seconds_to_reset() + 3600)
        try:
            cache.incr(key, amount)
        except ValueError:  # evicted between add and incr
            cache.set(key, amount, timeout=seconds_to_reset() + 3600)

"""Request budgets: exact fixed-window counters shared by every process.

A window opens at the first request of an identity and lasts the budget's period; each
request adds one to its counter atomically, and a request whose count exceeds the limit
is refused until the window closes. Counting and reading are one atomic step, so N
parallel requests against a budget of L let exactly min(N, L) through, whatever the
number of processes.

- With Redis (DRAVO_CACHE_URL set), one Lua script: INCR, and PEXPIRE when the counter
  is new (so the window starts at its first request).
- Without Redis, one row per identity in the database (accounts.ThrottleCounter),
  updated by a single INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and PostgreSQL.
"""

import functools
import hashlib
import re
import time

import redis
from django.conf import settings
from django.db import connection

from accounts.models import ThrottleCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<multiple>\d*)\s*(?P<unit>[smhd])[a-z]*\s*$")

_REDIS_HIT = """
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if hits == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
"""

_TABLE = ThrottleCounter._meta.db_table
_DB_HIT = f"""
INSERT INTO {_TABLE} (ident, hits, window_ends) VALUES (%s, 1, %s)
ON CONFLICT (ident) DO UPDATE SET
  hits = CASE WHEN {_TABLE}.window_ends <= %s THEN 1 ELSE {_TABLE}.hits + 1 END,
  window_ends = CASE WHEN {_TABLE}.window_ends <= %s THEN excluded.window_ends ELSE {_TABLE}.window_ends END
RETURNING hits, window_ends
"""


def parse_rate(rate: str) -> tuple[int, int]:
    """`"30/min"` → (30, 60): the limit and the period in seconds (units s, m, h, d as in
    DRF, with an optional multiple: `"100/5min"`). Raises ValueError."""
    match = RATE.match(rate)
    if match is None or int(match["count"]) < 1:
        raise ValueError(f"Invalid rate {rate!r}: expected e.g. '1200/min' or '100/5min'.")
    return int(match["count"]), int(match["multiple"] or 1) * PERIODS[match["unit"]]


@functools.lru_cache(maxsize=4)
def _redis_script(url: str):
    return redis.Redis.from_url(url).register_script(_REDIS_HIT)


def _hit_redis(url: str, ident: str, period: int) -> tuple[int, float]:
    hits, ttl_ms = _redis_script(url)(keys=[f"dravo:throttle:{ident}"], args=[period * 1000])
    return int(hits), int(ttl_ms) / 1000


def _hit_database(ident: str, period: int) -> tuple[int, float]:
    now = time.time()
    with connection.cursor() as cursor:
        cursor.execute(_DB_HIT, [ident, now + period, now, now])
        hits, window_ends = cursor.fetchone()
    return int(hits), max(window_ends - now, 0.0)


def rate_limit_hit(*, ident: str, limit: int, period: int) -> float | None:
    """Count one request of `ident` against `limit` per `period` seconds.

    Returns None when it is within the budget, else the seconds until the window closes
    (at least 1). Every call counts, refused ones included. Not idempotent: each call is
    one request. Raises redis.RedisError when Redis is configured but unreachable.
    """
    ident = ident[:200]
    url = settings.CACHE_URL
    hits, remaining = _hit_redis(url, ident, period) if url else _hit_database(ident, period)
    if hits <= limit:
        return None
    return max(remaining, 1.0)


def login_attempt_spend(*, username: str, ip: str) -> float | None:
    """Count one login attempt against the per-username and the per-IP budget
    (DRAVO_LOGIN_RATE_PER_USERNAME, DRAVO_LOGIN_RATE_PER_IP).

    Returns None when both allow it, else the seconds until the later one does. Usernames
    count case-insensitively and are stored hashed.
    """
    waits = [rate_limit_hit(ident=f"login-ip:{ip}", **_budget(settings.LOGIN_RATE_PER_IP))]
    if username:
        digest = hashlib.sha256(username.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()[:40]
        waits.append(rate_limit_hit(ident=f"login-user:{digest}", **_budget(settings.LOGIN_RATE_PER_USERNAME)))
    refused = [wait for wait in waits if wait is not None]
    return max(refused) if refused else None


def _budget(rate: str) -> dict:
    limit, period = parse_rate(rate)
    return {"limit": limit, "period": period}


def throttle_counters_prune(*, now: float | None = None) -> int:
    """Delete the database counters whose window has closed. Safe to repeat."""
    deleted, _ = ThrottleCounter.objects.filter(window_ends__lt=now or time.time()).delete()
    return deleted

"""Recurring posts: an RFC 5545 rule (python-dateutil's rrule) read in local wall time.

A series says "09:00 in Europe/Paris every Monday"; each occurrence is that wall time on
its day, turned into an instant only then, so it keeps its local time across daylight
saving changes. A wall time that does not exist that day (the hour skipped in spring)
moves forward to the first time that exists (the end of the gap); one that exists twice
(the hour repeated in autumn) is its first instant. No Django, no I/O.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

MAX_COUNT = 1000  # the most occurrences a series may have
# Rule parts that would move the series' start or end out of its own fields.
FORBIDDEN_PARTS = ("DTSTART", "COUNT", "UNTIL", "TZID")


class RecurrenceError(ValueError):
    """A rule, zone or bound Dravo cannot use; `field` names which (`rule`, `time_zone`…)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RecurrenceError("time_zone", f"{name!r} is not an IANA time zone, e.g. Europe/Paris.") from exc


def build(rule: str, start: datetime, *, count: int | None = None, until: datetime | None = None) -> rrule:
    """The rrule of a series: `rule` (e.g. FREQ=WEEKLY;BYDAY=MO,WE) from the local wall
    time `start` (naive), with at most `count` occurrences or none after `until` (local,
    naive). Raises RecurrenceError naming the field at fault."""
    text = (rule or "").strip().removeprefix("RRULE:")
    parts = [part.split("=", 1)[0].strip().upper() for part in text.split(";") if part.strip()]
    if not text or "FREQ" not in parts:
        raise RecurrenceError("rule", "An RFC 5545 rule with FREQ, e.g. FREQ=WEEKLY;BYDAY=MO,WE.")
    if bad := [part for part in parts if part in FORBIDDEN_PARTS]:
        raise RecurrenceError("rule", f"Give {', '.join(bad)} as the recurrence's own fields, not in the rule.")
    if count is not None and until is not None:
        raise RecurrenceError("count", "Give count or until, not both.")
    if count is None and until is None:
        raise RecurrenceError("count", "Give count (how many times) or until (the last local date-time).")
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise RecurrenceError("count", f"Between 1 and {MAX_COUNT}.")
    if until is not None and until < start:
        raise RecurrenceError("until", "Must not be before start.")
    try:
        parsed = rrulestr(text, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError("rule", f"Not a rule Dravo can read: {exc}.") from exc
    if not isinstance(parsed, rrule):
        raise RecurrenceError("rule", "One RRULE only.")
    bounded = parsed.replace(count=count, until=until)
    if until is not None and len(list(islice(bounded, MAX_COUNT + 1))) > MAX_COUNT:
        # A minutely rule until next year would make a post a minute: bound it as count is.
        raise RecurrenceError("until", f"This rule gives more than {MAX_COUNT} occurrences before until.")
    return bounded


def instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of the local wall time `wall` (naive) in `zone`: its first instant
    when it happens twice, the end of the gap when it does not happen at all."""
    aware = wall.replace(tzinfo=zone, fold=0)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) == wall:
        return utc
    # Skipped: the first wall time after it that exists (the gap is at most a few hours).
    probe = wall.replace(second=0, microsecond=0)
    for _ in range(24 * 60):
        probe += timedelta(minutes=1)
        candidate = probe.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if candidate.astimezone(zone).replace(tzinfo=None) == probe:
            return candidate
    return utc  # not reached for any real zone


def occurrences(series_rule: rrule, zone: ZoneInfo, *, after: datetime | None = None) -> Iterator[datetime]:
    """The series' occurrences as UTC instants, in order, from the first after `after`
    (an aware instant; all of them without it)."""
    for wall in series_rule:
        at = instant(wall, zone)
        if after is None or at > after:
            yield at

"""Times as people type them on the command line, made aware datetimes for the API.

Understood: ISO 8601 with or without an offset (`2027-01-04T09:00+01:00`,
`2027-01-04 09:00`), `now`, `in 2h` / `in 30 min` / `in 3 days`, `today 18:00`,
`tomorrow 9:00` (or `tomorrow at 9am`), and a bare time (`9:00`, `6pm`: the next one to
come). A time without an offset is local to the zone given (else this machine's zone).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

_UNITS = {"m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
          "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
          "d": "days", "day": "days", "days": "days", "w": "weeks", "week": "weeks", "weeks": "weeks"}
_RELATIVE = re.compile(r"in\s+(\d+)\s*([a-z]+)")
_DAY_AND_TIME = re.compile(r"(today|tomorrow)(?:\s+(?:at\s+)?(.+))?")
_CLOCK = re.compile(r"\d{1,2}(:\d{2})?\s*(am|pm)?")


def zone(name: str | None) -> tzinfo:
    """The zone named (`Europe/Paris`), or this machine's. Raises ValueError if unknown."""
    if not name:
        return datetime.now().astimezone().tzinfo  # type: ignore[return-value]
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def parse_when(text: str, *, tz: str | None = None, now: datetime | None = None) -> datetime:
    """The aware instant `text` means, read in zone `tz`. Raises ValueError if it means
    nothing understood."""
    where = zone(tz)
    now = (now or datetime.now(where)).astimezone(where)
    spoken = " ".join(text.strip().lower().split())
    if spoken == "now":
        return now
    if match := _RELATIVE.fullmatch(spoken):
        unit = _UNITS.get(match.group(2))
        if unit is None:
            raise ValueError(f"unknown unit {match.group(2)!r} in {text!r} (use m, h, d or w)")
        return now + timedelta(**{unit: int(match.group(1))})
    if match := _DAY_AND_TIME.fullmatch(spoken):
        day = now.date() + timedelta(days=1 if match.group(1) == "tomorrow" else 0)
        clock = _clock(match.group(2) or "9:00", text)
        return datetime.combine(day, clock, tzinfo=where)
    if _CLOCK.fullmatch(spoken):
        at = datetime.combine(now.date(), _clock(spoken, text), tzinfo=where)
        return at if at > now else at + timedelta(days=1)
    return _absolute(text, where)


def _clock(text: str, original: str):
    try:
        return dateparser.parse(text).time()
    except (ValueError, OverflowError) as error:
        raise ValueError(f"cannot read the time in {original!r}") from error


def _absolute(text: str, where: tzinfo) -> datetime:
    try:
        moment = dateparser.parse(text)
    except (ValueError, OverflowError) as error:
        hint = "try '2027-01-04 09:00', 'tomorrow 9:00' or 'in 2h'"
        raise ValueError(f"cannot read {text!r} as a time ({hint})") from error
    return moment.replace(tzinfo=where) if moment.tzinfo is None else moment

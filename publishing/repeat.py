"""The compose page's Repeat fieldset: its presets turned into an RFC 5545 rule, and the
preview of a rule's next occurrences, read with publishing.recurrence so that daylight
saving changes move them exactly as the API's series do. No I/O, no writes."""

from dataclasses import dataclass
from datetime import UTC, datetime

from publishing.recurrence import RecurrenceError, build, instant, zone_of

# (value, label) of the frequency presets; "custom" takes a rule as typed.
FREQUENCIES = [
    ("", "Does not repeat"),
    ("daily", "Every day"),
    ("weekdays", "Every weekday (Monday to Friday)"),
    ("weekly", "Every week"),
    ("monthly", "Every month"),
    ("custom", "Custom rule (RFC 5545)"),
]
WEEKDAYS = [("MO", "Mon"), ("TU", "Tue"), ("WE", "Wed"), ("TH", "Thu"), ("FR", "Fri"), ("SA", "Sat"), ("SU", "Sun")]
PRESET_RULES = {"daily": "FREQ=DAILY", "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "monthly": "FREQ=MONTHLY"}
SHOWN = 5  # occurrences a preview lists


def repeat_rule(*, frequency: str, days: list[str], custom: str = "") -> str:
    """The RFC 5545 rule of a preset: `frequency` (a FREQUENCIES value), `days` (BYDAY
    codes, for "weekly"; none means the start's weekday), `custom` the typed rule.
    "" when the post does not repeat."""
    if frequency == "weekly":
        chosen = [code for code, _ in WEEKDAYS if code in days]
        return "FREQ=WEEKLY" + (f";BYDAY={','.join(chosen)}" if chosen else "")
    if frequency == "custom":
        return custom.strip()
    return PRESET_RULES.get(frequency, "")


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: its instant (UTC), the wall time the rule gave it in the series'
    zone, and whether that wall time did not exist (a daylight saving gap moved it)."""

    at: datetime
    wall: datetime
    moved: bool


@dataclass(frozen=True)
class Preview:
    occurrences: list[Occurrence]
    total: int | None  # how many occurrences in all, when a count bounds them
    time_zone: str


def _local(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise RecurrenceError(field, "A local date and time, e.g. 2027-01-04T09:00.") from exc
    if parsed.tzinfo is not None:
        raise RecurrenceError(field, "A local date and time without an offset: the time zone is given beside it.")
    return parsed


def _count(value: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise RecurrenceError("count", "How many times: a whole number, e.g. 10.")
    return int(value)


def recurrence_preview(
    *, rule: str, time_zone: str, start: str, count: str = "", until: str = "", after: datetime | None = None
) -> Preview:
    """The first SHOWN occurrences after `after` (now without it) of `rule` from the local
    wall time `start` in `time_zone`, bounded by `count` or `until` (all as typed in the
    form). Raises RecurrenceError naming the field at fault, as the API's checks do."""
    if not start.strip():
        raise RecurrenceError("start", "Pick the first date and time under When.")
    zone = zone_of(time_zone.strip())
    first, last = _local(start, "start"), _local(until, "until") if until.strip() else None
    times = _count(count)
    series = build(rule, first, count=times, until=last)
    after = after or datetime.now(UTC)
    shown = []
    for wall in series:
        at = instant(wall, zone)
        if at > after:
            shown.append(Occurrence(at, wall, at.astimezone(zone).replace(tzinfo=None) != wall))
        if len(shown) == SHOWN:
            break
    if not shown:
        raise RecurrenceError("start", "No occurrence falls in the future: pick a later start.")
    return Preview(shown, times, zone.key)

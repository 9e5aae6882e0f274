"""How `dravo post --at` reads times."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dravo_sdk.cli_time import parse_when

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 5, 14, 30, tzinfo=PARIS)


@pytest.mark.parametrize(("text", "expected"), [
    ("2027-01-04 09:00", datetime(2027, 1, 4, 9, 0, tzinfo=PARIS)),
    ("2027-01-04T09:00:00+00:00", datetime(2027, 1, 4, 9, 0, tzinfo=UTC)),
    ("2027-07-01T12:00Z", datetime(2027, 7, 1, 12, 0, tzinfo=UTC)),
    ("tomorrow 9:00", datetime(2026, 12, 6, 9, 0, tzinfo=PARIS)),
    ("Tomorrow at 6pm", datetime(2026, 12, 6, 18, 0, tzinfo=PARIS)),
    ("tomorrow", datetime(2026, 12, 6, 9, 0, tzinfo=PARIS)),
    ("today 18:00", datetime(2026, 12, 5, 18, 0, tzinfo=PARIS)),
    ("in 2h", NOW + timedelta(hours=2)),
    ("in 30 min", NOW + timedelta(minutes=30)),
    ("in 3 days", NOW + timedelta(days=3)),
    ("now", NOW),
    ("16:00", datetime(2026, 12, 5, 16, 0, tzinfo=PARIS)),
    ("9:00", datetime(2026, 12, 6, 9, 0, tzinfo=PARIS)),  # passed today: the next one
])
def test_a_time_is_read_in_the_zone_given(text, expected):
    assert parse_when(text, tz="Europe/Paris", now=NOW) == expected


def test_a_local_time_follows_daylight_saving():
    summer = parse_when("2027-07-01 09:00", tz="Europe/Paris")
    assert summer.astimezone(UTC).hour == 7


@pytest.mark.parametrize("text", ["the day after never", "in 2 fortnights", "tomorrow at teatime"])
def test_what_is_not_understood_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_when(text, tz="Europe/Paris", now=NOW)


def test_an_unknown_zone_is_a_value_error():
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_when("tomorrow 9:00", tz="Mars/Olympus")

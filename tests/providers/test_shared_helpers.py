"""The pieces every network's client shares: the publish checkpoint and rate-limit parsing."""

import json
from datetime import UTC, datetime

import pytest

from providers import http
from providers.base import Media, checkpoint_state
from providers.media_rules import DURATION, FORMAT, SIZE, media_breaches
from providers.network import MediaLimit


def test_a_checkpoint_resumes_from_the_saved_state_and_hands_over_a_copy_at_each_save():
    saved = []
    state, save = checkpoint_state({"container_id": "c1"}, saved.append)
    save(media_ids=["m1"])
    save(post_id="p1")
    assert state == {"container_id": "c1", "media_ids": ["m1"], "post_id": "p1"}
    assert saved == [
        {"container_id": "c1", "media_ids": ["m1"]},
        {"container_id": "c1", "media_ids": ["m1"], "post_id": "p1"},
    ]
    saved[0]["container_id"] = "changed"
    assert state["container_id"] == "c1"


def test_a_checkpoint_without_a_saver_still_keeps_its_state():
    state, save = checkpoint_state(None, None)
    save(upload_id="u1")
    assert state == {"upload_id": "u1"}


def test_the_business_use_case_header_gives_the_longest_wait_in_minutes():
    header = json.dumps({"1": [{"estimated_time_to_regain_access": 3}], "2": [{"estimated_time_to_regain_access": 7}]})
    assert http.business_use_case_minutes(header) == 7.0


@pytest.mark.parametrize(
    "header", [None, "", "not json", "[]", '{"1": "x"}', '{"1": [{"estimated_time_to_regain_access": "soon"}]}']
)
def test_an_absent_or_unreadable_business_use_case_header_is_no_wait(header):
    assert http.business_use_case_minutes(header) == 0.0


VIDEO = MediaLimit("video", ("video/mp4",), max_count=1, max_bytes=100, seconds=(3, 60))


def video(**values) -> Media:
    return Media(url="https://example.com/v.mp4", kind="video", **values)


def test_media_within_the_table_breaks_no_rule_and_unknown_values_break_none():
    assert media_breaches(VIDEO, video(mime_type="video/mp4", size_bytes=100, duration_s=60)) == set()
    assert media_breaches(VIDEO, video()) == set()
    assert media_breaches(None, video(mime_type="image/png")) == set()


def test_media_outside_the_table_breaks_its_format_size_and_duration_rules():
    assert media_breaches(VIDEO, video(mime_type="video/webm", size_bytes=101, duration_s=2.9)) == {
        FORMAT,
        SIZE,
        DURATION,
    }
    assert media_breaches(VIDEO, video(duration_s=61)) == {DURATION}


def test_a_duration_without_a_published_maximum_is_checked_only_against_its_minimum():
    open_ended = MediaLimit("video", (), seconds=(3, None))
    assert media_breaches(open_ended, video(duration_s=10_000, mime_type="video/anything")) == set()
    assert media_breaches(open_ended, video(duration_s=1)) == {DURATION}


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-12-03T10:00:00+0000", datetime(2026, 12, 3, 10, tzinfo=UTC)),  # the Graph APIs
        ("2026-12-03T10:00:00.250+0000", datetime(2026, 12, 3, 10, 0, 0, 250000, tzinfo=UTC)),
        ("2026-12-04T10:00:00.123456789Z", datetime(2026, 12, 4, 10, 0, 0, 123456, tzinfo=UTC)),  # Google
        ("2026-12-04T12:00:00+02:00", datetime(2026, 12, 4, 10, tzinfo=UTC)),
        ("2026-12-04T10:00:00", datetime(2026, 12, 4, 10, tzinfo=UTC)),  # no offset: UTC (Pinterest, date_gmt)
        ("", None),
        ("yesterday", None),
        (None, None),
        (1733306400, None),
    ],
)
def test_iso_time_reads_every_networks_timestamps(value, expected):
    assert http.iso_time(value) == expected

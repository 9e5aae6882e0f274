"""The pieces every network's client shares: the publish checkpoint and rate-limit parsing."""

import json

import pytest

from providers import http
from providers.base import checkpoint_state


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

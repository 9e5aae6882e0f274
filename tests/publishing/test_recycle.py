"""Recycled (evergreen) posts: published again every N days, N times, each a post of its
own in the post's series, with the variations in turn; a network that refuses a repeated
text needs variations."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing.models import Post, PostSeries
from tests import factories

pytestmark = pytest.mark.django_db


def create(api_client, accounts, **body):
    return api_client.post(
        "/v1/posts", {"account_ids": [a.pk for a in accounts], "text": "Evergreen tip", **body}, format="json"
    )


def test_a_recycled_post_repeats_every_n_days_with_its_variations(api_client, workspace, settings):
    settings.SERIES_HORIZON_DAYS = 400
    account = factories.make_account(workspace, provider="mastodon")
    when = timezone.now() + timedelta(days=1)
    recycle = {"every_days": 30, "times": 3, "variations": ["Tip, again", "Tip, once more"]}
    response = create(api_client, [account], scheduled_at=when.isoformat(), recycle=recycle)
    assert response.status_code == 202, response.content
    posts = list(Post.objects.order_by("scheduled_at"))
    assert [post.text for post in posts] == ["Evergreen tip", "Tip, again", "Tip, once more", "Tip, again"]
    days = [round((post.scheduled_at - posts[0].scheduled_at).total_seconds() / 86400, 3) for post in posts]
    assert days == [0, 30, 60, 90]  # (the repeats fall on whole seconds)
    assert {post.series_id for post in posts} == {response.json()["series_id"]} and PostSeries.objects.get().finished
    assert all(post.status == "scheduled" and post.deliveries.count() == 1 for post in posts)


def test_a_network_that_refuses_a_repeated_text_needs_variations(api_client, workspace):
    x, mastodon = (
        factories.make_account(workspace, provider="x"),
        factories.make_account(workspace, provider="mastodon"),
    )
    refused = create(api_client, [x, mastodon], recycle={"every_days": 7, "times": 2})
    assert refused.status_code == 400
    found = {e["attr"]: e for e in refused.json()["errors"]}
    assert "X refuse a repeated text" in found["recycle.variations"]["detail"]
    assert not Post.objects.exists()
    ok = create(api_client, [mastodon], recycle={"every_days": 7, "times": 2})  # Mastodon takes a repeat
    assert ok.status_code == 202, ok.content


def test_each_variation_passes_the_networks_rules(api_client, workspace):
    x = factories.make_account(workspace, provider="x")
    response = create(api_client, [x], recycle={"every_days": 7, "times": 2, "variations": ["fine", "y" * 300]})
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["recycle.variations.1"]
    both = create(
        api_client,
        [x],
        recycle={"every_days": 7, "times": 1, "variations": ["a"]},
        recurrence={"rule": "FREQ=DAILY", "time_zone": "UTC", "start": "2099-01-01T09:00", "count": 2},
    )
    assert "recycle" in [e["attr"] for e in both.json()["errors"]]


def test_a_recycle_to_an_unknown_account_is_a_400_not_a_crash(api_client, workspace):
    response = api_client.post(
        "/v1/posts",
        {"account_ids": ["acc_nobody"], "text": "x", "recycle": {"every_days": 7, "times": 2}},
        format="json",
    )
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["account_ids.0"]

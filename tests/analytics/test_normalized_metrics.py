"""Analytics that add up: every row carries normalized views, likes, comments, shares and
clicks (null where the network has no such number) beside the network's own keys, and the
overview sums those and the network keys that are counts, never a ratio."""

import json
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
import responses
from django.utils import timezone

from accounts import services as account_services
from analytics.models import PostMetrics
from analytics.services import post_metrics_track
from providers.base import Content, Media
from publishing.models import Delivery, Post
from sandbox.core import account_id_for
from tests import factories
from tests.conftest import client_for

NORMALIZED = ("views", "likes", "comments", "shares", "clicks")
SHARE_STATISTICS = re.compile(r"https://api\.linkedin\.com/rest/organizationalEntityShareStatistics\?.*")


def published(workspace, account, platform_post_id, text="hello"):
    post = Post.objects.create(workspace=workspace, mode=account.mode, text=text, status="published",
                               providers=[account.provider])
    delivery = Delivery.objects.create(post=post, account=account, provider=account.provider, status="published",
                                       platform_post_id=platform_post_id, published_at=timezone.now())
    post_metrics_track(delivery=delivery)  # as the delivery service does on publish
    return post


def share_statistics(urn, *, impressions, clicks, likes, comments, shares, engagement):
    stats = {"uniqueImpressionsCount": impressions // 2, "shareCount": shares, "engagement": engagement,
             "clickCount": clicks, "likeCount": likes, "impressionCount": impressions, "commentCount": comments}
    return {"elements": [{"totalShareStatistics": stats, "share": urn,
                          "organizationalEntity": "urn:li:organization:5515"}]}


@pytest.mark.django_db
@responses.activate
def test_the_overview_sums_linkedin_counts_but_never_its_engagement_ratio(workspace, live_api_key):
    page = factories.make_account(workspace, mode="live", provider="linkedin",
                                  credentials={"access_token": "li", "author_urn": "urn:li:organization:5515"})
    first, second = "urn:li:share:7000000000000000001", "urn:li:share:7000000000000000002"
    published(workspace, page, first)
    published(workspace, page, second)
    answers = {
        first: share_statistics(first, impressions=1000, clicks=30, likes=20, comments=5, shares=2, engagement=0.057),
        second: share_statistics(second, impressions=500, clicks=10, likes=8, comments=1, shares=1, engagement=0.04),
    }

    def statistics_of_the_asked_share(request):
        asked = next(urn for urn in answers if quote(urn, safe="") in request.url)
        return 200, {}, json.dumps(answers[asked])

    responses.add_callback(responses.GET, SHARE_STATISTICS, callback=statistics_of_the_asked_share)

    body = client_for(live_api_key).get("/v1/analytics/posts").json()

    engagements = sorted(item["metrics"]["share_statistics_engagement"] for item in body["items"])
    assert engagements == [0.04, 0.057]  # each row keeps LinkedIn's own ratio
    overview = body["overview"]
    assert "share_statistics_engagement" not in overview["metrics"]
    assert overview["metrics"]["share_statistics_impression_count"] == 1500
    assert overview["metrics"]["share_statistics_click_count"] == 40
    assert {name: overview[name] for name in NORMALIZED} == {
        "views": 1500, "likes": 28, "comments": 6, "shares": 3, "clicks": 40
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "provider,metrics,expected",
    [
        ("linkedin", {"impression": 300, "members_reached": 200, "reshare": 2, "reaction": 9, "comment": 4},
         {"views": 300, "likes": 9, "comments": 4, "shares": 2, "clicks": None}),
        ("x", {"impression_count": 500, "like_count": 10, "reply_count": 2, "retweet_count": 3, "quote_count": 1},
         {"views": 500, "likes": 10, "comments": 2, "shares": 3, "clicks": None}),
        ("x", {"impression_count": 500, "like_count": 10, "reply_count": 2, "retweet_count": 3, "url_link_clicks": 7},
         {"views": 500, "likes": 10, "comments": 2, "shares": 3, "clicks": 7}),
        ("instagram", {"views": 80, "reach": 60, "likes": 6, "comments": 1, "shares": 2, "saved": 1},
         {"views": 80, "likes": 6, "comments": 1, "shares": 2, "clicks": None}),
        ("tiktok", {"view_count": 1200, "like_count": 84, "comment_count": 6, "share_count": 12},
         {"views": 1200, "likes": 84, "comments": 6, "shares": 12, "clicks": None}),
        ("facebook", {"views": 90, "reach": 70, "likes": 5, "comments": 0, "shares": 0, "post_clicks": 4},
         {"views": 90, "likes": 5, "comments": 0, "shares": 0, "clicks": 4}),
        ("facebook", {}, {"views": None, "likes": None, "comments": None, "shares": None, "clicks": None}),
    ],
    ids=["linkedin-member", "x-public-only", "x-non-public", "instagram", "tiktok", "facebook", "not-synced-yet"],
)
def test_each_row_carries_the_normalized_counts_of_its_network(workspace, api_client, provider, metrics, expected):
    account = factories.make_account(workspace, provider=provider)
    post = published(workspace, account, "1900")
    now = timezone.now()
    PostMetrics.objects.filter(delivery__post=post).update(
        metrics=metrics, sync_status="synced", last_updated_at=now, stale_after=now + timedelta(hours=1)
    )

    body = api_client.get("/v1/analytics/posts").json()

    item = body["items"][0]
    assert {name: item[name] for name in NORMALIZED} == expected
    assert item["metrics"] == metrics  # the network's own names stay as they are
    assert {name: body["overview"][name] for name in NORMALIZED} == expected


# --- through the sandbox, with the real clients -------------------------------------------------
def sandbox_account(workspace, provider):
    token = f"sbx-{provider}-normalized"
    extra = {
        "facebook": {"page_id": account_id_for(token)},
        "instagram": {"ig_user_id": "1784"},
        "linkedin": {"author_urn": "urn:li:organization:5515"},
    }.get(provider, {})
    account = factories.make_account(workspace, provider=provider,
                                     credentials={"access_token": token, "sandbox": {"behavior": "ok"}, **extra})
    account_services.client_for(account).verify()
    return account


def publish_through_sandbox(sandbox, workspace, post, provider, *, media=(), options=None):
    account = sandbox_account(workspace, provider)
    content = Content(text=post.text, media=media, options=options or {})
    result = account_services.client_for(account).publish(content)
    delivery = Delivery.objects.create(post=post, account=account, provider=provider, status="published",
                                       platform_post_id=result.platform_post_id, platform_post_url=result.url or "",
                                       published_at=timezone.now())
    post_metrics_track(delivery=delivery)


@pytest.mark.django_db(transaction=True)
def test_sandbox_rows_of_all_five_networks_carry_normalized_counts_that_the_overview_adds_up(
    sandbox, api_client, workspace
):
    post = Post.objects.create(workspace=workspace, mode="test", text="Normalized everywhere", status="published")
    image = (Media(url=f"{sandbox}/sandbox/files/sample.jpg", kind="image"),)
    video = (Media(url=f"{sandbox}/sandbox/files/sample.mp4", kind="video"),)
    publish_through_sandbox(sandbox, workspace, post, "facebook")
    publish_through_sandbox(sandbox, workspace, post, "instagram", media=image)
    publish_through_sandbox(sandbox, workspace, post, "x")
    publish_through_sandbox(sandbox, workspace, post, "linkedin")
    publish_through_sandbox(sandbox, workspace, post, "tiktok", media=video, options={"privacy_level": "SELF_ONLY"})

    body = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()

    items = {item["platform"]: item for item in body["items"]}
    own_views = {"facebook": "views", "instagram": "views", "x": "impression_count",
                 "linkedin": "share_statistics_impression_count", "tiktok": "view_count"}
    for platform, item in items.items():
        assert item["views"] == item["metrics"][own_views[platform]] > 0, platform
        assert all(isinstance(item[name], int) for name in ("likes", "comments", "shares")), platform
    assert items["instagram"]["clicks"] is None and items["tiktok"]["clicks"] is None
    assert items["facebook"]["clicks"] == items["facebook"]["metrics"]["post_clicks"]
    assert items["linkedin"]["clicks"] == items["linkedin"]["metrics"]["share_statistics_click_count"]
    assert items["x"]["clicks"] == items["x"]["metrics"]["url_link_clicks"]
    for name in NORMALIZED:
        assert body["overview"][name] == sum(item[name] for item in items.values() if item[name] is not None)
    assert "share_statistics_engagement" in items["linkedin"]["metrics"]
    assert "share_statistics_engagement" not in body["overview"]["metrics"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("options", [{}, {"as_reel": True}], ids=["video", "reel"])
def test_a_sandbox_facebook_video_or_reel_row_is_read_from_video_insights(sandbox, api_client, workspace, options):
    post = Post.objects.create(workspace=workspace, mode="test", text="A video on the Page", status="published")
    video = (Media(url=f"{sandbox}/sandbox/files/sample.mp4", kind="video"),)
    publish_through_sandbox(sandbox, workspace, post, "facebook", media=video, options=options)

    item = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()["items"][0]

    assert item["sync_status"] == "partial" and item["error_message"] is None
    assert item["views"] > 0 and item["likes"] > 0 and item["comments"] >= 0 and item["shares"] >= 0
    assert item["clicks"] is None

"""YouTube videos in GET /v1/analytics/posts: the video's statistics from the sandbox
(views, likes, comments, favorites) and the normalized counts (YouTube gives no shares or
clicks in the Data API's statistics)."""

import pytest

from accounts import services as account_services
from analytics.services import post_metrics_track
from providers.base import Content, Media
from publishing.models import Delivery, Post
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_video_reports_its_statistics_and_the_normalized_counts(sandbox, api_client, workspace):
    credentials = {"access_token": "ya29.analytics", "channel_id": "UCanalyst000000000000001", "sandbox": {}}
    account = factories.make_account(workspace, provider="youtube", credentials=credentials)
    post = Post.objects.create(workspace=workspace, mode="test", text="Count me", status="published")
    media = (Media(url=f"{sandbox}/sandbox/files/sample.mp4", kind="video", mime_type="video/mp4"),)
    result = account_services.client_for(account).publish(Content("Count me", media, {}))
    delivery = Delivery.objects.create(
        post=post,
        account=account,
        provider="youtube",
        status="published",
        platform_post_id=result.platform_post_id,
        platform_post_url=result.url,
    )
    post_metrics_track(delivery=delivery)

    body = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()

    [item] = body["items"]
    metrics = item["metrics"]
    assert item["sync_status"] == "synced", item
    assert set(metrics) == {"views", "likes", "comments", "favorites"}
    assert metrics["views"] > 0 and metrics["favorites"] == 0
    assert (item["views"], item["likes"], item["comments"]) == (metrics["views"], metrics["likes"], metrics["comments"])
    assert item["shares"] is None and item["clicks"] is None
    assert body["overview"]["metrics"]["views"] == metrics["views"]

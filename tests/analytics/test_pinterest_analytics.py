"""Pinterest Pins in GET /v1/analytics/posts: the Pin's own metrics from the sandbox and the
normalized counts (views = impressions, clicks = outbound clicks, shares = saves); the
save rate is a ratio, never summed in the overview."""

import pytest

from accounts import services as account_services
from analytics.services import post_metrics_track
from providers.base import Content, Media
from publishing.models import Delivery, Post
from sandbox import pinterest as sandbox_pinterest
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pin_reports_its_metrics_and_the_normalized_counts(sandbox, api_client, workspace):
    credentials = {"access_token": "sbx-pin-analytics", "username": "analyst", "sandbox": {"behavior": "ok"}}
    account = factories.make_account(workspace, provider="pinterest", credentials=credentials)
    post = Post.objects.create(workspace=workspace, mode="test", text="Count me", status="published")
    options = {"board_id": sandbox_pinterest.boards_of("analyst")[0]["id"]}
    media = (Media(url=f"{sandbox}/sandbox/files/sample.jpg", kind="image"),)
    result = account_services.client_for(account).publish(Content("Count me", media, options))
    delivery = Delivery.objects.create(
        post=post,
        account=account,
        provider="pinterest",
        status="published",
        platform_post_id=result.platform_post_id,
        platform_post_url=result.url,
    )
    post_metrics_track(delivery=delivery)

    body = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()

    [item] = body["items"]
    metrics = item["metrics"]
    assert item["sync_status"] == "synced", item
    assert set(metrics) == {
        "impressions",
        "saves",
        "pin_clicks",
        "outbound_clicks",
        "save_rate",
        "comments",
        "reactions",
    }
    assert (item["views"], item["clicks"], item["shares"]) == (
        metrics["impressions"],
        metrics["outbound_clicks"],
        metrics["saves"],
    )
    assert (item["likes"], item["comments"]) == (metrics["reactions"], metrics["comments"])
    overview = body["overview"]["metrics"]
    assert overview["impressions"] == metrics["impressions"] and "save_rate" not in overview

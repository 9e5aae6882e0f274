"""WordPress posts in GET /v1/analytics/posts, per account: a WordPress.com site's post has
views (its stats) and comments; a self-hosted site's post is `unsupported` with the reason
(MetricsUnsupported from the client), and is never asked again."""

import pytest
import requests

from accounts import services as account_services
from analytics.models import PostMetrics
from analytics.services import post_metrics_refresh, post_metrics_track
from providers.base import Content
from publishing.models import Delivery, Post
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
COM = {"access_token": "sbx-wp-analytics", "site_url": "stats-blog.wordpress.com", "sandbox": {"behavior": "ok"}}
SELF = {
    "access_token": "app-password",
    "username": "editor",
    "site_url": "https://blog.example.com",
    "sandbox": {"behavior": "ok"},
}


def published(workspace, credentials, site: str) -> Post:
    account = factories.make_account(workspace, provider="wordpress", platform_account_id=site, credentials=credentials)
    post = Post.objects.create(workspace=workspace, mode="test", text="Count me\nbody", status="published")
    result = account_services.client_for(account).publish(Content("Count me\nbody"))
    delivery = Delivery.objects.create(
        post=post,
        account=account,
        provider="wordpress",
        status="published",
        platform_post_id=result.platform_post_id,
        platform_post_url=result.url,
    )
    post_metrics_track(delivery=delivery)
    return post


def test_a_wordpress_com_post_reports_views_and_comments(sandbox, api_client, workspace):
    post = published(workspace, COM, "stats-blog.wordpress.com")
    body = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()
    [item] = body["items"]
    assert item["sync_status"] == "synced", item
    assert set(item["metrics"]) == {"views", "comments"}
    assert item["views"] == item["metrics"]["views"] > 0
    assert item["comments"] == item["metrics"]["comments"]
    assert item["likes"] is None and item["shares"] is None and item["clicks"] is None


def test_a_self_hosted_post_is_unsupported_with_the_reason_and_never_asked_again(
    sandbox, api_client, workspace, monkeypatch
):
    post = published(workspace, SELF, "blog.example.com")
    body = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()
    [item] = body["items"]
    assert item["sync_status"] == "unsupported", item
    assert item["metrics"] == {} and item["views"] is None
    row = PostMetrics.objects.get()
    assert "Self-hosted WordPress sites give no post metrics" in row.error_message
    assert row.stale_after.year - row.last_updated_at.year > 50  # never stale again

    def no_call(*args, **kwargs):
        raise AssertionError("a self-hosted site's metrics are never asked for")

    monkeypatch.setattr(requests.Session, "request", no_call)
    assert post_metrics_refresh(metrics_id=row.pk)
    assert PostMetrics.objects.get().sync_status == "unsupported"

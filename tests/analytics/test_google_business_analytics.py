"""Google Business Profile posts in GET /v1/analytics/posts: the post's insights from the
sandbox (views on Search, clicks on its button) and the normalized counts; a post Google
answers no insights for is a partial row, never zeros."""

import pytest

from accounts import services as account_services
from analytics.services import post_metrics_track
from providers.base import Content
from publishing.models import Delivery, Post
from sandbox import google_business as sandbox_gbp
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def published(workspace, sandbox, text, options):
    token = f"sbx-gbp-analytics-{text}"
    location = sandbox_gbp.demo_location(sandbox_gbp.user_for(token))
    credentials = {"access_token": token, "location_name": location, "sandbox": {"behavior": "ok"}}
    account = factories.make_account(workspace, provider="google_business", credentials=credentials)
    post = Post.objects.create(workspace=workspace, mode="test", text=text, status="published")
    result = account_services.client_for(account).publish(Content(text, (), options))
    delivery = Delivery.objects.create(
        post=post,
        account=account,
        provider="google_business",
        status="published",
        platform_post_id=result.platform_post_id,
        platform_post_url=result.url,
    )
    post_metrics_track(delivery=delivery)
    return post, delivery


def test_a_local_post_reports_its_insights_and_the_normalized_counts(sandbox, api_client, workspace):
    options = {"call_to_action": {"action_type": "LEARN_MORE", "url": "https://dravo.dev/"}}
    post, _ = published(workspace, sandbox, "Count me", options)

    body = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()

    [item] = body["items"]
    metrics = item["metrics"]
    assert item["sync_status"] == "synced", item
    assert set(metrics) == {"local_post_views_search", "local_post_actions_call_to_action"}
    assert metrics["local_post_views_search"] > metrics["local_post_actions_call_to_action"] > 0
    assert (item["views"], item["clicks"]) == (
        metrics["local_post_views_search"],
        metrics["local_post_actions_call_to_action"],
    )
    assert (item["likes"], item["comments"], item["shares"]) == (None, None, None)
    assert body["overview"]["metrics"]["local_post_views_search"] == metrics["local_post_views_search"]


def test_a_post_google_has_no_insights_for_is_partial_with_a_warning(sandbox, api_client, workspace):
    post, delivery = published(workspace, sandbox, "Gone", {})
    sandbox_gbp.record_list("google_business", "post").filter(object_id=delivery.platform_post_id).delete()

    [item] = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()["items"]

    assert item["sync_status"] == "partial", item
    assert item["views"] is None and item["clicks"] is None

"""A post published to sandbox accounts of all five networks shows metrics for each."""

import pytest

from accounts import services as account_services
from analytics.services import post_metrics_track
from providers.base import Content, Media
from publishing.models import Delivery, Post
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

EXPECTED_KEYS = {
    "instagram": {"views", "reach", "likes", "comments", "shares", "saved", "total_interactions"},
    "facebook": {"post_reactions_by_type_total", "post_clicks", "views", "reach", "likes", "comments", "shares"},
    "tiktok": {"view_count", "like_count", "comment_count", "share_count"},
    "x": {"like_count", "retweet_count", "reply_count", "quote_count", "impression_count"},
}


def publish_directly(sandbox, account, text):
    """Publish with the provider client (media from the sandbox's sample files)."""
    media = {
        "instagram": (Media(url=f"{sandbox}/sandbox/files/sample.jpg", kind="image"),),
        "tiktok": (Media(url=f"{sandbox}/sandbox/files/sample.mp4", kind="video"),),
    }.get(account.provider, ())
    options = {"tiktok": {"privacy_level": "SELF_ONLY"}}.get(account.provider, {})
    result = account_services.client_for(account).publish(Content(text=text, media=media, options=options))
    return result


def test_all_five_networks_report_metrics(sandbox, api_client, workspace):
    text = "Analytics everywhere"
    post = Post.objects.create(workspace=workspace, mode="test", text=text, status="published")
    for provider in ("facebook", "instagram", "x", "linkedin", "tiktok"):
        extra = {"author_urn": "urn:li:organization:5515"} if provider == "linkedin" else {}
        creds = {"access_token": f"sbx-{provider}-analytics", "sandbox": {"behavior": "ok"},
                 **{"facebook": {"page_id": "1001"}, "instagram": {"ig_user_id": "1784"}}.get(provider, {}), **extra}
        account = factories.make_account(workspace, provider=provider, credentials=creds)
        if provider == "facebook":  # the sandbox's Page is the one behind the token
            creds["page_id"] = account_services.client_for(account).verify().id
            account = factories.make_account(workspace, provider=provider, credentials=creds)
        result = publish_directly(sandbox, account, text)
        delivery = Delivery.objects.create(
            post=post, account=account, provider=provider, status="published",
            platform_post_id=result.platform_post_id, platform_post_url=result.url or "",
        )
        post_metrics_track(delivery=delivery)  # as the delivery service does on publish
    body = api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()
    assert body["total"] == 5
    by_platform = {item["platform"]: item for item in body["items"]}
    assert set(by_platform) == {"facebook", "instagram", "x", "linkedin", "tiktok"}
    for platform, item in by_platform.items():
        assert item["sync_status"] in ("synced", "partial"), (platform, item)
        assert item["metrics"], platform
        assert all(isinstance(v, (int, float)) and v >= 0 for v in item["metrics"].values())
        assert EXPECTED_KEYS.get(platform, set()) <= set(item["metrics"]), (platform, item["metrics"])
    assert all(k.startswith("share_statistics_") for k in by_platform["linkedin"]["metrics"])
    assert body["overview"]["posts"] == 1

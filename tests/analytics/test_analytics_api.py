from datetime import timedelta

import pytest
import responses
from django.utils import timezone

from analytics import services
from analytics.models import PostMetrics
from analytics.tasks import refresh_stale_metrics_task
from publishing.models import Delivery, Post
from tests import factories
from tests.conftest import client_for

TWEET = "https://api.x.com/2/tweets/1900"
METRICS = {"data": {"id": "1900", "text": "hi", "public_metrics": {
    "retweet_count": 3, "reply_count": 2, "like_count": 10, "quote_count": 1, "bookmark_count": 4,
    "impression_count": 500}}}


def published(workspace, account, *, text="hello", platform_post_id="1900", mode=None, created_ago=None):
    post = Post.objects.create(workspace=workspace, mode=mode or account.mode, text=text, status="published",
                               providers=[account.provider])
    delivery = Delivery.objects.create(post=post, account=account, provider=account.provider, status="published",
                                       platform_post_id=platform_post_id, published_at=timezone.now(),
                                       platform_post_url=f"https://x.com/i/status/{platform_post_id}")
    services.post_metrics_track(delivery=delivery)  # as the delivery service does on publish
    if created_ago is not None:
        PostMetrics.objects.filter(delivery=delivery).update(created_at=timezone.now() - created_ago)
    return post, delivery


@pytest.fixture
def live(workspace, live_api_key):
    account = factories.make_account(workspace, mode="live", provider="x", credentials={"access_token": "live"})
    return account, client_for(live_api_key)


@pytest.mark.django_db
@responses.activate
def test_a_read_fetches_missing_metrics_and_answers_every_documented_field(live, workspace):
    account, client = live
    post, _ = published(workspace, account)
    responses.get(TWEET, json=METRICS)
    body = client.get("/v1/analytics/posts").json()
    assert body["total"] == 1 and body["page"] == 1 and body["limit"] == 25
    item = body["items"][0]
    assert set(item) == {"post_id", "account_id", "platform", "platform_post_id", "platform_post_url", "text",
                         "created_at", "published_at", "metrics", "warnings", "sync_status", "error_message",
                         "last_updated_at", "stale_after", "views", "likes", "comments", "shares", "clicks"}
    assert item["post_id"] == post.pk and item["platform"] == "x" and item["sync_status"] == "synced"
    assert item["metrics"]["like_count"] == 10 and item["metrics"]["impression_count"] == 500
    assert (item["views"], item["likes"], item["comments"], item["shares"], item["clicks"]) == (500, 10, 2, 3, None)
    assert body["overview"] == {"posts": 1, "views": 500, "likes": 10, "comments": 2, "shares": 3, "clicks": None,
                                "metrics": item["metrics"]}


@pytest.mark.django_db
@responses.activate
def test_fresh_rows_come_from_the_cache_and_stale_ones_are_refreshed(live, workspace):
    account, client = live
    published(workspace, account)
    responses.get(TWEET, json=METRICS)
    client.get("/v1/analytics/posts")
    client.get("/v1/analytics/posts")
    assert len(responses.calls) == 1  # young post: fresh for 5 minutes
    row = PostMetrics.objects.get()
    assert timedelta(minutes=4) < row.stale_after - row.last_updated_at <= timedelta(minutes=5)
    PostMetrics.objects.update(stale_after=timezone.now() - timedelta(seconds=1))
    client.get("/v1/analytics/posts")
    assert len(responses.calls) == 2
    client.get("/v1/analytics/posts?refresh=true")
    assert len(responses.calls) == 3


@pytest.mark.django_db
def test_freshness_follows_the_posts_age():
    from analytics.models import freshness_for

    assert freshness_for(timedelta(minutes=10)) == timedelta(minutes=5)
    assert freshness_for(timedelta(hours=5)) == timedelta(minutes=30)
    assert freshness_for(timedelta(days=3)) == timedelta(hours=3)
    assert freshness_for(timedelta(days=90)) == timedelta(hours=48)


@pytest.mark.django_db
@responses.activate
@pytest.mark.parametrize("status,body,expected", [
    (503, {"title": "Service Unavailable"}, "failed"),
    (429, {"title": "Too Many Requests"}, "pending"),
    (401, {"title": "Unauthorized", "status": 401}, "requires_reconnect"),
])
def test_sync_status_records_what_the_network_answered(live, workspace, status, body, expected):
    account, client = live
    published(workspace, account)
    responses.get(TWEET, status=status, json=body, headers={"x-rate-limit-reset": "0"})
    item = client.get("/v1/analytics/posts").json()["items"][0]
    assert item["sync_status"] == expected and item["error_message"]
    if expected == "requires_reconnect":
        account.refresh_from_db()
        assert account.health == "requires_reconnect"


@pytest.mark.django_db
def test_an_account_that_needs_reconnecting_is_not_asked(workspace, live_api_key):
    account = factories.make_account(workspace, mode="live", health="requires_reconnect")
    published(workspace, account)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        item = client_for(live_api_key).get("/v1/analytics/posts").json()["items"][0]
        assert len(mock.calls) == 0
    assert item["sync_status"] == "requires_reconnect" and "reconnect" in item["error_message"]


@pytest.mark.django_db
@responses.activate
def test_cached_metrics_survive_a_failed_refresh(live, workspace):
    account, client = live
    published(workspace, account)
    responses.get(TWEET, json=METRICS)
    client.get("/v1/analytics/posts")
    responses.replace(responses.GET, TWEET, status=503, json={"title": "down"})
    item = client.get("/v1/analytics/posts?refresh=true").json()["items"][0]
    assert item["metrics"]["like_count"] == 10 and item["sync_status"] == "failed"


@pytest.mark.django_db
@responses.activate
def test_what_cannot_be_refreshed_in_time_is_pending_and_refreshed_in_the_background(live, workspace, settings):
    from celery.signals import before_task_publish

    from analytics.tasks import refresh_post_metrics_task

    account, client = live
    published(workspace, account)
    responses.get(TWEET, json=METRICS)
    settings.ANALYTICS_READ_BUDGET_SECONDS = 0
    sent = []

    def record(sender=None, body=None, **kwargs):
        sent.append((sender, list(body[0])))

    before_task_publish.connect(record)
    try:
        item = client.get("/v1/analytics/posts").json()["items"][0]
    finally:
        before_task_publish.disconnect(record)
    row = PostMetrics.objects.get()
    assert item["sync_status"] == "pending" and len(responses.calls) == 0  # answered from the cache at once
    assert sent == [("analytics.tasks.refresh_post_metrics_task", [row.pk])]
    refresh_post_metrics_task(row.pk)  # what the worker does with that message
    assert PostMetrics.objects.get().sync_status == "synced"


@pytest.mark.django_db
@responses.activate
def test_the_beat_task_refreshes_stale_rows_and_picks_up_new_results(live, workspace, eager_tasks):
    account, _ = live
    published(workspace, account)
    responses.get(TWEET, json=METRICS)
    refresh_stale_metrics_task()
    row = PostMetrics.objects.get()
    assert row.sync_status == "synced" and row.metrics["retweet_count"] == 3
    refresh_stale_metrics_task()
    assert len(responses.calls) == 1  # fresh now: not asked again


@pytest.mark.django_db
@responses.activate
def test_filters_paging_and_overview(workspace, live_api_key):
    client = client_for(live_api_key)
    a = factories.make_account(workspace, mode="live", provider="x", credentials={"access_token": "a"})
    b = factories.make_account(workspace, mode="live", provider="x", credentials={"access_token": "b"})
    old_post, _ = published(workspace, a, platform_post_id="1900", created_ago=timedelta(days=10))
    new_post, _ = published(workspace, b, platform_post_id="1901", created_ago=timedelta(hours=1))
    for pid in ("1900", "1901"):
        body = {"data": {"id": pid, "public_metrics": {"like_count": 7, "impression_count": 100}}}
        responses.get(f"https://api.x.com/2/tweets/{pid}", json=body)
    assert client.get(f"/v1/analytics/posts?postId={old_post.pk}").json()["total"] == 1
    assert client.get("/v1/analytics/posts?postId=1901").json()["items"][0]["post_id"] == new_post.pk
    assert client.get(f"/v1/analytics/posts?accountId={a.pk}").json()["total"] == 1
    assert client.get("/v1/analytics/posts?platform=linkedin").json()["total"] == 0
    since = (timezone.now() - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    assert [i["post_id"] for i in client.get(f"/v1/analytics/posts?fromDate={since}").json()["items"]] == [new_post.pk]
    assert [i["post_id"] for i in client.get(f"/v1/analytics/posts?toDate={since}").json()["items"]] == [old_post.pk]
    page2 = client.get("/v1/analytics/posts?limit=1&page=2").json()
    assert page2["total"] == 2 and len(page2["items"]) == 1 and page2["items"][0]["post_id"] == old_post.pk
    both = client.get("/v1/analytics/posts").json()
    assert both["overview"] == {"posts": 2, "views": 200, "likes": 14, "comments": None, "shares": None,
                                "clicks": None, "metrics": {"like_count": 14, "impression_count": 200}}


@pytest.mark.django_db
@pytest.mark.parametrize("query,attr", [("page=0", "page"), ("limit=101", "limit"), ("limit=0", "limit"),
                                        ("platform=myspace", "platform"), ("fromDate=yesterday", "fromDate"),
                                        ("refresh=maybe", "refresh"),
                                        ("fromDate=2026-02-01T00:00:00Z&toDate=2026-01-01T00:00:00Z", "fromDate")])
def test_invalid_parameters_are_400(api_client, query, attr):
    response = api_client.get(f"/v1/analytics/posts?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


@pytest.mark.django_db
def test_another_workspaces_metrics_are_invisible(api_client, workspace):
    other_ws = factories.make_workspace()
    post, _ = published(other_ws, factories.make_account(other_ws))
    assert api_client.get("/v1/analytics/posts").json()["total"] == 0
    assert api_client.get(f"/v1/analytics/posts?postId={post.pk}").json()["total"] == 0


@pytest.mark.django_db(transaction=True)
def test_publishing_starts_the_metrics_row_at_once(sandbox, eager_tasks, api_client, workspace):
    account = factories.make_account(workspace, provider="x")
    response = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "tracked"}, format="json")
    row = PostMetrics.objects.get(delivery__post_id=response.json()["id"])
    assert row.sync_status == "pending" and row.provider == "x" and row.workspace_id == workspace.pk


@pytest.mark.django_db
@responses.activate
def test_the_beat_task_starts_rows_a_crash_left_out(live, workspace, eager_tasks):
    account, _ = live
    post = Post.objects.create(workspace=workspace, mode="live", text="t", status="published", providers=["x"])
    Delivery.objects.create(post=post, account=account, provider="x", status="published", platform_post_id="1900",
                            published_at=timezone.now())  # published, but no metrics row was started
    responses.get(TWEET, json=METRICS)
    refresh_stale_metrics_task()
    assert PostMetrics.objects.get().sync_status == "synced"


@pytest.fixture
def without_post_metrics(monkeypatch):
    """X standing in for a network that gives apps no post metrics (a bot on Telegram)."""
    from providers.x.client import XClient

    monkeypatch.setattr(XClient, "metrics_unsupported", "This network gives no post metrics to apps.")


@pytest.mark.django_db
@responses.activate
def test_a_network_without_post_metrics_is_never_asked_and_says_so(live, workspace, without_post_metrics):
    account, client = live
    _, delivery = published(workspace, account)
    services.post_metrics_ensure()
    row = PostMetrics.objects.get(delivery=delivery)
    assert row.sync_status == "unsupported" and row.error_message == "This network gives no post metrics to apps."
    for query in ("", "?refresh=true"):
        item = client.get(f"/v1/analytics/posts{query}").json()["items"][0]
        assert item["sync_status"] == "unsupported" and item["metrics"] == {}
        assert item["error_message"] == "This network gives no post metrics to apps."
        assert [item[name] for name in ("views", "likes", "comments", "shares", "clicks")] == [None] * 5
    assert services.post_metrics_refresh(metrics_id=row.pk) is True
    assert services.post_metrics_due(now=timezone.now() + timedelta(days=365)) == []
    assert len(responses.calls) == 0  # not one call to the network


@pytest.mark.django_db
def test_the_safety_net_starts_rows_of_a_network_without_post_metrics_as_unsupported(
    live, workspace, without_post_metrics
):
    account, _ = live
    _, delivery = published(workspace, account)
    PostMetrics.objects.all().delete()  # the worker died before starting the row
    assert services.post_metrics_ensure() == 1
    assert PostMetrics.objects.get(delivery=delivery).sync_status == "unsupported"

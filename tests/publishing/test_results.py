"""What a post's per-account results say after a cancel or a retry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Post
from tests import factories


@pytest.fixture
def accounts(workspace):
    return factories.make_account(workspace, provider="x"), factories.make_account(workspace, provider="linkedin")


def schedule(api_client, accounts) -> str:
    when = (timezone.now() + timedelta(minutes=10)).isoformat()
    response = api_client.post(
        "/v1/posts", {"account_ids": [a.pk for a in accounts], "text": "later", "scheduled_at": when}, format="json"
    )
    assert response.status_code == 202
    return response.json()["id"]


@pytest.mark.django_db
def test_a_canceled_posts_results_say_canceled_everywhere(api_client, accounts):
    post_id = schedule(api_client, accounts)
    assert api_client.post(f"/v1/posts/{post_id}/cancel").status_code == 200
    shown = api_client.get(f"/v1/posts/{post_id}").json()
    assert shown["status"] == "canceled"
    assert [r["status"] for r in shown["results"]] == ["canceled", "canceled"]
    listed = api_client.get("/v1/posts").json()["items"][0]
    assert [r["status"] for r in listed["results"]] == ["canceled", "canceled"]
    job = api_client.get(f"/v1/publish/job_{post_id.split('_', 1)[1]}").json()
    assert [r["status"] for r in job["results"]] == ["canceled", "canceled"]
    Post.objects.filter(pk=post_id).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    assert services.posts_release_due() == 0 and services.deliveries_dispatch_due() == 0


@pytest.mark.django_db
def test_a_canceled_posts_targets_without_a_delivery_row_say_canceled_too(api_client, workspace, accounts):
    post = Post.objects.create(
        workspace=workspace,
        mode="test",
        text="never sent",
        status="canceled",
        providers=["linkedin", "x"],
        targets=[[a.pk, a.provider] for a in accounts],
    )
    results = api_client.get(f"/v1/posts/{post.pk}").json()["results"]
    assert [(r["account_id"], r["status"]) for r in results] == [(a.pk, "canceled") for a in accounts]


@pytest.mark.django_db
def test_a_retried_result_drops_the_old_error(api_client, workspace, accounts):
    post = factories.make_post(workspace, list(accounts))
    Delivery.objects.filter(post=post).update(
        status="failed", attempts=5, error="(#200) Permissions error", error_code="rejected"
    )
    Post.objects.filter(pk=post.pk).update(status="failed")
    response = api_client.post(f"/v1/posts/{post.pk}/retry")
    assert response.status_code == 202
    for results in (response.json()["results"], api_client.get(f"/v1/posts/{post.pk}").json()["results"]):
        assert [(r["status"], r["attempts"], r["error"], r["error_code"]) for r in results] == [
            ("pending", 0, None, ""),
            ("pending", 0, None, ""),
        ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "detail"),
    [
        ("published", "This post is already published."),
        ("partial", "already partial"),
        ("failed", "already failed"),
        ("processing", "already processing"),
        ("queued", "already queued"),
    ],
)
def test_canceling_a_post_that_is_not_scheduled_names_its_status(api_client, workspace, accounts, status, detail):
    post = factories.make_post(workspace, list(accounts))
    Post.objects.filter(pk=post.pk).update(status=status)
    for path in (f"/v1/posts/{post.pk}/cancel", f"/v1/publish/job_{post.pk.split('_', 1)[1]}/cancel"):
        response = api_client.post(path)
        assert response.status_code == 409
        error = response.json()["errors"][0]
        assert error["code"] == "not_cancelable" and detail in error["detail"]
    assert Post.objects.get(pk=post.pk).status == status

"""Delivery against the sandbox networks over real HTTP, with tasks run eagerly."""

import pytest
import responses
from django.utils import timezone

from accounts.crypto import encrypt_credentials
from accounts.models import SocialAccount
from publishing import services
from publishing.models import Delivery, Post
from sandbox.models import SandboxRecord
from tests import factories
from tests.publishing.helpers import make_due_now, run_scheduler

pytestmark = [pytest.mark.django_db(transaction=True)]


def sandbox_account(workspace, provider="x", behavior="ok", **extra):
    return factories.make_account(
        workspace,
        provider=provider,
        credentials={
            "access_token": f"sbx-{provider}-{behavior}-{timezone.now().timestamp()}",
            "refresh_token": "r1",
            "sandbox": {"behavior": behavior},
            **extra,
        },
    )


def publish(api_client, accounts, text="Hello from Dravo", **body):
    response = api_client.post(
        "/v1/posts", {"account_ids": [a.pk for a in accounts], "text": text, **body}, format="json"
    )
    assert response.status_code == 202, response.content
    return Post.objects.get(pk=response.json()["id"])


def result(api_client, post):
    return api_client.get(f"/v1/posts/{post.pk}").json()


def test_a_post_to_two_networks_is_published_with_ids_and_links(sandbox, eager_tasks, api_client, workspace):
    x = sandbox_account(workspace, "x")
    li = sandbox_account(workspace, "linkedin", author_urn="urn:li:organization:5515")
    post = publish(api_client, [x, li])
    body = result(api_client, post)
    assert body["status"] == "published"
    by_provider = {r["provider"]: r for r in body["results"]}
    assert by_provider["x"]["platform_post_id"]
    assert by_provider["x"]["platform_post_url"].startswith(f"{sandbox}/sandbox/x/")
    assert by_provider["linkedin"]["platform_post_id"].startswith("urn:li:")
    assert all(r["attempts"] == 1 and r["status"] == "published" and r["error"] is None for r in body["results"])


def test_rate_limited_waits_for_retry_after_then_publishes(sandbox, eager_tasks, api_client, workspace):
    post = publish(api_client, [sandbox_account(workspace, behavior="rate_limited")])
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == "pending" and delivery.error_code == "rate_limited"
    wait = (delivery.next_attempt_at - delivery.updated_at).total_seconds()
    assert 0.5 <= wait <= 2  # the sandbox says Retry-After: 1
    run_scheduler()  # not due yet: nothing happens
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1
    make_due_now()
    run_scheduler()
    delivery.refresh_from_db()
    assert delivery.status == "published" and delivery.attempts == 2
    assert Post.objects.get(pk=post.pk).status == "published"


def test_flaky_network_is_retried_with_backoff(sandbox, eager_tasks, api_client, workspace, settings):
    settings.RETRY_BASE_SECONDS = 30
    post = publish(api_client, [sandbox_account(workspace, behavior="flaky")])
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == "pending" and delivery.error_code in ("provider_unavailable", "processing_timeout")
    assert 29 <= (delivery.next_attempt_at - timezone.now()).total_seconds() <= 46  # 30 s + up to 50 % jitter
    assert Post.objects.get(pk=post.pk).status == "processing"
    make_due_now()
    run_scheduler()
    delivery.refresh_from_db()
    assert delivery.status == "published" and delivery.attempts == 2


def test_rejected_fails_at_once_with_the_networks_message(sandbox, eager_tasks, api_client, workspace):
    post = publish(api_client, [sandbox_account(workspace, behavior="rejects")])
    body = result(api_client, post)
    assert body["status"] == "failed"
    assert body["results"][0]["attempts"] == 1 and body["results"][0]["error"]
    assert body["results"][0]["error_code"] == "rejected"


def test_some_published_and_some_failed_is_partial(sandbox, eager_tasks, api_client, workspace):
    post = publish(api_client, [sandbox_account(workspace), sandbox_account(workspace, behavior="rejects")])
    assert result(api_client, post)["status"] == "partial"


def test_expired_token_that_cannot_be_refreshed_fails_and_requires_reconnect(
    sandbox, eager_tasks, api_client, workspace
):
    account = sandbox_account(workspace, behavior="token_expired")
    post = publish(api_client, [account])
    body = result(api_client, post)
    assert body["status"] == "failed" and body["results"][0]["error_code"] == "reconnect_required"
    account.refresh_from_db()
    assert account.health == "requires_reconnect"
    again = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "again"}, format="json")
    assert again.status_code == 400


def test_retry_re_arms_only_failed_deliveries(sandbox, eager_tasks, api_client, workspace):
    good = sandbox_account(workspace)
    bad = sandbox_account(workspace, behavior="rejects")
    post = publish(api_client, [good, bad])
    published_id = Delivery.objects.get(post=post, account=good).platform_post_id
    posts_before = SandboxRecord.objects.filter(network="x", kind="post").count()
    fixed = encrypt_credentials({"access_token": "sbx-fixed-token", "sandbox": {"behavior": "ok"}})
    SocialAccount.objects.filter(pk=bad.pk).update(credentials_encrypted=fixed)  # the account owner fixed it
    response = api_client.post(f"/v1/posts/{post.pk}/retry")
    assert response.status_code == 202
    body = result(api_client, post)
    assert body["status"] == "published"
    assert Delivery.objects.get(post=post, account=good).platform_post_id == published_id
    assert SandboxRecord.objects.filter(network="x", kind="post").count() == posts_before + 1
    assert api_client.post(f"/v1/posts/{post.pk}/retry").status_code == 409


def test_a_delivery_with_a_platform_post_id_is_never_published_again(sandbox, eager_tasks, api_client, workspace):
    account = sandbox_account(workspace)
    post = publish(api_client, [account])
    delivery = Delivery.objects.get(post=post)
    count = SandboxRecord.objects.filter(network="x", kind="post").count()
    Delivery.objects.filter(pk=delivery.pk).update(status="pending", next_attempt_at=timezone.now())
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "published"
    assert SandboxRecord.objects.filter(network="x", kind="post").count() == count


def _left_processing_by_a_dead_worker(api_client, account, text):
    """A post whose worker claimed its delivery and died before recording the answer."""
    when = (timezone.now() + timezone.timedelta(hours=1)).isoformat()
    post = publish(api_client, [account], text=text, scheduled_at=when)
    delivery = Delivery.objects.get(post=post)
    Post.objects.filter(pk=post.pk).update(status="processing")
    Delivery.objects.filter(pk=delivery.pk).update(
        status="processing", attempts=1, lease_until=timezone.now() - timezone.timedelta(seconds=1)
    )
    return post, delivery


def test_a_dead_workers_delivery_the_network_never_got_ends_outcome_unknown(
    sandbox, eager_tasks, api_client, workspace
):
    post, delivery = _left_processing_by_a_dead_worker(api_client, sandbox_account(workspace), "Never sent")
    services.deliveries_recover_stuck()
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.error_code == "outcome_unknown"
    assert not SandboxRecord.objects.filter(network="x", kind="post", data__text="Never sent").exists()
    assert Post.objects.get(pk=post.pk).status == "failed"


def test_a_dead_workers_delivery_that_went_out_is_reconciled_not_posted_again(
    sandbox, eager_tasks, api_client, workspace
):
    from accounts import services as account_services
    from providers.base import Content

    account = sandbox_account(workspace)
    post, delivery = _left_processing_by_a_dead_worker(api_client, account, "Went out")
    live = account_services.client_for(account).publish(Content(text="Went out"))  # the call that did happen
    services.deliveries_recover_stuck()
    delivery.refresh_from_db()
    assert delivery.status == "published" and delivery.platform_post_id == live.platform_post_id
    assert SandboxRecord.objects.filter(network="x", kind="post", data__text="Went out").count() == 1
    assert Post.objects.get(pk=post.pk).status == "published"


def test_disconnected_after_acceptance_fails_fast_with_a_reason(sandbox, eager_tasks, api_client, workspace):
    account = sandbox_account(workspace)
    when = (timezone.now() + timezone.timedelta(hours=1)).isoformat()
    post = publish(api_client, [account], scheduled_at=when)
    api_client.delete(f"/v1/accounts/{account.pk}")
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timezone.timedelta(seconds=1))
    run_scheduler()
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == "failed" and delivery.error_code == "account_not_usable"
    assert Post.objects.get(pk=post.pk).status == "failed"


@responses.activate
def test_transient_failures_stop_after_max_attempts_with_the_last_reason(
    eager_tasks, api_client, workspace, live_api_key, settings
):
    from tests.conftest import client_for

    settings.MAX_ATTEMPTS = 3
    account = factories.make_account(workspace, mode="live", credentials={"access_token": "live"})
    responses.post("https://api.x.com/2/tweets", status=503, json={"title": "Service Unavailable", "status": 503})
    client = client_for(live_api_key)
    response = client.post("/v1/posts", {"account_ids": [account.pk], "text": "hi"}, format="json")
    post_id = response.json()["id"]
    for _ in range(2):
        make_due_now()
        run_scheduler()
    delivery = Delivery.objects.get(post_id=post_id)
    assert delivery.status == "failed" and delivery.attempts == 3
    assert delivery.error_code == "provider_unavailable"
    assert len(responses.calls) == 3


@responses.activate
def test_expired_token_is_refreshed_once_then_published(eager_tasks, workspace, live_api_key):
    from tests.conftest import client_for

    account = factories.make_account(workspace, mode="live", credentials={"access_token": "old", "refresh_token": "r"})
    responses.post(
        "https://api.x.com/2/tweets",
        status=401,
        json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    )
    responses.post(
        "https://api.x.com/2/oauth2/token",
        json={"token_type": "bearer", "expires_in": 7200, "access_token": "new", "refresh_token": "r2"},
    )
    responses.post("https://api.x.com/2/tweets", status=201, json={"data": {"id": "1900", "text": "hi"}})
    response = client_for(live_api_key).post("/v1/posts", {"account_ids": [account.pk], "text": "hi"}, format="json")
    delivery = Delivery.objects.get(post_id=response.json()["id"])
    assert delivery.status == "published" and delivery.platform_post_id == "1900" and delivery.attempts == 1
    assert responses.calls[2].request.headers["Authorization"] == "Bearer new"


def test_a_test_mode_delivery_without_the_sandbox_fails_with_a_reason(eager_tasks, api_client, workspace, settings):
    account = sandbox_account(workspace)
    settings.SANDBOX_ENABLED = False
    post = publish(api_client, [account])
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == "failed" and delivery.error_code == "sandbox_disabled"
    assert "DRAVO_SANDBOX" in delivery.error


def test_noted_progress_is_kept_with_the_attempts_outcome_and_resumed(
    sandbox, eager_tasks, api_client, workspace, monkeypatch
):
    """`save()` writes at once; `save.note()` (work a retry may skip) is written with the
    attempt's outcome, without a statement of its own, and a retry resumes from both."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from providers.base import PublishResult, checkpoint_state
    from providers.errors import ProviderUnavailable
    from providers.x.client import XClient

    seen, written = [], []

    def fake_publish(self, content, *, checkpoint=None, save_checkpoint=None):
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        seen.append(dict(state))
        if "uploaded" not in state:
            save.note(uploaded="media-1")
            with CaptureQueriesContext(connection) as noted:
                save.note(uploaded="media-1", size=3)
            written.append(len(noted))
        if not state.get("attempted"):
            save(attempted=True)
            raise ProviderUnavailable("down for a moment")
        return PublishResult("x-1", "https://x.test/1")

    monkeypatch.setattr(XClient, "publish", fake_publish)
    post = publish(api_client, [sandbox_account(workspace)], text="Noted")
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == "pending" and written == [0]
    assert delivery.checkpoint == {"uploaded": "media-1", "size": 3, "attempted": True}

    make_due_now()
    run_scheduler()
    delivery.refresh_from_db()
    assert delivery.status == "published" and delivery.platform_post_id == "x-1"
    assert seen[-1] == {"uploaded": "media-1", "size": 3, "attempted": True}


def test_noted_progress_without_a_later_save_is_kept_with_a_failure(
    sandbox, eager_tasks, api_client, workspace, monkeypatch
):
    from providers.base import checkpoint_state
    from providers.errors import Rejected
    from providers.x.client import XClient

    def fake_publish(self, content, *, checkpoint=None, save_checkpoint=None):
        state, save = checkpoint_state(checkpoint, save_checkpoint)
        save.note(uploaded="media-2")
        raise Rejected("no")

    monkeypatch.setattr(XClient, "publish", fake_publish)
    post = publish(api_client, [sandbox_account(workspace)], text="Noted, then refused")
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == "failed" and delivery.checkpoint == {"uploaded": "media-2"}

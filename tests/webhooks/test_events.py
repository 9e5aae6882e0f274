"""Each event type is emitted by the action that causes it, signed, with the object as
the API's GET shows it, and received (verified with `standardwebhooks`) by a real local
receiver. Tasks run eagerly, after commit, as the services send them."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import SocialAccount
from publishing.models import Post
from tests import factories
from tests.conftest import client_for
from tests.publishing.helpers import make_due_now, run_scheduler
from tests.publishing.test_delivery import publish, sandbox_account
from webhooks.models import Event, EventDelivery

pytestmark = [pytest.mark.django_db(transaction=True)]


def payloads(receiver, event_type):
    return [json.loads(r.body) for r in receiver.of_type(event_type)]


def test_a_published_post_tells_queued_delivery_published_and_post_published(
    sandbox, eager_tasks, api_client, workspace, hook, receiver
):
    post = publish(api_client, [sandbox_account(workspace, "x"), sandbox_account(workspace, "linkedin",
                                                                                 author_urn="urn:li:organization:5515")])
    receiver.wait_for(4)
    assert receiver.types() == ["post.queued", "delivery.published", "delivery.published", "post.published"]
    assert all(r.verified is not None for r in receiver.received)  # every signature checks out
    final = payloads(receiver, "post.published")[0]
    assert final["data"] == api_client.get(f"/v1/posts/{post.pk}").json()
    assert final["data"]["status"] == "published" and final["timestamp"].endswith("Z")
    one = payloads(receiver, "delivery.published")[0]["data"]
    assert one["post_id"] == post.pk and one["status"] == "published" and one["platform_post_url"]
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(set(ids)) == 4 and all(i.startswith("msg_") for i in ids)


def test_a_failing_post_tells_delivery_failed_and_post_failed(sandbox, eager_tasks, api_client, workspace, hook,
                                                              receiver):
    publish(api_client, [sandbox_account(workspace, behavior="rejects")])
    receiver.wait_for(3)
    assert receiver.types() == ["post.queued", "delivery.failed", "post.failed"]
    failed = payloads(receiver, "delivery.failed")[0]["data"]
    assert failed["status"] == "failed" and failed["error"]


def test_a_partial_post_and_a_retrying_delivery_are_told(sandbox, eager_tasks, api_client, workspace, hook,
                                                        receiver, settings):
    settings.RETRY_BASE_SECONDS = 30
    publish(api_client, [sandbox_account(workspace, behavior="flaky")])
    receiver.wait_for(2)
    assert receiver.types() == ["post.queued", "delivery.retrying"]
    retrying = payloads(receiver, "delivery.retrying")[0]["data"]
    assert retrying["status"] == "pending" and retrying["next_attempt_at"] and retrying["attempts"] == 1
    publish(api_client, [sandbox_account(workspace, "x"), sandbox_account(workspace, "x", behavior="rejects")])
    receiver.wait_for(7)
    assert "post.partial" in receiver.types()


def test_scheduling_releasing_and_canceling_are_told(sandbox, eager_tasks, api_client, workspace, hook, receiver):
    account = sandbox_account(workspace, "x")
    later = (timezone.now() + timedelta(hours=2)).isoformat()
    kept = publish(api_client, [account], scheduled_at=later)
    dropped = publish(api_client, [account], text="Not this one", scheduled_at=later)
    assert api_client.post(f"/v1/posts/{dropped.pk}/cancel").status_code == 200
    receiver.wait_for(3)
    assert receiver.types() == ["post.scheduled", "post.scheduled", "post.canceled"]
    assert payloads(receiver, "post.canceled")[0]["data"]["id"] == dropped.pk
    Post.objects.filter(pk=kept.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    make_due_now()
    run_scheduler()
    receiver.wait_for(6)
    assert receiver.types()[3:] == ["post.queued", "delivery.published", "post.published"]


def test_a_retry_tells_post_queued_again(sandbox, eager_tasks, api_client, workspace, hook, receiver):
    post = publish(api_client, [sandbox_account(workspace, behavior="rejects")])
    receiver.wait_for(3)
    assert api_client.post(f"/v1/posts/{post.pk}/retry").status_code == 202
    receiver.wait_for(6)
    assert receiver.types()[3] == "post.queued"


def test_account_events_connected_requires_reconnect_token_expiring_disconnected(
    sandbox, eager_tasks, api_client, workspace, hook, receiver
):
    account, _ = account_services.social_account_store(
        workspace=workspace, mode="test", provider="mastodon", platform_account_id="42", handle="@dravo",
        name="Dravo", metadata={}, credentials={"access_token": "t"}, expires_at=timezone.now() + timedelta(days=3),
        connection_type="byok",
    )
    account_services.social_account_mark_reconnect(account_id=account.pk, reason="The grant was revoked.")
    account_services.social_account_mark_reconnect(account_id=account.pk, reason="Still revoked.")  # told once
    SocialAccount.objects.filter(pk=account.pk).update(health="active")
    assert account_services.social_accounts_warn_expiring() == 1
    account_services.social_accounts_warn_expiring()  # the same token: told once
    assert api_client.delete(f"/v1/accounts/{account.pk}").status_code == 204
    receiver.wait_for(4)
    assert receiver.types() == ["account.connected", "account.requires_reconnect", "account.token_expiring",
                                "account.disconnected"]
    connected = payloads(receiver, "account.connected")[0]["data"]
    assert connected["id"] == account.pk and "credentials" not in json.dumps(connected)
    assert payloads(receiver, "account.disconnected")[0]["data"]["health"] == "disconnected"


def test_a_token_the_network_renews_is_not_told_as_expiring(sandbox, eager_tasks, workspace, hook, receiver):
    account = sandbox_account(workspace, "x")
    SocialAccount.objects.filter(pk=account.pk).update(token_expires_at=timezone.now() + timedelta(hours=1))
    assert account_services.social_accounts_warn_expiring() == 0


def test_a_finished_bulk_job_is_told(sandbox, eager_tasks, api_client, workspace, hook, receiver):
    account = sandbox_account(workspace, "x")
    later = (timezone.now() + timedelta(days=1)).isoformat()
    response = api_client.post("/v1/posts/bulk", {"posts": [
        {"account_ids": [account.pk], "text": "one", "scheduled_at": later},
        {"account_ids": [account.pk], "text": ""},
    ]}, format="json")
    assert response.status_code == 202
    receiver.wait_for(2)
    done = payloads(receiver, "job.completed")
    assert len(done) == 1 and done[0]["data"]["id"] == response.json()["job_id"]
    assert done[0]["data"]["status"] == "completed" and done[0]["data"]["failed"] == 1


def test_test_mode_events_go_to_test_endpoints_only(sandbox, eager_tasks, api_client, workspace, live_api_key,
                                                   receiver):
    live = client_for(live_api_key).post("/v1/webhooks", {"url": receiver.url, "events": ["*"]}, format="json")
    assert live.status_code == 201
    publish(api_client, [sandbox_account(workspace, "x")])  # a test-mode post
    assert Event.objects.count() == 0 and receiver.received == []


def test_an_endpoint_gets_only_the_events_it_asked_for(sandbox, eager_tasks, api_client, workspace, receiver):
    created = api_client.post("/v1/webhooks", {"url": receiver.url, "events": ["post.published"]}, format="json")
    receiver.secrets.append(created.json()["secret"])
    publish(api_client, [sandbox_account(workspace, "x")])
    receiver.wait_for(1)
    assert receiver.types() == ["post.published"]


def test_the_test_event_reaches_the_endpoint_and_shows_in_its_log(api_client, eager_tasks, hook, receiver):
    response = api_client.post(f"/v1/webhooks/{hook['id']}/test")
    assert response.status_code == 202
    receiver.wait_for(1)
    got = receiver.received[0]
    assert got.verified["type"] == "webhook.test" and got.headers["webhook-id"] == response.json()["event_id"]
    log = api_client.get(f"/v1/webhooks/{hook['id']}/deliveries").json()["items"]
    assert log[0]["id"] == response.json()["delivery_id"] and log[0]["status"] == "succeeded"
    assert log[0]["last_status_code"] == 204 and log[0]["attempts"] == 1 and log[0]["event_type"] == "webhook.test"


def test_a_workspace_without_endpoints_writes_no_events(sandbox, eager_tasks, api_client, workspace):
    publish(api_client, [sandbox_account(workspace, "x")])
    assert Event.objects.count() == 0 and EventDelivery.objects.count() == 0


def test_another_workspace_does_not_get_the_events(sandbox, eager_tasks, workspace, hook, receiver):
    other = factories.make_workspace()
    publish(client_for(factories.make_api_key(other, mode="test")[1]), [sandbox_account(other, "x")])
    assert receiver.received == [] and not Event.objects.filter(workspace=workspace).exists()

"""Nothing lost: a worker killed between the commit of a state change (with its outbox
row) and the send of the event's message still has the event delivered, by the sweep,
to a real receiver, through a real worker."""

import pytest
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Post
from tests.publishing.test_delivery import sandbox_account
from tests.worker import celery_worker, wait_for
from webhooks.models import EventDelivery
from webhooks.services.sending import webhook_deliveries_dispatch_due

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_worker_killed_between_commit_and_send_still_delivers_the_event(sandbox, api_client, workspace, hook,
                                                                           receiver, settings,
                                                                           django_capture_on_commit_callbacks):
    env = {"DRAVO_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}
    account = sandbox_account(workspace, "x")
    with celery_worker(sandbox_url=sandbox, pool="solo", extra_env=env, include="tests.webhooks.crash_hook") as worker:
        response = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": "Crash"}, format="json")
        assert response.status_code == 202
        worker.wait(timeout=60)  # it died right after committing the delivery and its event
        assert worker.returncode == 9
    delivery = Delivery.objects.get(post_id=response.json()["id"])
    assert delivery.status == "published"
    told = EventDelivery.objects.get(event__type="delivery.published")
    assert told.status == "pending" and told.attempts == 0  # committed, never sent
    assert "delivery.published" not in receiver.types()
    # The sweep (Beat, every second) sends it once its message is overdue.
    EventDelivery.objects.filter(pk=told.pk).update(
        dispatched_at=timezone.now().replace(year=2000)
    )
    with celery_worker(sandbox_url=sandbox, extra_env=env):
        assert webhook_deliveries_dispatch_due() >= 1
        wait_for(lambda: "delivery.published" in receiver.types(), timeout=30)
    got = receiver.of_type("delivery.published")[0]
    assert got.verified and got.verified["data"]["platform_post_id"] == delivery.platform_post_id
    assert got.headers["webhook-id"] == told.event_id
    # The worker died before deriving the post's status: the recovery sweep settles it.
    post = Post.objects.get(pk=delivery.post_id)
    assert post.status == "processing"
    Post.objects.filter(pk=post.pk).update(updated_at=timezone.now().replace(year=2000))
    with django_capture_on_commit_callbacks(execute=False):
        assert services.posts_settle_stale() == 1
    assert Post.objects.get(pk=post.pk).status == "published"
    assert EventDelivery.objects.filter(event__type="post.published").count() == 1

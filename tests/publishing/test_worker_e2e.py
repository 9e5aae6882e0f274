"""A real Celery worker (on Redis and PostgreSQL in CI) takes posts to a final state."""

import os
import signal
import time

import pytest
from django.utils import timezone

from publishing import services
from publishing.models import Delivery, Post
from sandbox.models import SandboxRecord
from tests import factories
from tests.worker import celery_worker, wait_for, wait_for_connection_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def sandbox_account(workspace, provider="x", behavior="ok", latency_ms=None, **extra):
    sandbox = {"behavior": behavior, **({"latency_ms": latency_ms} if latency_ms is not None else {})}
    return factories.make_account(
        workspace,
        provider=provider,
        credentials={"access_token": f"sbx-{provider}-{timezone.now().timestamp()}", "sandbox": sandbox, **extra},
    )


def test_a_real_worker_takes_a_post_from_202_to_published(sandbox, api_client, workspace):
    accounts = [
        sandbox_account(workspace, "x"),
        sandbox_account(workspace, "linkedin", author_urn="urn:li:organization:5515"),
    ]
    with celery_worker(sandbox_url=sandbox):
        response = api_client.post(
            "/v1/posts", {"account_ids": [a.pk for a in accounts], "text": "Worker run"}, format="json"
        )
        assert response.status_code == 202
        post_id = response.json()["id"]
        wait_for(lambda: Post.objects.get(pk=post_id).status == "published", timeout=60)
    results = api_client.get(f"/v1/posts/{post_id}").json()["results"]
    assert all(r["status"] == "published" and r["platform_post_id"] for r in results)


def test_a_worker_killed_mid_delivery_leaves_no_second_post(sandbox, api_client, workspace, settings):
    settings.DELIVERY_LEASE_SECONDS = 2
    account = sandbox_account(workspace, "x", behavior="slow", latency_ms=3000)
    text = f"Killed worker {timezone.now().timestamp()}"
    with celery_worker(sandbox_url=sandbox, pool="solo", extra_env={"DRAVO_DELIVERY_LEASE_SECONDS": "2"}) as worker:
        response = api_client.post("/v1/posts", {"account_ids": [account.pk], "text": text}, format="json")
        deliveries = Delivery.objects.filter(post_id=response.json()["id"])
        wait_for(lambda: deliveries.filter(status="processing").exists(), timeout=30)  # made by the fan-out
        delivery = deliveries.get()
        # `processing` is written just before the call: kill only once the call is on its way.
        wait_for_connection_to(sandbox)
        time.sleep(0.5)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    # The network call the dead worker made still completes on the (slow) network's side.
    posted = SandboxRecord.objects.filter(network="x", kind="post", data__text=text)
    wait_for(posted.exists, timeout=15)
    wait_for(lambda: Delivery.objects.get(pk=delivery.pk).lease_until < timezone.now(), timeout=10)
    assert Delivery.objects.get(pk=delivery.pk).status == "processing"  # nobody recorded the answer
    services.deliveries_recover_stuck()
    delivery.refresh_from_db()
    assert delivery.status == "published" and delivery.platform_post_id == posted.get().object_id
    assert posted.count() == 1  # reconciled with the network, never posted twice

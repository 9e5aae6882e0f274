"""The delivery path's database cost: a constant, small number of queries per delivery
(the fan-out benchmark's budget is 8; the path takes 7)."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.models import PostMetrics
from dravo.events import events_wanted
from publishing import services
from publishing.models import Delivery, Post
from tests.publishing.test_delivery import sandbox_account

pytestmark = [pytest.mark.django_db(transaction=True)]

MAX_QUERIES_PER_DELIVERY = 7


def deliver_each(post) -> list[int]:
    counts = []
    for delivery_id in post.deliveries.order_by("pk").values_list("pk", flat=True):
        with CaptureQueriesContext(connection) as ctx:
            services.delivery_attempt(delivery_id=delivery_id)
        counts.append(len(ctx))
    return counts


def test_each_delivery_of_a_post_takes_the_same_few_queries_and_the_post_ends_published(sandbox, workspace):
    accounts = [sandbox_account(workspace, "x") for _ in range(4)]
    post = Post.objects.create(workspace=workspace, mode="test", text="counted", status="queued")
    Delivery.objects.bulk_create(
        Delivery(post=post, account=a, provider="x", next_attempt_at=timezone.now()) for a in accounts
    )

    # Whether the workspace has webhook endpoints is read once per few seconds (cached),
    # not per delivery: as a running worker would have it, it is known before the count.
    assert not events_wanted(workspace_id=workspace.pk, mode="test")
    counts = deliver_each(post)

    assert max(counts) <= MAX_QUERIES_PER_DELIVERY, counts
    # Constant: no query grows with the post's deliveries. The first one claimed also
    # marks the queued post processing (one UPDATE per post, not per delivery).
    assert len(set(counts[1:])) == 1 and counts[0] == counts[1] + 1, counts
    post.refresh_from_db()
    assert post.status == "published" and post.finished_at is not None
    assert PostMetrics.objects.filter(delivery__post=post).count() == 4


def test_the_post_reads_processing_until_its_last_delivery_is_final_then_partial(sandbox, workspace):
    ok = sandbox_account(workspace, "x")
    broken = sandbox_account(workspace, "x", behavior="rejects")
    post = Post.objects.create(workspace=workspace, mode="test", text="mixed", status="queued")
    first, second = Delivery.objects.bulk_create(
        [
            Delivery(post=post, account=ok, provider="x", next_attempt_at=timezone.now()),
            Delivery(post=post, account=broken, provider="x", next_attempt_at=timezone.now()),
        ]
    )

    services.delivery_attempt(delivery_id=first.pk)
    post.refresh_from_db()
    assert post.status == "processing" and post.finished_at is None

    services.delivery_attempt(delivery_id=second.pk)
    post.refresh_from_db()
    statuses = sorted(Delivery.objects.filter(post=post).values_list("status", flat=True))
    assert statuses == ["failed", "published"]
    assert post.status == "partial" and post.finished_at is not None


def test_deliveries_of_one_post_finishing_at_once_leave_the_post_status_right(sandbox, workspace):
    accounts = [sandbox_account(workspace, "x") for _ in range(3)] + [
        sandbox_account(workspace, "x", behavior="rejects")
    ]
    for round_ in range(3):
        post = Post.objects.create(workspace=workspace, mode="test", text=f"race {round_}", status="queued")
        Delivery.objects.bulk_create(
            Delivery(post=post, account=a, provider="x", next_attempt_at=timezone.now()) for a in accounts
        )
        ids = list(post.deliveries.values_list("pk", flat=True))
        barrier = threading.Barrier(len(ids))

        def attempt(delivery_id, barrier=barrier):
            try:
                barrier.wait()
                services.delivery_attempt(delivery_id=delivery_id)
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt, args=(pk,)) for pk in ids]
        [t.start() for t in threads]
        [t.join() for t in threads]
        statuses = sorted(Delivery.objects.filter(post=post).values_list("status", flat=True))
        assert statuses == ["failed", "published", "published", "published"]
        post.refresh_from_db()
        assert post.status == "partial" and post.finished_at is not None


def test_a_post_left_processing_with_every_delivery_final_is_settled_by_the_sweep(sandbox, workspace, settings):
    from datetime import timedelta

    account = sandbox_account(workspace, "x")
    post = Post.objects.create(workspace=workspace, mode="test", text="left", status="processing")
    Delivery.objects.create(post=post, account=account, provider="x", status="published")
    busy = Post.objects.create(workspace=workspace, mode="test", text="busy", status="processing")
    Delivery.objects.create(post=busy, account=account, provider="x", status="pending")
    assert services.posts_settle_stale() == 0  # too recent: its worker may be at it
    old = timezone.now() - timedelta(seconds=settings.REDISPATCH_SECONDS + 1)
    Post.objects.filter(pk__in=[post.pk, busy.pk]).update(updated_at=old)
    assert services.posts_settle_stale() == 1
    assert Post.objects.get(pk=post.pk).status == "published"
    assert Post.objects.get(pk=busy.pk).status == "processing"  # still in delivery

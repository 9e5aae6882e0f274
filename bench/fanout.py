"""Fan-out: one post to 100 sandbox accounts (zero latency), delivered by one worker on
Redis: time from 202 to all deliveries final (target <= 3 s), and database queries per
delivery (constant: no N+1; at most 8)."""

import time
import uuid

import requests
from common import bench_env, database, make_tenant, purge, web, worker

PORT = 8792
FINAL = ["published", "failed"]


def queries_per_delivery(account_ids, workspace) -> list[int]:
    """Deliver a second post in this process and count each delivery's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from publishing import services
    from publishing.models import Delivery, Post

    post = Post.objects.create(workspace=workspace, mode="test", text=f"count {uuid.uuid4().hex}", status="queued")
    from django.utils import timezone

    Delivery.objects.bulk_create(
        Delivery(post=post, account_id=a, provider="x", next_attempt_at=timezone.now()) for a in account_ids
    )
    counts = []
    for delivery_id in post.deliveries.values_list("pk", flat=True):
        with CaptureQueriesContext(connection) as ctx:
            services.delivery_attempt(delivery_id=delivery_id)
        counts.append(len(ctx))
    return counts


def main() -> None:
    env = bench_env(PORT)
    with database(env):
        from publishing.models import Delivery

        workspace, key, account_ids = make_tenant(100)
        with (
            web(env, PORT, workers=2, threads=16),
            worker(env, env["DRAVO_CELERY_QUEUE"], concurrency=8, pool="threads"),
        ):
            time.sleep(3)  # let the worker connect
            start = time.perf_counter()
            response = requests.post(
                f"http://127.0.0.1:{PORT}/v1/posts",
                json={"account_ids": account_ids, "text": f"fan-out {uuid.uuid4().hex}"},
                headers={"Authorization": f"Bearer {key}"},
            )
            accepted = time.perf_counter() - start
            post_id = response.json()["id"]
            deliveries = Delivery.objects.filter(post_id=post_id)
            # The worker makes the deliveries (post_fan_out) just after the 202.
            while deliveries.count() < len(account_ids) or deliveries.exclude(status__in=FINAL).exists():
                time.sleep(0.05)
                if time.perf_counter() - start > 120:
                    break
            elapsed = time.perf_counter() - start
            published = deliveries.filter(status="published").count()
            counts = queries_per_delivery(account_ids[:20], workspace)
        purge(env, [env["DRAVO_CELERY_QUEUE"]])
    print(
        f"202 after {accepted * 1000:.0f} ms; 100 deliveries final after {elapsed:.2f} s "
        f"({published} published) with one worker (8 threads) on Redis (target <= 3 s)"
    )
    print(
        f"DB queries per delivery: first={counts[0]} last={counts[-1]} min={min(counts)} max={max(counts)} "
        f"over {len(counts)} deliveries (constant = no N+1; target <= 8)"
    )


if __name__ == "__main__":
    main()

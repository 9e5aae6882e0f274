"""Schedule: 10,000 posts due in the same minute, released by Celery Beat (every second,
and half a second later when a post falls due by then) with one worker on the scheduler
queue: lag from scheduled_at to queued, p50 and p99 (target p99 <= 1 s)."""

import sys
import time
from datetime import timedelta

from common import beat, bench_env, database, make_tenant, percentile, purge, worker

POSTS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
LEAD = 25  # seconds before the first post is due (processes start meanwhile)


def create_posts(workspace, account_id) -> None:
    from django.utils import timezone

    from publishing.models import Delivery, Post

    first_due = timezone.now() + timedelta(seconds=LEAD)
    posts = [
        Post(
            workspace=workspace,
            mode="test",
            text=f"scheduled {i}",
            status="scheduled",
            providers=["x"],
            scheduled_at=first_due + timedelta(seconds=60 * i / POSTS),
        )
        for i in range(POSTS)
    ]
    Post.objects.bulk_create(posts, batch_size=2000)
    Delivery.objects.bulk_create(
        (Delivery(post=p, account_id=account_id, provider="x") for p in posts), batch_size=2000
    )


def main() -> None:
    env = bench_env(8793)
    with database(env):
        from publishing.models import Post

        workspace, _, account_ids = make_tenant(1)
        create_posts(workspace, account_ids[0])
        with worker(env, "scheduler", concurrency=1, pool="solo"), beat(env):
            deadline = time.monotonic() + LEAD + 60 + 60
            while Post.objects.filter(status="scheduled").exists() and time.monotonic() < deadline:
                time.sleep(1)
        rows = Post.objects.exclude(released_at=None).values_list("scheduled_at", "released_at")
        lags = [max(0.0, (released - scheduled).total_seconds()) for scheduled, released in rows]
        left = Post.objects.filter(status="scheduled").count()
        purge(env, [env["DRAVO_CELERY_QUEUE"], "scheduler"])
    print(
        f"{len(lags)} of {POSTS} posts released ({left} left); lag scheduled_at -> queued: "
        f"p50={percentile(lags, 50):.2f}s p99={percentile(lags, 99):.2f}s max={max(lags):.2f}s (target p99 <= 1 s)"
    )


if __name__ == "__main__":
    main()

"""Bulk: 500 scheduled posts x 10 sandbox accounts in one POST /v1/posts/bulk, made by one
worker on Redis and PostgreSQL: the time from the request to the job `completed` (target
<= 5 s), and the database queries per post (constant: no N+1), counted on jobs of 20 and
60 posts run in this process.

Usage: .venv/bin/python bench/bulk.py"""

import time
import uuid
from datetime import timedelta

import requests
from common import bench_env, database, make_tenant, purge, web, worker

PORT = 8793
POSTS = 500
ACCOUNTS = 10


def bodies(account_ids: list[str], count: int) -> list[dict]:
    from django.utils import timezone

    start = timezone.now() + timedelta(days=1)
    return [
        {
            "account_ids": account_ids,
            "text": f"bulk {n} {uuid.uuid4().hex[:8]}",
            "scheduled_at": (start + timedelta(minutes=n)).isoformat(),
        }
        for n in range(count)
    ]


def queries_per_post(workspace, account_ids: list[str], count: int) -> float:
    """Run a job of `count` posts in this process; its queries divided by its posts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from publishing.models import Job
    from publishing.services.jobs import job_run

    job = Job.objects.create(workspace=workspace, mode="test", bodies=bodies(account_ids, count), total=count)
    with CaptureQueriesContext(connection) as ctx:
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "completed" and job.done == count, (job.status, job.results[:2])
    return len(ctx) / count


def main() -> None:
    env = bench_env(PORT)
    with database(env):
        from publishing.models import Job, Post

        workspace, key, account_ids = make_tenant(ACCOUNTS)
        with (
            web(env, PORT, workers=2, threads=8),
            worker(env, env["DRAVO_CELERY_QUEUE"], concurrency=2, pool="threads"),
        ):
            time.sleep(3)  # let the worker connect
            for _ in range(4):  # and gunicorn's workers load Dravo (the port opens before they do)
                requests.get(f"http://127.0.0.1:{PORT}/v1/health", timeout=60)
            payload = {"posts": bodies(account_ids, POSTS)}
            start = time.perf_counter()
            response = requests.post(
                f"http://127.0.0.1:{PORT}/v1/posts/bulk", json=payload, headers={"Authorization": f"Bearer {key}"}
            )
            accepted = time.perf_counter() - start
            assert response.status_code == 202, response.text
            job_id = response.json()["job_id"]
            while Job.objects.filter(pk=job_id, status__in=["pending", "running"]).exists():
                time.sleep(0.05)
                if time.perf_counter() - start > 120:
                    break
            elapsed = time.perf_counter() - start
            job = Job.objects.get(pk=job_id)
            scheduled = Post.objects.filter(workspace=workspace, status="scheduled").count()
            small, large = (queries_per_post(workspace, account_ids, n) for n in (20, 60))
        purge(env, [env["DRAVO_CELERY_QUEUE"]])
    print(
        f"202 after {accepted * 1000:.0f} ms; job {job.status} after {elapsed:.2f} s: {job.done} of {POSTS} posts "
        f"x {ACCOUNTS} accounts made ({scheduled} scheduled, {job.failed} refused) by one worker (target <= 5 s)"
    )
    marginal = (large * 60 - small * 20) / 40
    print(
        f"DB queries per post: {small:.2f} (job of 20), {large:.2f} (job of 60); each post more costs {marginal:.2f} "
        "(constant = no N+1)"
    )


if __name__ == "__main__":
    main()

"""Jobs: many posts made in the background from one request (`POST /v1/posts/bulk`, a CSV
import), each post exactly as a single create makes it.

The request stores the job (one row, its bodies) and answers 202; after commit one message
asks a worker to run it (`job_run_task`). The worker takes the job's lease and makes the
posts in chunks, each chunk's posts and the job's counters and results in one
transaction, so a worker killed mid-job leaves no post unrecorded: the next run (the
message redelivered, or the sweep `jobs_resume_stale` once the lease runs out) goes on
after the last chunk that committed. An atomic job makes every post in one transaction,
and none if any fails its checks."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import APIException

from accounts.models import Workspace
from dravo.events import event_emit
from dravo.leases import lease_claim, lease_free
from publishing.api.creation import PostMaker, error_dicts
from publishing.models import Job

CHUNK = 50
ROW_ERRORS = "row_errors"  # a body that stands for a CSV row's own errors (see imports)
LEASE = timedelta(seconds=60)
Status = Job.Status


class _AtomicRefused(Exception):
    """Raised inside an atomic job's transaction to roll every post back."""


def job_create(
    *, workspace: Workspace, mode: str, bodies: list, atomic: bool = False, kind=Job.Kind.BULK, dry_run: bool = False
) -> Job:
    """Store a job and, after commit, ask a worker to run it. A `dry_run` job only checks
    each body and reports what each account would get; it stores no post."""
    job = Job.objects.create(
        workspace=workspace, mode=mode, kind=kind, atomic=atomic, dry_run=dry_run, bodies=bodies, total=len(bodies)
    )
    transaction.on_commit(lambda: job_run_task.delay(job.pk), robust=True)
    return job


def _make_each(job: Job, indexes) -> list[dict]:
    """Each body of `indexes` made into a post as POST /v1/posts makes it (only checked in
    a dry run). The accounts they target are read once."""
    maker = PostMaker(workspace=job.workspace, mode=job.mode)
    maker.read_accounts(job.bodies[index] for index in indexes)
    return [{"index": index, **_result(job, maker, job.bodies[index])} for index in indexes]


def _result(job: Job, maker: PostMaker, body) -> dict:
    """`{"post_id"}`, `{"previews"}` in a dry run, or the `{"errors"}` a create answers."""
    if job.kind == Job.Kind.IMPORT and isinstance(body, dict) and ROW_ERRORS in body:
        return {"errors": body[ROW_ERRORS]}
    if job.dry_run:
        previews, errors = maker.check(body)
        return {"errors": errors} if errors else {"previews": previews}
    try:
        return {"post_id": maker.make(body).pk}
    except APIException as exc:
        return {"errors": error_dicts(exc.detail)}


def _record(job: Job, results: list[dict], *, renew: bool) -> None:
    job.results += results
    job.done += sum(1 for r in results if "errors" not in r)
    job.failed += sum(1 for r in results if "errors" in r)
    fields = {"results": job.results, "done": job.done, "failed": job.failed}
    if renew:
        fields["leased_until"] = timezone.now() + LEASE
    Job.objects.filter(pk=job.pk).update(**fields)


def job_run(*, job_id: str) -> Job | None:
    """Run a job (or go on with it) if its lease is free. Returns the job, or None when
    another worker holds it or it is finished. Safe to repeat."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status in (Status.COMPLETED, Status.FAILED):
        return None
    unfinished = Job.objects.filter(pk=job_id, status__in=[Status.PENDING, Status.RUNNING])
    if not lease_claim(unfinished, field="leased_until", duration=LEASE, status=Status.RUNNING):
        return None
    job.refresh_from_db()
    start = len(job.results)
    if job.atomic:
        try:
            with transaction.atomic():
                results = _make_each(job, range(start, job.total))
                if any("errors" in r for r in results):
                    raise _AtomicRefused
                _record(job, results, renew=False)
        except _AtomicRefused:
            # Nothing is stored: only the refusals are reported, and the job failed.
            _record(job, [r for r in results if "errors" in r], renew=False)
            return _finish(job, Status.FAILED)
        return _finish(job, Status.COMPLETED)
    for chunk_start in range(start, job.total, CHUNK):
        with transaction.atomic():
            _record(job, _make_each(job, range(chunk_start, min(chunk_start + CHUNK, job.total))), renew=True)
    return _finish(job, Status.COMPLETED)


def _finish(job: Job, status: str) -> Job:
    """The job ends `status` (`completed`, or `failed` for an atomic job with a refused
    post), told as `job.completed` in the same transaction."""
    now = timezone.now()
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(status=status, finished_at=now, leased_until=None)
        event_emit("job.completed", workspace_id=job.workspace_id, mode=job.mode, subject=job)
    job.status, job.finished_at = status, now
    return job


def jobs_resume_stale() -> int:
    """Ask a worker again for each unfinished job whose lease is free (its message lost,
    or its worker gone) and that waited more than a few seconds; how many."""
    now = timezone.now()
    stale = Job.objects.filter(
        lease_free("leased_until", now),
        status__in=[Status.PENDING, Status.RUNNING],
        created_at__lt=now - timedelta(seconds=10),
    ).values_list("pk", flat=True)[:100]
    ids = list(stale)
    for job_id in ids:
        job_run_task.delay(job_id)
    return len(ids)


@shared_task(ignore_result=True)
def job_run_task(job_id: str) -> None:
    job_run(job_id=job_id)

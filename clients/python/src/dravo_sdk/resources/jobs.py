"""`client.jobs` (bulk creates and CSV imports) and `client.legacy` (the `/v1/publish` routes)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from dravo_sdk.models import BulkJob, Job, JobAccepted
from dravo_sdk.operations import Resource, operation
from dravo_sdk.resources.posts import history_params, post_body


class Jobs(Resource):
    @operation("GET", "/jobs/{job_id}")
    def get(self, job_id: str) -> BulkJob:
        """A bulk or import job: its counters and, per body or row, a post or errors."""
        return BulkJob.from_dict(self._send(self.get, path_params={"job_id": job_id}))

    def wait(self, job_id: str, *, interval: float = 0.5, timeout: float = 600.0,
             on_progress: Callable[[BulkJob], None] | None = None) -> BulkJob:
        """Poll the job until it is `completed` or `failed` and answer it; `on_progress`
        sees every state read. Raises `TimeoutError` after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if on_progress:
                on_progress(job)
            if job.is_final:
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"{job_id} still {job.status} after {timeout:g}s")
            time.sleep(interval)


class LegacyPublish(Resource):
    """The deprecated `/v1/publish` routes: the same posts, shown as `job_…`. Prefer
    `client.posts`."""

    @operation("POST", "/publish")
    def create(self, *, text: str, account_ids: list[str], idempotency_key: str | None = None,
               **fields: Any) -> JobAccepted:
        answer = self._send(self.create, json=post_body(text=text, account_ids=account_ids, **fields),
                            idempotency_key=idempotency_key)
        return JobAccepted.from_dict(answer)

    @operation("GET", "/publish")
    def list(self, *, status: str | None = None, account_id: str | None = None, provider: str | None = None,
             q: str | None = None, from_: datetime | str | None = None, to: datetime | str | None = None,
             limit: int | None = None) -> Iterator[Job]:
        return self._pages(self.list, Job, history_params(status=status, account_id=account_id, provider=provider,
                                                           q=q, from_=from_, to=to, limit=limit))

    @operation("GET", "/publish/{id}")
    def get(self, job_id: str) -> Job:
        return Job.from_dict(self._send(self.get, path_params={"id": job_id}))

    @operation("POST", "/publish/{id}/cancel")
    def cancel(self, job_id: str) -> JobAccepted:
        return JobAccepted.from_dict(self._send(self.cancel, path_params={"id": job_id}))

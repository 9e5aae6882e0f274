"""`client.posts`: create, read, edit and follow posts; bulk creates and CSV imports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from dravo_sdk.models import BulkAccepted, Post, PostAccepted, PostDetail, ValidationReport
from dravo_sdk.operations import Resource, operation


def iso(value: datetime | str | None) -> str | None:
    """A time as the API takes it: an aware datetime in ISO 8601, a string as given."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a naive datetime is ambiguous: give it a tzinfo")
        return value.isoformat()
    return value


def post_body(*, text: str, account_ids: list[str], media_urls: list[str] | None = None,
              platform_options: dict | None = None, scheduled_at: datetime | str | None = None,
              queue: bool | None = None, draft: bool | None = None, recurrence: dict | None = None,
              recycle: dict | None = None, auto_schedule: dict | None = None) -> dict[str, Any]:
    """The JSON body of a create, without the fields left out."""
    body = {"text": text, "account_ids": list(account_ids), "media_urls": media_urls,
            "platform_options": platform_options, "scheduled_at": iso(scheduled_at), "queue": queue,
            "draft": draft, "recurrence": recurrence, "recycle": recycle, "auto_schedule": auto_schedule}
    return {key: value for key, value in body.items() if value is not None}


def history_params(*, status: str | None, account_id: str | None, provider: str | None, q: str | None,
                   from_: datetime | str | None, to: datetime | str | None, limit: int | None) -> dict[str, Any]:
    """The query of a post history (`/posts`, and the legacy `/publish`)."""
    return {"status": status, "account_id": account_id, "provider": provider, "q": q,
            "from": iso(from_), "to": iso(to), "limit": limit}


class Posts(Resource):
    @operation("POST", "/posts")
    def create(self, *, text: str, account_ids: list[str], idempotency_key: str | None = None,
               **fields: Any) -> PostAccepted | Post:
        """Create a post for `account_ids`: now, at `scheduled_at`, in the next `queue`
        slot, or as a `draft`. Answers the 202's `PostAccepted` (a draft: its 201 `Post`).
        Safe to repeat with the same `idempotency_key` (one post). Raises
        `ValidationError` naming the field (`text`, `account_ids.1`…)."""
        answer = self._send(self.create, json=post_body(text=text, account_ids=account_ids, **fields),
                            idempotency_key=idempotency_key)
        return Post.from_dict(answer) if "revision" in answer else PostAccepted.from_dict(answer)

    @operation("GET", "/posts")
    def list(self, *, status: str | None = None, account_id: str | None = None, provider: str | None = None,
             q: str | None = None, from_: datetime | str | None = None, to: datetime | str | None = None,
             limit: int | None = None) -> Iterator[Post]:
        """Every post matching the filters, newest first, fetched page by page (`limit`
        per page) as the iterator is read."""
        return self._pages(self.list, Post, history_params(status=status, account_id=account_id, provider=provider,
                                                            q=q, from_=from_, to=to, limit=limit))

    @operation("GET", "/posts/{id}")
    def get(self, post_id: str) -> PostDetail:
        """One post with its per-account results. Raises `NotFound`."""
        return PostDetail.from_dict(self._send(self.get, path_params={"id": post_id}))

    @operation("PATCH", "/posts/{id}")
    def update(self, post_id: str, *, if_match: int | None = None, series: bool | None = None,
               **changes: Any) -> Post:
        """Edit a post not yet sent (`text`, `account_ids`, `media_urls`,
        `platform_options`, `scheduled_at`). With `if_match` (its `revision`), raises
        `PreconditionFailed` if it changed meanwhile."""
        if "scheduled_at" in changes:
            changes["scheduled_at"] = iso(changes["scheduled_at"])
        if series is not None:
            changes["series"] = series
        headers = {"If-Match": str(if_match)} if if_match is not None else None
        return Post.from_dict(self._send(self.update, path_params={"id": post_id}, json=changes, headers=headers))

    @operation("DELETE", "/posts/{id}")
    def delete(self, post_id: str) -> None:
        """Delete a post that was never sent (a draft, a scheduled post)."""
        self._send(self.delete, path_params={"id": post_id})

    @operation("POST", "/posts/{id}/cancel")
    def cancel(self, post_id: str, *, series: bool | None = None) -> PostAccepted:
        """Cancel what is not sent yet (`series=True`: every later occurrence too)."""
        body = {"series": series} if series is not None else {}
        return PostAccepted.from_dict(self._send(self.cancel, path_params={"id": post_id}, json=body))

    @operation("POST", "/posts/{id}/retry")
    def retry(self, post_id: str) -> Post:
        """Send the failed deliveries of a post again. Raises `Conflict` if none failed."""
        return Post.from_dict(self._send(self.retry, path_params={"id": post_id}))

    @operation("POST", "/posts/{id}/publish")
    def publish(self, post_id: str, *, scheduled_at: datetime | str | None = None,
                if_match: int | None = None) -> PostAccepted:
        """Publish a draft now, or schedule it at `scheduled_at`."""
        body = {"scheduled_at": iso(scheduled_at)} if scheduled_at is not None else {}
        headers = {"If-Match": str(if_match)} if if_match is not None else None
        return PostAccepted.from_dict(self._send(self.publish, path_params={"id": post_id}, json=body,
                                                 headers=headers))

    @operation("POST", "/posts/validate")
    def validate(self, *, text: str, account_ids: list[str], **fields: Any) -> ValidationReport:
        """Run a create's checks without creating anything; `valid` and the `errors`."""
        return ValidationReport.from_dict(self._send(self.validate, json=post_body(
            text=text, account_ids=account_ids, **fields)))

    @operation("POST", "/posts/bulk")
    def bulk(self, posts: list[dict[str, Any]], *, atomic: bool = False,
             idempotency_key: str | None = None) -> BulkAccepted:
        """Create up to 500 posts (bodies of `create`) in one job; follow it with
        `client.jobs.get()` or `client.jobs.wait()`."""
        return BulkAccepted.from_dict(self._send(self.bulk, json={"posts": posts, "atomic": atomic},
                                                 idempotency_key=idempotency_key))

    @operation("POST", "/posts/import")
    def import_csv(self, file: str | Path | IO[bytes], *, dry_run: bool = False,
                   time_zone: str | None = None) -> BulkAccepted:
        """Import a CSV file (a path or a binary file object) as one post per row, or
        only check it (`dry_run`). Answers the job to follow."""
        data = {"dry_run": "true" if dry_run else "false", **({"time_zone": time_zone} if time_zone else {})}
        if isinstance(file, str | Path):
            with open(file, "rb") as handle:
                return self._import(handle, Path(file).name, data)
        return self._import(file, Path(getattr(file, "name", "posts.csv")).name, data)

    def _import(self, handle: IO[bytes], name: str, data: dict[str, str]) -> BulkAccepted:
        files = {"file": (name, handle.read(), "text/csv")}
        return BulkAccepted.from_dict(self._send(self.import_csv, files=files, data=data))

    @operation("GET", "/posts/import/template")
    def import_template(self) -> str:
        """The CSV template: every column and two example rows."""
        return self._send(self.import_template)

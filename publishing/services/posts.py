"""Creating, canceling and retrying posts; their deliveries are written by
publishing.services.delivery."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Workspace
from publishing.errors import PostNotCancelable, PostNotRetryable
from publishing.models import Post
from publishing.services.delivery import deliveries_cancel, deliveries_insert, deliveries_rearm, post_fan_out_task
from publishing.services.validation import check_post

Status = Post.Status


def post_create(
    *,
    workspace: Workspace,
    mode: str,
    account_ids: list[str],
    text: str,
    media_urls: list[str] | None = None,
    platform_options: dict | None = None,
    scheduled_at: datetime | None = None,
) -> Post:
    """Validate and store a post. A scheduled post gets its deliveries now and waits for
    the scheduler; a post for now is answered at once and, after commit, one message
    asks a worker to make its deliveries and send them (`post_fan_out`), so that the
    request writes one row instead of one per account. The post's `targets` keep what
    the fan-out needs, and the dispatcher redoes a fan-out whose message was lost.

    Raises ValidationError (400) naming every problem; nothing is stored then.
    """
    media_urls = media_urls or []
    checked, problems = check_post(
        workspace=workspace,
        mode=mode,
        account_ids=account_ids,
        text=text,
        media_urls=media_urls,
        platform_options=platform_options or {},
    )
    problems.raise_if_any()
    post = Post(
        workspace=workspace,
        mode=mode,
        text=text,
        media_urls=media_urls,
        platform_options=checked.options,
        providers=checked.providers,
        targets=[[account.pk, account.provider] for account in checked.accounts],
        scheduled_at=scheduled_at,
        status=Status.SCHEDULED if scheduled_at else Status.QUEUED,
        released_at=None if scheduled_at else timezone.now(),
    )
    if scheduled_at:
        with transaction.atomic():
            post.save(force_insert=True)
            deliveries_insert(post=post, due=None)
    else:
        post.save(force_insert=True)  # one row: atomic on its own, no transaction round trips
        # Robust: once the row is stored the answer is 202 even if the broker is down; the
        # dispatcher then does the fan-out (posts_fan_out_missed), which costs a delay only.
        transaction.on_commit(lambda: post_fan_out_task.delay(post.pk), robust=True)
    return post


def post_cancel(*, post: Post) -> Post:
    """Cancel a scheduled post: it and its deliveries become `canceled`. A canceled post
    cancels again as a no-op; any other post raises PostNotCancelable (409) naming its
    status (queued, processing, published…). The conditional update makes a cancel racing
    the scheduler's release have exactly one winner."""
    now = timezone.now()
    with transaction.atomic():
        updated = Post.objects.filter(pk=post.pk, status=Status.SCHEDULED).update(
            status=Status.CANCELED, finished_at=now, updated_at=now
        )
        if updated:
            deliveries_cancel(post_id=post.pk)
    post.refresh_from_db()
    if not updated and post.status != Status.CANCELED:
        raise PostNotCancelable(status=post.status)
    return post


@transaction.atomic
def post_retry(*, post: Post) -> Post:
    """Re-arm the failed deliveries of a failed or partial post (never the published ones),
    with a fresh attempt budget and without the last attempt's error. Raises
    PostNotRetryable (409) otherwise."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.status not in (Status.FAILED, Status.PARTIAL):
        raise PostNotRetryable()
    deliveries_rearm(post_id=post.pk)
    Post.objects.filter(pk=post.pk).update(status=Status.QUEUED, finished_at=None, updated_at=timezone.now())
    post.refresh_from_db()
    return post

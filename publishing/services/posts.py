"""Creating, canceling and retrying posts."""

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Workspace
from publishing.errors import PostNotCancelable, PostNotRetryable
from publishing.models import Delivery, Post
from publishing.services.validation import check_post

Status = Post.Status


def _enqueue(delivery_ids: list[int], *, fan_out: bool = True) -> None:
    """After commit, one message per delivery; with `fan_out`, many deliveries go as one
    message that a worker fans out, so that a sweep is not N broker round trips. The sends
    are robust: the rows are committed, so a broker outage costs a delay (the dispatcher
    re-sends them after DRAVO_REDISPATCH_SECONDS), never an error for what was stored."""
    from publishing.tasks import deliver_task, fan_out_task

    if fan_out and len(delivery_ids) > 1:
        transaction.on_commit(lambda: fan_out_task.delay(delivery_ids), robust=True)
        return
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda delivery_id=delivery_id: deliver_task.delay(delivery_id), robust=True)


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
    from publishing.tasks import post_fan_out_task

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
            _deliveries_insert(post=post, due=None)
    else:
        post.save(force_insert=True)  # one row: atomic on its own, no transaction round trips
        # Robust: once the row is stored the answer is 202 even if the broker is down; the
        # dispatcher then does the fan-out (posts_fan_out_missed), which costs a delay only.
        transaction.on_commit(lambda: post_fan_out_task.delay(post.pk), robust=True)
    return post


def post_fan_out(*, post_id: str) -> list[int]:
    """Make the deliveries of a queued post from its targets, in request order, and send
    one task for each made now; returns their ids. Safe to repeat: rows that exist are
    kept (ON CONFLICT DO NOTHING) and not sent again, since the dispatcher re-sends a
    row whose message was lost. A post that is no longer queued is left alone."""
    post = Post.objects.filter(pk=post_id, status=Status.QUEUED).only("pk", "targets").first()
    if post is None:
        return []
    delivery_ids = _deliveries_insert(post=post, due=timezone.now())
    _enqueue(delivery_ids, fan_out=False)
    return delivery_ids


def _deliveries_insert(*, post: Post, due: datetime | None) -> list[int]:
    """Store one pending delivery per target that has none, in a single INSERT … SELECT
    FROM VALUES … ON CONFLICT DO NOTHING, and return the ids of the rows made. Only the
    account and its network vary per row and the other columns are single parameters,
    where bulk_create would prepare every column of every row in Python. Portable SQL:
    PostgreSQL and SQLite both name a VALUES list's columns column1, column2 and support
    RETURNING (SQLite needs the WHERE to parse the upsert after a SELECT)."""
    if not post.targets:
        return []
    now = timezone.now()
    given = {"post": post.pk, "next_attempt_at": due, "dispatched_at": due, "created_at": now, "updated_at": now}
    # Every other column takes the model's default, so the row is what Delivery() would be.
    fields = [
        f for f in Delivery._meta.concrete_fields if not f.primary_key and f.name not in ("account", "provider")
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(["(%s, %s)"] * len(post.targets))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Delivery._meta.db_table)} ({columns}, account_id, provider) "
        f"SELECT {', '.join(['%s'] * len(fields))}, v.column1, v.column2 FROM (VALUES {values}) AS v WHERE true "
        "ON CONFLICT DO NOTHING RETURNING id"
    )
    params = [f.get_db_prep_save(given[f.name] if f.name in given else f.get_default(), connection) for f in fields]
    params += [value for target in post.targets for value in target]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


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
            Delivery.objects.filter(post_id=post.pk, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.CANCELED, next_attempt_at=None, updated_at=now
            )
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
    now = timezone.now()
    failed = list(locked.deliveries.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=failed).update(
        status=Delivery.Status.PENDING,
        attempts=0,
        error="",
        error_code="",
        next_attempt_at=now,
        dispatched_at=now,
        lease_until=None,
        updated_at=now,
    )
    Post.objects.filter(pk=post.pk).update(status=Status.QUEUED, finished_at=None, updated_at=now)
    _enqueue(failed)
    post.refresh_from_db()
    return post


def post_mark_processing(*, post_id: str) -> None:
    """A delivery of a queued post has started: the post is processing. One conditional
    UPDATE (the hot path of every delivery); safe to repeat."""
    Post.objects.filter(pk=post_id, status=Status.QUEUED).update(status=Status.PROCESSING, updated_at=timezone.now())


def post_refresh_status(*, post_id: str) -> None:
    """Derive the post's status from its deliveries (queued → processing → published |
    partial | failed). Only touches posts that are in delivery. Safe to repeat."""
    rows = list(Delivery.objects.filter(post_id=post_id).values_list("status", "attempts"))
    if not rows:
        return
    statuses = [status for status, _ in rows]
    if all(s in Delivery.FINAL for s in statuses):
        published = statuses.count(Delivery.Status.PUBLISHED)
        new = Status.PUBLISHED if published == len(statuses) else Status.FAILED if not published else Status.PARTIAL
        finished_at = timezone.now()
    elif any(status != Delivery.Status.PENDING or attempts for status, attempts in rows):
        new, finished_at = Status.PROCESSING, None
    else:
        new, finished_at = Status.QUEUED, None
    Post.objects.filter(pk=post_id, status__in=[Status.QUEUED, Status.PROCESSING]).exclude(status=new).update(
        status=new, finished_at=finished_at, updated_at=timezone.now()
    )

"""The delivery path, top to bottom: a post's targets become its deliveries (the
fan-out), each delivery is claimed, sent to its network and recorded, and the post's
status follows; then the scheduler's sweeps, and the tasks.

Ownership: a post's `targets` (the accounts asked for, in request order) are written
once, by post_create; the delivery rows are made from them and written only here
(made, claimed, recorded, canceled with their post, re-armed by a retry). Until its
row is made, a target reads as its post does (see Post.results).

The database is the queue's truth: a delivery is due when `status=pending` and
`next_attempt_at` has passed; a task message only says "look at row N now". A worker
claims the row with a conditional update (status, attempts and a lease in one UPDATE),
records the platform post id as soon as the network answers, and writes a backoff to
`next_attempt_at` instead of sleeping in the broker. No transaction is held across a
network call.
"""

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Now
from django.utils import timezone

from accounts import services as account_services
from accounts.errors import ProviderUnreachable, RefreshFailed
from accounts.models import SocialAccount
from dravo.batching import Batcher
from dravo.events import event_emit, event_transaction
from dravo.leases import lease_claim
from dravo.media_inspect import MediaRejected
from providers import registry
from providers.base import Content, Media, PublishResult
from providers.errors import (
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
)
from publishing.content import content_for, dravo_media, media_for
from publishing.media_serve import media_id_in
from publishing.models import Delivery, Post
from publishing.services.media import media_from_source

logger = logging.getLogger(__name__)
DStatus = Delivery.Status
PStatus = Post.Status

# Who wants to know that a delivery was published (analytics starts its metrics row):
# apps that build on publishing subscribe from their AppConfig.ready(), so publishing
# never imports them. Set up once at start, read on every publish.
_published_callbacks: list[Callable[..., None]] = []


def delivery_published_subscribe(callback: Callable[..., None]) -> None:
    """Call `callback(delivery=...)` in the worker right after a delivery is recorded
    published (or reconciled as published). Subscribing the same callback twice keeps one.
    A callback must be quick, idempotent and must not raise."""
    if callback not in _published_callbacks:
        _published_callbacks.append(callback)


def deliveries_enqueue(delivery_ids: list[int], *, fan_out: bool = True) -> None:
    """After commit, one message per delivery; with `fan_out`, many deliveries go as one
    message that a worker fans out, so that a sweep is not N broker round trips. The sends
    are robust: the rows are committed, so a broker outage costs a delay (the dispatcher
    re-sends them after DRAVO_REDISPATCH_SECONDS), never an error for what was stored."""
    if fan_out and len(delivery_ids) > 1:
        transaction.on_commit(lambda: fan_out_task.delay(delivery_ids), robust=True)
        return
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda delivery_id=delivery_id: deliver_task.delay(delivery_id), robust=True)


def post_fan_out_soon(post_id: str) -> None:
    """After commit, ask a worker for the fan-out of a post just queued. The posts that
    this process queues within DRAVO_FANOUT_LINGER_MS go in one message (a broker message
    per post was a sixth of a create's cost). Robust: the row is stored, so a broker
    outage, or this process dying before the send, costs a delay only
    (posts_fan_out_missed redoes the fan-out)."""
    transaction.on_commit(lambda: _fan_out_batch.add(post_id), robust=True)


# At most this many posts per fan-out message: a burst (a job's chunk of posts, all
# committed at once) still spreads over several workers.
FAN_OUT_BATCH_MAX = 20


def _fan_out_send(post_ids: list[str]) -> None:
    for start in range(0, len(post_ids), FAN_OUT_BATCH_MAX):
        chunk = post_ids[start : start + FAN_OUT_BATCH_MAX]
        if len(chunk) == 1:
            post_fan_out_task.delay(chunk[0])
        else:
            posts_fan_out_task.delay(chunk)


_fan_out_batch = Batcher(
    _fan_out_send,
    linger=lambda: settings.FANOUT_LINGER_MS / 1000,
    direct=lambda: post_fan_out_task.app.conf.task_always_eager,  # run in-process: no wait
    name="fan-out",
)


def post_fan_out(*, post_id: str) -> list[int]:
    """Make the deliveries of a queued post from its targets, in request order, and send
    one task for each made now; returns their ids. Safe to repeat: rows that exist are
    kept (ON CONFLICT DO NOTHING) and not sent again, since the dispatcher re-sends a
    row whose message was lost. A post that is no longer queued is left alone."""
    post = Post.objects.filter(pk=post_id, status=PStatus.QUEUED).only("pk", "targets").first()
    if post is None:
        return []
    delivery_ids = deliveries_insert(post=post, due=timezone.now())
    deliveries_enqueue(delivery_ids, fan_out=False)
    return delivery_ids


def deliveries_insert(*, post: Post, due: datetime | None) -> list[int]:
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
    fields = [f for f in Delivery._meta.concrete_fields if not f.primary_key and f.name not in ("account", "provider")]
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


def deliveries_retarget(*, post: Post) -> None:
    """The deliveries of a scheduled post whose accounts changed (before its release, so
    none was sent): the rows of accounts it no longer targets go, the new ones are made.
    Run it in the edit's transaction."""
    keep = [account_id for account_id, _ in post.targets]
    Delivery.objects.filter(post=post, status=DStatus.PENDING).exclude(account_id__in=keep).delete()
    deliveries_insert(post=post, due=None)


def deliveries_cancel(*, post_id: str) -> int:
    """The deliveries of a post that was just canceled: every one not final becomes
    `canceled` (so a canceled post never shows a pending result) and is never sent.
    Run it in the cancel's transaction; safe to repeat."""
    return (
        Delivery.objects.filter(post_id=post_id)
        .exclude(status__in=Delivery.FINAL)
        .update(status=DStatus.CANCELED, next_attempt_at=None, lease_until=None, updated_at=timezone.now())
    )


def deliveries_rearm(*, post_id: str) -> list[int]:
    """The failed deliveries of a post back to pending (never the published ones), with a
    fresh attempt budget and without the last attempt's error, due now and sent after
    commit; returns their ids. Safe to repeat (a second call finds none failed)."""
    now = timezone.now()
    failed = list(Delivery.objects.filter(post_id=post_id, status=DStatus.FAILED).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=failed).update(
        status=DStatus.PENDING,
        attempts=0,
        error="",
        error_code="",
        next_attempt_at=now,
        dispatched_at=now,
        lease_until=None,
        updated_at=now,
    )
    deliveries_enqueue(failed)
    return failed


def post_mark_processing(*, post_id: str) -> None:
    """A delivery of a queued post has started: the post is processing. One conditional
    UPDATE (the hot path of every delivery); safe to repeat."""
    Post.objects.filter(pk=post_id, status=PStatus.QUEUED).update(status=PStatus.PROCESSING, updated_at=timezone.now())


def post_refresh_status(*, post_id: str, workspace_id: str | None = None, mode: str | None = None) -> None:
    """Derive the post's status from its deliveries (queued → processing → published |
    partial | failed). Only touches posts that are in delivery. Safe to repeat.

    One UPDATE whose new status is an aggregate over the post's deliveries (no SELECT
    first), written only when it differs. Safe beside the post's other deliveries: each
    caller has committed its own delivery row first, so the caller whose statement starts
    last sees every final row and writes the final status; a caller that saw fewer can
    only compute `processing`, and the guard (`queued` or `processing` only) keeps it from
    undoing a final status (on PostgreSQL, an UPDATE that waited on the row lock checks
    the guard again on the row as committed). Portable SQL: PostgreSQL and SQLite (3.33 and
    later) both take UPDATE … FROM … RETURNING. The status it makes final is told
    (`post.published`, `post.partial`, `post.failed`) in the same transaction (none is
    opened when the post's workspace and mode are given and nobody listens to them)."""
    d = connection.ops.quote_name(Delivery._meta.db_table)
    p = connection.ops.quote_name(Post._meta.db_table)
    final = ", ".join(["%s"] * len(Delivery.FINAL))
    new_status = (
        "SELECT CASE WHEN COUNT(*) = 0 THEN NULL "
        f"WHEN SUM(CASE WHEN status IN ({final}) THEN 0 ELSE 1 END) = 0 THEN "
        "CASE WHEN SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) = COUNT(*) THEN %s "
        "WHEN SUM(CASE WHEN status = %s THEN 1 ELSE 0 END) = 0 THEN %s ELSE %s END "
        "WHEN SUM(CASE WHEN status <> %s OR attempts > 0 THEN 1 ELSE 0 END) > 0 THEN %s "
        f"ELSE %s END AS new FROM {d} WHERE post_id = %s"
    )
    new_params = [
        *Delivery.FINAL,
        DStatus.PUBLISHED,
        PStatus.PUBLISHED,
        DStatus.PUBLISHED,
        PStatus.FAILED,
        PStatus.PARTIAL,
        DStatus.PENDING,
        PStatus.PROCESSING,
        PStatus.QUEUED,
        post_id,
    ]
    now = timezone.now()
    sql = (
        f"UPDATE {p} SET status = s.new, "
        "finished_at = CASE WHEN s.new IN (%s, %s, %s) THEN %s ELSE NULL END, updated_at = %s "
        f"FROM ({new_status}) AS s "
        f"WHERE {p}.id = %s AND {p}.status IN (%s, %s) AND s.new IS NOT NULL AND s.new <> {p}.status "
        f"RETURNING {p}.status, {p}.workspace_id, {p}.mode"
    )
    params = [
        PStatus.PUBLISHED,
        PStatus.PARTIAL,
        PStatus.FAILED,
        Post._meta.get_field("finished_at").get_db_prep_save(now, connection),
        Post._meta.get_field("updated_at").get_db_prep_save(now, connection),
        *new_params,
        post_id,
        PStatus.QUEUED,
        PStatus.PROCESSING,
    ]
    listened = (
        event_transaction(workspace_id=workspace_id, mode=mode) if workspace_id and mode else transaction.atomic()
    )
    with listened, connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = cursor.fetchone()
        if changed and changed[0] in Post.FINAL:  # post.published, post.partial or post.failed
            event_emit(f"post.{changed[0]}", workspace_id=changed[1], mode=changed[2], subject=Post(pk=post_id))


def _lease() -> timedelta:
    return timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    return lease_claim(
        Delivery.objects.filter(pk=delivery_id, status=DStatus.PENDING, next_attempt_at__lte=now),
        field="lease_until",
        duration=_lease(),
        status=DStatus.PROCESSING,
        attempts=F("attempts") + 1,
        updated_at=now,
    )


def _finish(delivery: Delivery, event: str = "", **fields) -> None:
    """Record the attempt's outcome (and tell `event`, in the same transaction); then the
    post's status follows, in a transaction of its own, once this row is committed (see
    post_refresh_status)."""
    if getattr(delivery, "checkpoint_noted", False):  # kept with the outcome (see _publish)
        fields["checkpoint"] = delivery.checkpoint
    workspace_id, mode = delivery.post.workspace_id, delivery.post.mode
    with event_transaction(workspace_id=workspace_id, mode=mode):
        Delivery.objects.filter(pk=delivery.pk).update(lease_until=None, updated_at=timezone.now(), **fields)
        if event:
            event_emit(event, workspace_id=workspace_id, mode=mode, subject=delivery)
    post_refresh_status(post_id=delivery.post_id, workspace_id=workspace_id, mode=mode)


def _published(delivery: Delivery, result: PublishResult) -> None:
    _finish(
        delivery,
        "delivery.published",
        status=DStatus.PUBLISHED,
        platform_post_id=result.platform_post_id,
        platform_post_url=result.url or "",
        warnings=result.warnings,
        published_at=result.published_at or timezone.now(),
        error="",
        error_code="",
        next_attempt_at=None,
    )
    for callback in _published_callbacks:
        callback(delivery=delivery)


def _failed(delivery: Delivery, *, code: str, error: str) -> None:
    fields = {"error": error[:4000], "error_code": code[:40], "next_attempt_at": None}
    _finish(delivery, "delivery.failed", status=DStatus.FAILED, **fields)


def _again(delivery: Delivery, *, delay: timedelta, code: str, error: str) -> None:
    """Back to pending, due after `delay`; the dispatcher sends it again then."""
    _finish(
        delivery,
        "delivery.retrying",
        status=DStatus.PENDING,
        next_attempt_at=timezone.now() + delay,
        dispatched_at=None,
        error=error[:4000],
        error_code=code[:40],
    )


def _content(delivery: Delivery) -> Content:
    """The content for this delivery's network, every media at a URL Dravo controls: foreign
    URLs are ingested first (or the copy already ingested reused). Raises MediaRejected
    naming the media (`media_urls.i`) when one is gone or cannot be fetched.

    The network's rules were checked once, at create, on everything known then: the text,
    the options and Dravo media (whose bytes were inspected at upload). Only a foreign URL
    was known by its extension alone, so only a post with one is checked again, on its
    media, now that the bytes are known."""
    post = delivery.post
    rows = dravo_media(workspace=post.workspace, mode=post.mode, urls=post.media_urls)
    media = tuple(_delivery_media(post, rows, index, url) for index, url in enumerate(post.media_urls))
    content = content_for(
        text=post.text,
        media=media,
        options=post.platform_options,
        provider=delivery.provider,
        account_id=delivery.account_id,
    )
    if all(media_id_in(url) for url in post.media_urls):
        return content
    client = registry.CLIENTS[delivery.provider]({}, endpoints={})  # validate() needs no credentials nor I/O
    broken = [p for p in client.validate(content) if p.field.startswith("media_urls")]
    if broken:
        raise MediaRejected("media_invalid", "; ".join(f"{p.field}: {p.message}" for p in broken))
    return content


def _delivery_media(post: Post, rows: dict, index: int, url: str) -> Media:
    media_id = media_id_in(url)
    if media_id:
        if media_id not in rows:
            raise MediaRejected("media_unavailable", f"media_urls.{index}: media {media_id} was deleted.")
        return media_for(rows[media_id])
    try:
        return media_for(media_from_source(workspace=post.workspace, mode=post.mode, url=url))
    except MediaRejected as exc:
        raise MediaRejected("media_unavailable", f"media_urls.{index} ({url}) could not be ingested: {exc}") from exc


def _publish(delivery: Delivery, account: SocialAccount, content: Content) -> PublishResult:
    """Publish, refreshing the token once if the network says it expired."""

    def save_checkpoint(checkpoint: dict) -> None:
        delivery.checkpoint, delivery.checkpoint_noted = checkpoint, False
        Delivery.objects.filter(pk=delivery.pk).update(checkpoint=checkpoint)

    def note(checkpoint: dict) -> None:
        # Progress that only spares a retry some work: written with the next save or with
        # the attempt's outcome (_finish), one statement fewer per step.
        delivery.checkpoint, delivery.checkpoint_noted = checkpoint, True

    save_checkpoint.note = note

    return account_services.social_account_call(
        account=account,
        call=lambda client: client.publish(
            content, checkpoint=delivery.checkpoint or None, save_checkpoint=save_checkpoint
        ),
    )


def delivery_attempt(*, delivery_id: int) -> None:
    """One attempt at one delivery. Safe to repeat and to run concurrently: only the worker
    whose conditional update claims the row goes on; a delivery that already has a
    platform post id is never published again."""
    if not _claim(delivery_id):
        return
    delivery = Delivery.objects.select_related("post__workspace", "account").get(pk=delivery_id)
    if delivery.post.status == PStatus.QUEUED:  # the first delivery claimed marks the post
        post_mark_processing(post_id=delivery.post_id)
    account = delivery.account
    if delivery.platform_post_id:
        _finish(delivery, "delivery.published", status=DStatus.PUBLISHED)
        return
    if not account.is_usable:
        _failed(delivery, code="account_not_usable", error=f"The account is {account.health}; reconnect it.")
        return
    try:
        content = _content(delivery)
    except MediaRejected as exc:
        _failed(delivery, code=exc.code, error=exc.message)
        return
    try:
        result = _publish(delivery, account, content)
    except Exception as exc:  # noqa: BLE001 - every outcome must end recorded
        _handle_failure(delivery, exc)
        return
    _published(delivery, result)


def _handle_failure(delivery: Delivery, exc: Exception) -> None:
    attempts_left = delivery.attempts < settings.MAX_ATTEMPTS
    if isinstance(exc, RateLimited) and attempts_left:
        _again(delivery, delay=timedelta(seconds=exc.retry_after), code=exc.code, error=str(exc))
    elif isinstance(exc, (ProviderUnavailable, ProviderUnreachable)) and attempts_left:
        base = delivery.backoff(settings.RETRY_BASE_SECONDS)
        jitter = timedelta(seconds=random.uniform(0, base.total_seconds() / 2))
        code = getattr(exc, "code", "provider_unavailable")
        _again(
            delivery,
            delay=base + jitter,
            code=code if isinstance(code, str) else "provider_unavailable",
            error=str(exc),
        )
    elif isinstance(exc, (ReconnectRequired, RefreshFailed)):
        account_services.social_account_mark_reconnect(account_id=delivery.account_id, reason=str(exc))
        _failed(delivery, code="reconnect_required", error=str(exc))
    elif isinstance(exc, (ProviderError, ProviderUnreachable)):
        _failed(delivery, code=getattr(exc, "code", "provider_error"), error=str(exc))
    else:
        logger.exception("Delivery %s failed unexpectedly", delivery.pk)
        _failed(delivery, code="internal_error", error=f"Internal error: {exc.__class__.__name__}")


def posts_release_due(*, batch: int = 1000, max_batches: int = 50) -> int:
    """Release scheduled posts whose time has come (by the database's clock) and queue
    their deliveries. Batches are claimed with SELECT … FOR UPDATE SKIP LOCKED, so several
    schedulers never release one post twice, and a cancel racing a release has one winner."""
    released = 0
    for _ in range(max_batches):
        count = _release_batch(batch)
        released += count
        if count < batch:
            break
    return released


def posts_due_within(*, seconds: float) -> bool:
    """Whether a scheduled post falls due within `seconds` (by the database's clock)."""
    soon = Now() + timedelta(seconds=seconds)
    return Post.objects.filter(status=PStatus.SCHEDULED, scheduled_at__lte=soon).exists()


@transaction.atomic
def _release_batch(batch: int) -> int:
    rows = list(
        Post.objects.select_for_update(skip_locked=True)
        .filter(status=PStatus.SCHEDULED, scheduled_at__lte=Now())
        .order_by("scheduled_at")
        .values_list("pk", "workspace_id", "mode")[:batch]
    )
    if not rows:
        return 0
    ids = [pk for pk, _, _ in rows]
    now = timezone.now()
    Post.objects.filter(pk__in=ids, status=PStatus.SCHEDULED).update(
        status=PStatus.QUEUED, released_at=Now(), updated_at=now
    )
    pending = Delivery.objects.filter(post_id__in=ids, status=DStatus.PENDING)
    delivery_ids = list(pending.values_list("pk", flat=True))
    pending.update(next_attempt_at=Now(), dispatched_at=now, updated_at=now)
    for pk, workspace_id, mode in rows:
        event_emit("post.queued", workspace_id=workspace_id, mode=mode, subject=Post(pk=pk))
    deliveries_enqueue(delivery_ids)
    return len(ids)


def posts_fan_out_missed(*, batch: int = 200) -> int:
    """Redo the fan-out of queued posts that still have no deliveries
    DRAVO_REDISPATCH_SECONDS after their release (the message was lost, or the worker
    died before making them). Safe to repeat and to run beside a late fan-out: a
    delivery is made once per (post, account) and sent by whoever made it."""
    stale = timezone.now() - timedelta(seconds=settings.REDISPATCH_SECONDS)
    missed = list(
        Post.objects.filter(status=PStatus.QUEUED, released_at__lt=stale)
        .exclude(Exists(Delivery.objects.filter(post=OuterRef("pk"))))
        .values_list("pk", flat=True)[:batch]
    )
    for post_id in missed:
        post_fan_out(post_id=post_id)
    return len(missed)


@transaction.atomic
def deliveries_dispatch_due(*, batch: int = 1000) -> int:
    """Send a task for each due pending delivery that has no message in flight (never
    sent, or sent longer ago than DRAVO_REDISPATCH_SECONDS: a lost message costs a delay,
    never a delivery)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.REDISPATCH_SECONDS)
    ids = list(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(status=DStatus.PENDING, next_attempt_at__lte=Now())
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale))
        .values_list("pk", flat=True)[:batch]
    )
    Delivery.objects.filter(pk__in=ids).update(dispatched_at=now)
    deliveries_enqueue(ids)
    return len(ids)


def deliveries_recover_stuck(*, batch: int = 200) -> int:
    """Deliveries left `processing` past their lease (a worker died mid-call): the outcome
    is reconciled with the network where it lets us look the post up, else the delivery
    ends `failed` with `outcome_unknown`. Never a blind second publish."""
    now = timezone.now()
    stuck = list(
        Delivery.objects.select_related("post", "account").filter(status=DStatus.PROCESSING, lease_until__lt=now)[
            :batch
        ]
    )
    for delivery in stuck:
        # Take it over with a fresh lease, so that two sweeps never reconcile one row twice.
        if not Delivery.objects.filter(
            pk=delivery.pk, status=DStatus.PROCESSING, lease_until=delivery.lease_until
        ).update(lease_until=now + _lease()):
            continue
        _reconcile(delivery)
    return len(stuck)


def posts_settle_stale(*, batch: int = 200) -> int:
    """Posts still queued or processing although every delivery of theirs is final, for
    longer than DRAVO_REDISPATCH_SECONDS: the worker died between recording its delivery
    and deriving the post's status. Their status is derived now (and told). Safe to
    repeat; a post still in delivery is not touched."""
    stale = timezone.now() - timedelta(seconds=settings.REDISPATCH_SECONDS)
    unfinished = Delivery.objects.filter(post=OuterRef("pk")).exclude(status__in=Delivery.FINAL)
    rows = list(
        Post.objects.filter(status__in=(PStatus.QUEUED, PStatus.PROCESSING), updated_at__lt=stale)
        .filter(Exists(Delivery.objects.filter(post=OuterRef("pk"))))
        .exclude(Exists(unfinished))
        .values_list("pk", "workspace_id", "mode")[:batch]
    )
    for post_id, workspace_id, mode in rows:
        post_refresh_status(post_id=post_id, workspace_id=workspace_id, mode=mode)
    return len(rows)


def _reconcile(delivery: Delivery) -> None:
    if delivery.platform_post_id:
        _finish(delivery, "delivery.published", status=DStatus.PUBLISHED)
        return
    try:
        credentials = account_services.credentials_of(delivery.account)
        client = account_services.client_for(delivery.account, credentials)
        found = client.reconcile(_content(delivery), delivery.checkpoint or None) if credentials else None
    except Exception as exc:  # noqa: BLE001
        logger.warning("Reconciling delivery %s failed: %s", delivery.pk, exc)
        found = None
    if found is not None:
        _published(delivery, found)
    else:
        _failed(
            delivery,
            code="outcome_unknown",
            error="The worker stopped during the network call and the network cannot tell whether the post went "
            "out; not retried to avoid a duplicate. Check the account and retry the post if it is missing.",
        )


# The tasks of the delivery path. Their names stay `publishing.tasks.*` (the routes, the
# beat schedule and messages already queued use them); publishing.tasks re-exports them.


@shared_task(name="publishing.tasks.deliver_task", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_task(delivery_id: int) -> None:
    """One attempt at one delivery (the service owns retries via next_attempt_at)."""
    delivery_attempt(delivery_id=delivery_id)


@shared_task(name="publishing.tasks.post_fan_out_task", acks_late=True, ignore_result=True)
def post_fan_out_task(post_id: str) -> None:
    """Make a new post's deliveries and send them. A lost message costs a delay only: the
    dispatcher redoes the fan-out of a queued post that has no deliveries."""
    post_fan_out(post_id=post_id)


@shared_task(name="publishing.tasks.posts_fan_out_task", acks_late=True, ignore_result=True)
def posts_fan_out_task(post_ids: list[str]) -> None:
    """post_fan_out_task for several posts queued together (post_fan_out_soon). A post
    that fails is left to the dispatcher and the others still go."""
    for post_id in post_ids:
        try:
            post_fan_out(post_id=post_id)
        except Exception:
            logger.exception("fan-out of post %s failed; the dispatcher redoes it", post_id)


@shared_task(name="publishing.tasks.fan_out_task", acks_late=True, ignore_result=True)
def fan_out_task(delivery_ids: list[int]) -> None:
    """One deliver_task per delivery (sent by the worker, not by the API request). A lost
    fan-out costs a delay only: the dispatcher re-sends deliveries whose message is late."""
    for delivery_id in delivery_ids:
        deliver_task.delay(delivery_id)

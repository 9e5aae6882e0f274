"""Creating, canceling and retrying posts; their deliveries are written by
publishing.services.delivery."""

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import Workspace
from dravo.events import event_emit, event_transaction
from dravo.rows import row_insert
from publishing.errors import (
    PostNotCancelable,
    PostNotDeletable,
    PostNotDraft,
    PostNotEditable,
    PostNotRetryable,
    RevisionMismatch,
)
from publishing.models import Post, PostSeries
from publishing.services.autoschedule import auto_choose, auto_window
from publishing.services.delivery import (
    deliveries_cancel,
    deliveries_insert,
    deliveries_rearm,
    deliveries_retarget,
    post_fan_out_soon,
)
from publishing.services.queue import queue_claim, queue_free_slots, queue_release
from publishing.services.series import recurrence_check, recycle_create, recycle_problems, series_create
from publishing.services.validation import check_post

Status = Post.Status
MIN_SCHEDULE_AHEAD = timedelta(seconds=60)  # the earliest a post may be scheduled


def post_create(
    *,
    workspace: Workspace,
    mode: str,
    account_ids: list[str],
    text: str,
    media_urls: list[str] | None = None,
    platform_options: dict | None = None,
    scheduled_at: datetime | None = None,
    recurrence: dict | None = None,
    recycle: dict | None = None,
    queue: bool = False,
    auto_schedule: dict | None = None,
    known_accounts: dict | None = None,
) -> Post:
    """Validate and store a post (with `queue`, scheduled at its accounts' earliest free
    queue slot: see publishing.services.queue; with `recurrence`, a series: see publishing.services.series,
    and the post returned is its first occurrence; with `recycle`, the post and its repeats).
    A scheduled post gets its deliveries now and waits for the scheduler; a post for now is
    answered at once and, after commit, one message asks a worker to make its deliveries
    and send them (`post_fan_out`), so that the request writes one row instead of one per
    account. The post's `targets` keep what the fan-out needs, and the dispatcher redoes a
    fan-out whose message was lost.

    Raises ValidationError (400) naming every problem; nothing is stored then.
    """
    media_urls = media_urls or []
    if recurrence:
        recurrence_check(recurrence)  # a 400 before anything else is read
    check = partial(
        check_post,
        workspace=workspace,
        mode=mode,
        account_ids=account_ids,
        media_urls=media_urls,
        platform_options=platform_options or {},
        known_accounts=known_accounts,
    )
    checked, problems = check(text=text)
    if recycle and checked is not None:
        for attr, message in recycle_problems(recycle=recycle, providers=checked.providers).items():
            problems.add(attr, message, "repeated_text")
        for index, variation in enumerate(recycle.get("variations") or []):
            for attr, details in check(text=variation)[1].errors.items():
                if attr == "text" or attr.endswith(".text"):
                    for detail in details:
                        problems.add(f"recycle.variations.{index}", str(detail), detail.code)
    problems.raise_if_any()
    post = Post(workspace=workspace, mode=mode, text=text, media_urls=media_urls)
    if queue:
        return _create_queued(post, checked)
    if auto_schedule:
        return _create_auto_scheduled(post, checked, auto_schedule)
    _arm(post, checked, scheduled_at)
    if recycle:
        with transaction.atomic():
            post.save(force_insert=True)
            if scheduled_at:
                deliveries_insert(post=post, due=None)
            else:
                post_fan_out_soon(post.pk)
            recycle_create(post=post, recycle=recycle)
            _announce(post)
        return post
    if recurrence:
        with transaction.atomic():
            first = series_create(workspace=workspace, mode=mode, post=post, recurrence=recurrence)
            _announce(first)
            return first
    if scheduled_at:
        # One unit; in a caller's transaction (a job's chunk of posts) it joins it without a
        # savepoint of its own (two statements fewer per post): nothing here is caught.
        with transaction.atomic(savepoint=False):
            row_insert(post)
            deliveries_insert(post=post, due=None)
            _announce(post)
        return post
    # One row: atomic on its own, no transaction round trips unless its event is wanted.
    with event_transaction(workspace_id=workspace.pk, mode=mode):
        row_insert(post)
        # Once the row is stored the answer is 202 even if the broker is down; the
        # dispatcher then does the fan-out (posts_fan_out_missed), which costs a delay only.
        post_fan_out_soon(post.pk)
        _announce(post)
    return post


def _announce(post: Post) -> None:
    """Tell `post.scheduled` or `post.queued` for a post just stored or sent out (in its
    transaction)."""
    event_emit(f"post.{post.status}", workspace_id=post.workspace_id, mode=post.mode, subject=post)


def _create_queued(post: Post, checked) -> Post:
    """Store a checked post at its accounts' earliest free queue slot, with its deliveries."""
    free = queue_free_slots(account_ids=[account.pk for account in checked.accounts])  # a 400 before any write
    return _create_at_free_time(post, checked, free)


def _create_auto_scheduled(post: Post, checked, window: dict) -> Post:
    """Store a checked post at the best free hour of `window` for its accounts (see
    publishing.services.autoschedule), with its deliveries and the reason for its time."""
    hours = auto_window(start=window["from"], end=window["to"], time_zone=window["time_zone"])
    choice = auto_choose(accounts=checked.accounts, hours=hours, time_zone=window["time_zone"])
    return _create_at_free_time(post, checked, choice.candidates, reason=choice.reason)


def _create_at_free_time(post: Post, checked, free: list[datetime], *, reason=None) -> Post:
    """Store a checked post at the first time of `free` still free on all its accounts
    (a queue slot, or with `reason(at)` an auto-scheduled hour), with its deliveries."""
    account_ids = [account.pk for account in checked.accounts]
    _arm(post, checked, free[0])
    post.schedule_reason = reason(free[0]) if reason else ""
    with transaction.atomic():
        post.save(force_insert=True)
        at = queue_claim(post=post, account_ids=account_ids, free=free, auto=reason is not None)
        if at != post.scheduled_at:  # a post made at the same moment took the first
            post.scheduled_at, post.schedule_reason = at, reason(at) if reason else ""
            Post.objects.filter(pk=post.pk).update(scheduled_at=at, schedule_reason=post.schedule_reason)
        deliveries_insert(post=post, due=None)
        _announce(post)
    return post


def _arm(post: Post, checked, scheduled_at: datetime | None) -> None:
    """Set what a checked post carries to go out: its normalized options, networks and
    targets, and scheduled (for `scheduled_at`) or queued now. No writes."""
    post.platform_options = checked.options
    post.providers = checked.providers
    post.targets = [[account.pk, account.provider] for account in checked.accounts]
    post.scheduled_at = scheduled_at
    post.status = Status.SCHEDULED if scheduled_at else Status.QUEUED
    post.released_at = None if scheduled_at else timezone.now()


def post_create_draft(
    *,
    workspace: Workspace,
    mode: str,
    account_ids: list[str],
    text: str,
    media_urls: list[str] | None = None,
    platform_options: dict | None = None,
    scheduled_at: datetime | None = None,
) -> Post:
    """Store a draft: what was given, its types checked by the caller, nothing else (the
    accounts may be unknown yet, the options incomplete). It is checked in full when
    published (post_publish)."""
    return Post.objects.create(
        workspace=workspace,
        mode=mode,
        text=text,
        media_urls=media_urls or [],
        platform_options=platform_options or {},
        targets=[[account_id, ""] for account_id in account_ids],
        scheduled_at=scheduled_at,
        status=Status.DRAFT,
    )


def _check_revision(post: Post, revision: int | None) -> None:
    if revision is not None and revision != post.revision:
        raise RevisionMismatch(
            f"The post is at revision {post.revision}, not {revision}: read it again and redo the change."
        )


def _check_time(scheduled_at: datetime | None, attr: str = "scheduled_at") -> None:
    if scheduled_at is not None and scheduled_at < timezone.now() + MIN_SCHEDULE_AHEAD:
        raise ValidationError({attr: ["Must be at least 60 seconds in the future."]}, code="too_soon")


def post_publish(*, post: Post, scheduled_at: datetime | None = None, revision: int | None = None) -> Post:
    """Send a draft out: the full checks of a create on what it holds, then scheduled (at
    `scheduled_at`, else the draft's own time) or queued now, as post_create does. Raises
    PostNotDraft (409) for a post that is not a draft, RevisionMismatch (412) when
    `revision` is not its own, ValidationError (400) naming every problem."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.status != Status.DRAFT:
            raise PostNotDraft()
        _check_revision(locked, revision)
        when = scheduled_at or locked.scheduled_at
        _check_time(when)
        checked, problems = check_post(
            workspace=locked.workspace,
            mode=locked.mode,
            account_ids=locked.account_ids,
            text=locked.text,
            media_urls=locked.media_urls,
            platform_options=locked.platform_options,
        )
        if not locked.account_ids:
            problems.add("account_ids", "A post needs at least one account to publish.", "required")
        if not locked.text.strip():
            problems.add("text", "A post needs text to publish.", "blank")
        problems.raise_if_any()
        _arm(locked, checked, when)
        locked.revision += 1
        locked.save()
        if when:
            deliveries_insert(post=locked, due=None)
        else:
            post_fan_out_soon(locked.pk)
        _announce(locked)
    return locked


EDITABLE = ("text", "media_urls", "platform_options", "account_ids", "scheduled_at")


def post_edit(*, post: Post, changes: dict, revision: int | None = None) -> Post:
    """Change a draft or a scheduled post (`changes`: any of EDITABLE). A scheduled post
    is checked in full, as a create, and its deliveries follow its accounts; a draft only
    by type. The post's row is locked for the change, so an edit racing the scheduler's
    release has one winner: the release skips a locked post, and an edit that finds the
    post released is a PostNotEditable (409). RevisionMismatch (412) when `revision` is
    not the post's; the revision grows by one with each change."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.status not in (Status.DRAFT, Status.SCHEDULED):
            raise PostNotEditable()
        _check_revision(locked, revision)
        for name in ("text", "media_urls", "platform_options"):
            if name in changes:
                setattr(locked, name, changes[name])
        account_ids = changes.get("account_ids", locked.account_ids)
        when = changes.get("scheduled_at", locked.scheduled_at)
        if locked.status == Status.DRAFT:
            locked.targets = [[account_id, ""] for account_id in account_ids]
            locked.scheduled_at = when
        else:
            if when is None:
                raise ValidationError(
                    {"scheduled_at": ["A scheduled post keeps a time: give another, or cancel it."]}, code="null"
                )
            if "scheduled_at" in changes:
                _check_time(when)
            checked, problems = check_post(
                workspace=locked.workspace,
                mode=locked.mode,
                account_ids=account_ids,
                text=locked.text,
                media_urls=locked.media_urls,
                platform_options=locked.platform_options,
            )
            if not locked.text.strip():
                problems.add("text", "A scheduled post needs text.", "blank")
            problems.raise_if_any()
            _arm(locked, checked, when)
            deliveries_retarget(post=locked)  # none was sent: it is not released
            if "scheduled_at" in changes or "account_ids" in changes:
                queue_release(post_id=locked.pk)  # placed by hand now: out of the queue
        locked.revision = F("revision") + 1
        locked.save()
    locked.refresh_from_db()
    return locked


def post_delete(*, post: Post) -> None:
    """Delete a draft or a canceled post (its canceled deliveries with it); PostNotDeletable
    (409) for any other. Conditional on the status, so it cannot delete a post a moment
    after it was published."""
    deleted, _ = Post.objects.filter(pk=post.pk, status__in=(Status.DRAFT, Status.CANCELED)).delete()
    if not deleted:
        raise PostNotDeletable()


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
            queue_release(post_id=post.pk)
            event_emit("post.canceled", workspace_id=post.workspace_id, mode=post.mode, subject=post)
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
    event_emit("post.queued", workspace_id=post.workspace_id, mode=post.mode, subject=post)
    post.refresh_from_db()
    return post


def post_cancel_series(*, post: Post) -> Post:
    """Cancel a recurring post's series from this occurrence on: this one and every later
    occurrence not released yet are canceled, and no more are made. The occurrences
    already released are left as they are. Raises PostNotCancelable when this one is not
    scheduled (a series is canceled from an occurrence still to come)."""
    if post.series_id is None:
        return post_cancel(post=post)
    with transaction.atomic():
        PostSeries.objects.filter(pk=post.series_id).update(finished=True)
        later = Post.objects.filter(
            series_id=post.series_id, status=Status.SCHEDULED, occurrence_at__gt=post.occurrence_at
        ).exclude(pk=post.pk)
        canceled = post_cancel(post=post)
        for occurrence in later:
            post_cancel(post=occurrence)
    return canceled


def post_edit_series(*, post: Post, changes: dict, revision: int | None = None) -> Post:
    """Change a recurring post's series from this occurrence on: this occurrence (with the
    checks of post_edit, and `revision`), every later one not released yet, and the
    content of those not made yet. The time comes from the rule, so `scheduled_at` cannot
    be changed this way."""
    if "scheduled_at" in changes:
        raise ValidationError({"scheduled_at": ["A series' times come from its rule; edit one occurrence instead."]})
    with transaction.atomic():
        edited = post_edit(post=post, changes=changes, revision=revision)
        if edited.series_id is None:
            return edited
        later = Post.objects.filter(
            series_id=edited.series_id, status=Status.SCHEDULED, occurrence_at__gt=edited.occurrence_at
        )
        for occurrence in later:
            post_edit(post=occurrence, changes=changes)
        PostSeries.objects.filter(pk=edited.series_id).update(
            text=edited.text,
            media_urls=edited.media_urls,
            platform_options=edited.platform_options,
            providers=edited.providers,
            targets=edited.targets,
        )
    return edited

"""Dashboard pages of the publishing app: home, compose, posts history, calendar. They call
the same services and selectors as /v1/posts; templates only format."""

import calendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError

from accounts import selectors as account_selectors
from accounts.services import destinations as destination_services
from accounts.views import dashboard_view
from dravo.errors import DomainError, error_text
from dravo.pagination import decode_cursor, keyset_page
from publishing import selectors, services
from publishing.api.media_serializers import MediaSerializer
from publishing.api.serializers import PostCreateSerializer, PostDraftSerializer, PostEditSerializer
from publishing.errors import PostNotEditable, RevisionMismatch
from publishing.forms import (
    TEXT_LIMITS,
    ComposeForm,
    PostFilterForm,
    options_kept,
    post_changes,
    post_form_data,
    same_minute,
)
from publishing.models import Post, PostSeries
from publishing.previews import preview_cards
from publishing.recurrence import RecurrenceError
from publishing.repeat import Preview, recurrence_preview, repeat_rule
from publishing.services import media as media_services

PAGE_SIZE = 20


def _post_or_404(request, post_id: str) -> Post:
    post = selectors.post_get(workspace=request.workspace, mode=request.mode, post_id=post_id)
    if post is None:
        raise Http404("No post with this id.")
    return post


@dashboard_view
def home(request):
    posts = selectors.post_list(workspace=request.workspace, mode=request.mode)
    context = {
        **account_selectors.social_account_counts(workspace=request.workspace, mode=request.mode),
        **selectors.post_counts(workspace=request.workspace, mode=request.mode),
        "recent_posts": posts.prefetch_related("deliveries__account").order_by("-created_at", "-pk")[:5],
    }
    return render(request, "dashboard/home.html", context)


# --- compose ---------------------------------------------------------------------------------
def _usable_accounts(request):
    accounts = account_selectors.social_account_list(workspace=request.workspace, mode=request.mode)
    return [a for a in accounts.order_by("provider", "handle") if a.is_usable]


def _create_post(request, form: ComposeForm, *, draft: bool = False) -> Post | None:
    """Validate as POST /v1/posts does (with `draft`, as a draft) and call the same service;
    errors go on the form."""
    params = (PostDraftSerializer if draft else PostCreateSerializer)(data=form.payload())
    if form.has_errors:
        return None
    if not params.is_valid():
        form.add_api_errors(params.errors)
        return None
    data = {k: v for k, v in params.validated_data.items() if k != "draft"}
    if draft:
        data.pop("recurrence", None)
        data.pop("recycle", None)
        data.pop("queue", None)
    try:
        create = services.post_create_draft if draft else services.post_create
        return create(workspace=request.workspace, mode=request.mode, **data)
    except ValidationError as exc:
        form.add_api_errors(exc.detail)
        return None


@dashboard_view
def compose(request):
    accounts = _usable_accounts(request)
    form = ComposeForm(
        accounts=accounts,
        data=request.POST if request.method == "POST" else None,
        destinations=destination_services.destinations_for_accounts(accounts=accounts),
    )
    if request.method == "POST":
        post = _create_post(request, form, draft="save_draft" in request.POST)
        if post is not None:
            if post.status == Post.Status.DRAFT:
                messages.success(request, "Draft saved. Publish it from here when it is ready.")
            elif post.status == Post.Status.SCHEDULED:
                when = timezone.localtime(post.scheduled_at).strftime("%a %d %b %Y, %H:%M")
                messages.success(request, f"Scheduled for {when} ({request.tz.key}).")
            else:
                messages.success(request, "Publishing now. Results appear below as each network answers.")
            return redirect("post-detail", post_id=post.id)
    context = {"form": form, "accounts": accounts, "limits": TEXT_LIMITS}
    return render(request, "dashboard/compose.html", context, status=400 if form.has_errors else 200)


# --- posts -----------------------------------------------------------------------------------
@dashboard_view
def posts_page(request):
    filters = PostFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.post_list(
        workspace=request.workspace,
        mode=request.mode,
        status=chosen.get("status") or None,
        provider=chosen.get("provider") or None,
        q=chosen.get("q") or None,
    ).prefetch_related("deliveries__account")
    cursor = request.GET.get("cursor") or None
    try:
        if cursor:
            decode_cursor(cursor)
    except ValueError:
        cursor = None
    page = keyset_page(qs, limit=PAGE_SIZE, cursor=cursor)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {"filters": filters, "page": page, "query": query.urlencode(), "cursor": cursor}
    return render(request, "dashboard/posts.html", context)


@dashboard_view
def post_detail(request, post_id: str):
    return render(request, "dashboard/post_detail.html", {"post": _post_or_404(request, post_id)})


def _after_action(request, post_id: str):
    """htmx swaps the post's card in place; without JavaScript, back to where we were."""
    if request.headers.get("HX-Request"):
        post = _post_or_404(request, post_id)
        return render(request, "dashboard/_post.html", {"post": post, "swap": True})
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "posts")


def _post_action(request, post_id: str, service, done: str):
    """Run one post service from a dashboard button; its refusal (409) becomes a message."""
    try:
        service(post=_post_or_404(request, post_id))
    except (APIException, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return _after_action(request, post_id)


@require_POST
@dashboard_view
def post_cancel(request, post_id: str):
    return _post_action(request, post_id, services.post_cancel, f"Canceled post {post_id}.")


@require_POST
@dashboard_view
def post_retry(request, post_id: str):
    return _post_action(request, post_id, services.post_retry, f"Retrying the failed deliveries of {post_id}.")


@require_POST
@dashboard_view
def post_publish(request, post_id: str):
    """Publish a draft now (its own time, if it has one): the checks of a create; a
    refusal becomes a message naming each problem."""
    return _post_action(request, post_id, services.post_publish, f"Publishing draft {post_id}.")


@require_POST
@dashboard_view
def post_delete(request, post_id: str):
    try:
        services.post_delete(post=_post_or_404(request, post_id))
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("post-detail", post_id=post_id)
    messages.success(request, f"Deleted post {post_id}.")
    return redirect("posts")


# --- calendar --------------------------------------------------------------------------------
def _calendar_range(view: str, anchor: date) -> tuple[date, date, date, date]:
    """(first day shown, last day shown, previous anchor, next anchor), weeks from Monday."""
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6), anchor - timedelta(days=7), anchor + timedelta(days=7)
    first = anchor.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    previous = (first - timedelta(days=1)).replace(day=1)
    return (
        first - timedelta(days=first.weekday()),
        last + timedelta(days=6 - last.weekday()),
        previous,
        last + timedelta(days=1),
    )


def _anchor(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@dashboard_view
def calendar_page(request):
    view = "week" if request.GET.get("view") == "week" else "month"
    anchor = _anchor(request.GET.get("date"))
    first, last, previous, following = _calendar_range(view, anchor)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    posts = selectors.post_calendar(workspace=request.workspace, mode=request.mode, start=start, end=end)
    by_day: dict[date, list[Post]] = {}
    for post in sorted(posts, key=lambda p: p.scheduled_at or p.created_at):
        by_day.setdefault(timezone.localtime(post.scheduled_at or post.created_at).date(), []).append(post)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    context = {
        "view": view,
        "anchor": anchor,
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
        "cells": [
            {"day": d, "posts": by_day.get(d, []), "other": view == "month" and d.month != anchor.month} for d in days
        ],
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }
    return render(request, "dashboard/calendar.html", context)


# --- media upload (the compose page's progress bar posts here) --------------------------------
@require_POST
@dashboard_view
def compose_media(request):
    """Session-authenticated twin of POST /v1/media (multipart `file`) for the compose page:
    the same services, and the same answer."""
    try:
        media_services.media_check_upload_length(content_length=request.META.get("CONTENT_LENGTH"))
        status, body, _ = media_services.media_create(
            workspace=request.workspace,
            mode=request.mode,
            file=request.FILES.get("file"),
            render=lambda media: MediaSerializer(media).data,
        )
    except (APIException, DomainError) as exc:
        return JsonResponse({"detail": error_text(exc)}, status=exc.status_code)
    return JsonResponse(body, status=status)


# --- editing a draft or a scheduled post -----------------------------------------------------
EDITABLE_STATUSES = (Post.Status.DRAFT, Post.Status.SCHEDULED)


def _edit_form(request, post: Post, data=None) -> ComposeForm:
    """The compose form for `post`: its accounts (still usable, or already chosen), and
    `data` (a POST) or, without it, what the post holds."""
    accounts = account_selectors.social_account_list(workspace=request.workspace, mode=request.mode)
    accounts = [a for a in accounts.order_by("provider", "handle") if a.is_usable or a.id in post.account_ids]
    destinations = destination_services.destinations_for_accounts(accounts=accounts)
    if data is None:
        empty = ComposeForm(accounts=accounts, destinations=destinations)
        data = post_form_data(post=post, form=empty, tz=request.tz)
    return ComposeForm(accounts=accounts, data=data, destinations=destinations)


def _save_edit(form: ComposeForm, post: Post) -> Post | None:
    """Check the form as PATCH /v1/posts/{id} does and call the same service with the
    revision the form was rendered with; errors go on the form (RevisionMismatch and
    PostNotEditable are left to the caller)."""
    payload = form.payload()
    payload["platform_options"] = options_kept(post=post, form=form, options=payload["platform_options"])
    kept_time = same_minute(payload.get("scheduled_at"), post.scheduled_at)
    if kept_time:  # shown back unchanged: not checked again (a draft's time may have passed)
        payload.pop("scheduled_at")
    params = PostEditSerializer(data=payload)
    if form.has_errors:
        return None
    if not params.is_valid():
        form.add_api_errors(params.errors)
        return None
    changes = post_changes(post=post, validated=params.validated_data)
    if kept_time:
        changes.pop("scheduled_at", None)
    if not changes:
        return post
    following = form.scope == "following" and post.series_id is not None
    if following:
        changes.pop("scheduled_at", None)
    edit = services.post_edit_series if following else services.post_edit
    try:
        return edit(post=post, changes=changes, revision=form.revision)
    except ValidationError as exc:
        form.add_api_errors(exc.detail)
        return None


@dashboard_view
def post_edit(request, post_id: str):
    """Edit a draft or a scheduled post with the compose form; a post already queued or
    sent goes back to its page with the reason, a concurrent change is shown as one."""
    post = _post_or_404(request, post_id)
    if post.status not in EDITABLE_STATUSES:
        why = f"This post is {post.get_status_display().lower()} and can no longer be edited"
        messages.error(request, f"{why}: only drafts and scheduled posts can.")
        return redirect("post-detail", post_id=post.id)
    form = _edit_form(request, post, request.POST if request.method == "POST" else None)
    context = {"form": form, "accounts": form.accounts, "limits": TEXT_LIMITS, "editing": post}
    if post.series_id:
        context["series_preview"] = _series_preview(post.series)
    if request.method == "POST":
        try:
            saved = _save_edit(form, post)
        except RevisionMismatch:
            post.refresh_from_db()
            return render(request, "dashboard/post_edit.html", {**context, "conflict": post.revision}, status=412)
        except PostNotEditable as exc:
            messages.error(request, error_text(exc))
            return redirect("post-detail", post_id=post.id)
        if saved is not None:
            done = "Nothing changed." if saved.revision == post.revision else f"Saved: revision {saved.revision}."
            messages.success(request, done)
            return redirect("post-detail", post_id=post.id)
    return render(request, "dashboard/post_edit.html", context, status=400 if form.has_errors else 200)


# --- the Repeat fieldset's preview -----------------------------------------------------------
def _wall(value) -> str:
    """A series' stored wall time (its numbers marked UTC) as the form types it."""
    return value.replace(tzinfo=None).isoformat(timespec="minutes") if value else ""


def _series_preview(series: PostSeries) -> Preview | None:
    """The next occurrences of a stored series, as the Repeat preview shows them."""
    try:
        return recurrence_preview(
            rule=series.rule,
            time_zone=series.time_zone,
            start=_wall(series.start),
            count=str(series.count or ""),
            until=_wall(series.until),
        )
    except RecurrenceError:
        return None  # finished: no occurrence ahead


@dashboard_view
def compose_recurrence_preview(request):
    """GET: an HTML fragment listing the next occurrences, in the person's time zone, of
    `rule` (or the Repeat presets `repeat`, `repeat_days`) from `start` (or the form's
    `scheduled_local`) in `time_zone`, bounded by `count` or `until`. Input that cannot
    be used gives the reason in the fragment (a 200, so htmx shows it)."""
    params = request.GET
    frequency = params.get("repeat", "custom" if params.get("rule") else "")
    if not frequency:
        return render(request, "dashboard/_recurrence_preview.html", {"preview": None})
    until_chosen = params.get("repeat_end", "until" if params.get("until") else "count") == "until"
    try:
        preview = recurrence_preview(
            rule=repeat_rule(frequency=frequency, days=params.getlist("repeat_days"), custom=params.get("rule", "")),
            time_zone=params.get("time_zone") or request.tz.key,
            start=params.get("start") or params.get("scheduled_local", ""),
            count="" if until_chosen else params.get("count", ""),
            until=params.get("until", "") if until_chosen else "",
        )
    except RecurrenceError as exc:
        context = {"error": str(exc), "error_field": exc.field}
        return render(request, "dashboard/_recurrence_preview.html", context)
    return render(request, "dashboard/_recurrence_preview.html", {"preview": preview})


# --- per-network preview cards ---------------------------------------------------------------
@require_POST
@dashboard_view
def compose_preview(request):
    """POST (the compose or edit form's fields): an HTML fragment with one preview card
    per network of the selected accounts, as that network shows the post."""
    chosen = set(request.POST.getlist("account_ids"))
    accounts = account_selectors.social_account_list(workspace=request.workspace, mode=request.mode)
    selected = [a for a in accounts.order_by("provider", "handle") if a.id in chosen]
    cards = preview_cards(
        accounts=selected,
        text=request.POST.get("text", ""),
        overrides={a.provider: request.POST.get(f"opt.{a.provider}.text", "") for a in selected},
        media_urls=[line.strip() for line in request.POST.get("media_urls", "").splitlines() if line.strip()],
    )
    return render(request, "dashboard/_preview_cards.html", {"cards": cards})

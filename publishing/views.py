"""Dashboard pages of the publishing app: home, compose, posts history, calendar. They call
the same services and selectors as /v1/posts; templates only format."""

from datetime import UTC, date

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError

from accounts import selectors as account_selectors
from accounts.services import destinations as destination_services
from accounts.views import dashboard_view
from dravo.errors import DomainError, error_body, error_items, error_text
from dravo.pagination import decode_cursor, keyset_page
from publishing import calendar_grid, display, selectors, services
from publishing.api.creation import NOT_FOR_DRAFTS
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
    skipped = NOT_FOR_DRAFTS if draft else ("draft",)
    data = {k: v for k, v in params.validated_data.items() if k not in skipped}
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
    found = selectors.posts_with_accounts(workspace=request.workspace, mode=request.mode, post_ids=[post_id])
    post = found[0] if found else _post_or_404(request, post_id)  # a legacy job id: the plain read
    return render(request, "dashboard/post_detail.html", _post_page_context(post=post))


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
def _anchor(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@dashboard_view
def calendar_page(request):
    """Month (a cell per day), week or day (a time grid: a row per hour, a column per day),
    in the browser's time zone. Scheduled posts can be moved: dragged to another hour cell
    (calendar.js) or with their Move form, both posting to post_reschedule."""
    view = request.GET.get("view") if request.GET.get("view") in calendar_grid.VIEWS else "month"
    anchor = _anchor(request.GET.get("date"))
    span = calendar_grid.view_span(view, anchor)
    tz = timezone.get_current_timezone()
    start, end = calendar_grid.day_bounds(span, tz)
    posts = list(selectors.post_calendar(workspace=request.workspace, mode=request.mode, start=start, end=end))
    drafted = calendar_grid.drafts_accounts(posts)
    networks = {}
    if drafted:
        accounts = account_selectors.social_account_list(workspace=request.workspace, mode=request.mode)
        networks = dict(accounts.filter(pk__in=drafted).values_list("pk", "provider"))
    placed = calendar_grid.entries(posts, tz, networks)
    context = {
        "view": view,
        "anchor": anchor,
        "span": span,
        "days": span.days,
        "previous": span.previous,
        "following": span.following,
        "today": timezone.localdate(),
        "weekdays": calendar_grid.WEEKDAYS,
    }
    if view == "month":
        context["cells"] = calendar_grid.month_cells(span, anchor, placed)
    else:
        context["rows"] = calendar_grid.hour_rows(span, placed, tz, timezone.now())
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


# --- calendar: moving a post ------------------------------------------------------------------
def _calendar_wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _calendar_problem(exc: Exception) -> dict:
    """The API's error body (drf-standardized-errors' shape) for a refusal."""
    if isinstance(exc, ValidationError):
        items = error_items(exc.detail)
        return {
            "type": "validation_error",
            "errors": [{"code": code, "detail": detail, "attr": attr or None} for attr, detail, code in items],
        }
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else code
    return error_body(type_="client_error", code=code, detail=error_text(exc))


def _reschedule_time(request) -> str:
    """`scheduled_at` as sent: ISO 8601 with an offset (a drag), or a local date-time
    without one (the Move form's datetime-local), which is a wall time of the page's zone."""
    value = request.POST.get("scheduled_at", "").strip()
    if not value:
        raise ValidationError({"scheduled_at": ["Pick a date and time."]}, code="required")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is not None:
        return value  # the serializer names what is wrong, or takes it as it is
    tz = timezone.get_current_timezone()
    local = parsed.replace(tzinfo=tz)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != parsed:
        raise ValidationError(
            {"scheduled_at": [f"{parsed:%H:%M} does not exist on {parsed:%d %b %Y} in {tz.key}: the clocks skip it."]},
            code="invalid",
        )
    return local.isoformat()


def _reschedule_revision(request) -> int | None:
    value = request.POST.get("revision", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({"revision": ["Must be the post's revision, a number."]}, code="invalid")
    return int(value)


@require_POST
@dashboard_view
def post_reschedule(request, post_id: str):
    """Move a post to another time (`scheduled_at`), from the calendar: what PATCH
    /v1/posts/{id} does with {"scheduled_at": …} (the same checks, the same service, with
    `revision` as its If-Match), so a time in the past, a post already queued, a stale page
    or a network's rule is refused alike. Answers JSON to a script (Accept:
    application/json: the moved post, or the API's error body with its status), else
    redirects back to `next` with a message."""
    wants_json = _calendar_wants_json(request)
    post = selectors.post_get(workspace=request.workspace, mode=request.mode, post_id=post_id)
    if post is None:
        if wants_json:
            body = error_body(type_="client_error", code="not_found", detail="No post with this id.")
            return JsonResponse(body, status=404)
        raise Http404("No post with this id.")
    before, before_revision = post.scheduled_at, post.revision
    try:
        params = PostEditSerializer(data={"scheduled_at": _reschedule_time(request)}, partial=True)
        params.is_valid(raise_exception=True)
        changes = {k: v for k, v in params.validated_data.items() if k != "series"}
        moved = services.post_edit(post=post, changes=changes, revision=_reschedule_revision(request))
    except (APIException, DomainError) as exc:
        if wants_json:
            return JsonResponse(_calendar_problem(exc), status=exc.status_code)
        messages.error(request, f"Post {post_id} was not moved: {error_text(exc)}")
        return _calendar_back(request, post_id)
    local = timezone.localtime(moved.scheduled_at)
    label = f"{local:%a} {local.day} {local:%b %Y, %H:%M}"
    if not wants_json:
        messages.success(request, f"Moved post {post_id} to {label} ({request.tz.key}).")
        return _calendar_back(request, post_id)
    return JsonResponse(
        {
            "id": moved.id,
            "status": moved.status,
            "scheduled_at": moved.scheduled_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "revision": moved.revision,
            "local": {
                "date": local.date().isoformat(),
                "hour": local.hour,
                "time": local.strftime("%H:%M"),
                "input": local.strftime("%Y-%m-%dT%H:%M"),
                "label": label,
                "time_zone": request.tz.key,
            },
            "previous": {
                "scheduled_at": before.astimezone(UTC).isoformat().replace("+00:00", "Z") if before else None,
                "revision": before_revision,
            },
        }
    )


def _calendar_back(request, post_id: str):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("post-detail", post_id=post_id)


# --- live pages (a settling post's card or page asks whether it changed) -----------------------
def _post_page_context(*, post: Post) -> dict:
    """What a post's page shows besides the post: its accounts by name, its options as
    labelled rows and its media as thumbnails (publishing.display)."""
    accounts = selectors.post_named_accounts(post=post)
    return {
        "post": post,
        "post_accounts": display.post_accounts(post=post, accounts=accounts),
        "option_groups": display.option_groups(post=post, accounts=accounts),
        "media": display.media_items(urls=post.media_urls or []),
    }


def _live_fragment(request, *, post: Post, view: str, back: str) -> str:
    """One changed post, swapped out of band by its id: its card, or its page's live part."""
    context = {"post": post, "oob": True, "next_path": back}
    if view == "detail":
        context.update(_post_page_context(post=post), base_template="dashboard/_post_fragment.html")
        return render_to_string("dashboard/post_detail.html", context, request)
    return render_to_string("dashboard/_post.html", context, request)


@dashboard_view
def posts_live(request):
    """GET /posts/live?ids=<post id>:<token>,…&view=card|detail, polled by each settling
    post's card or page: 204 when no asked post changed, else each changed post's fragment
    (polling again only while that post still settles), swapped out of band by its id."""
    asked = display.parse_live_query(value=request.GET.get("ids", ""))
    view = "detail" if request.GET.get("view") == "detail" else "card"
    posts = selectors.posts_with_accounts(workspace=request.workspace, mode=request.mode, post_ids=list(asked))
    changed = [p for p in posts if asked[p.pk] != display.post_live_token(post=p)]
    if not changed:
        return HttpResponse(status=204)
    back = display.safe_back_path(url=request.headers.get("HX-Current-URL", ""))
    return HttpResponse("".join(_live_fragment(request, post=post, view=view, back=back) for post in changed))


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

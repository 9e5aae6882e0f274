"""Dashboard pages of the calendar: the month, week and day views, and moving a post by
dragging its card (or with its Move form). They call the same services as /v1/posts."""

from datetime import UTC, date

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError

from accounts import selectors as account_selectors
from accounts.views import dashboard_view
from dravo.errors import DomainError, error_body, error_items, error_text
from publishing import calendar_grid, selectors, services
from publishing.api.serializers import PostEditSerializer


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

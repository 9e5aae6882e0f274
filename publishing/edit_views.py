"""Dashboard pages of editing: a draft's or a scheduled post's edit page, the Repeat
fieldset's preview of the next occurrences and the per-network preview cards. They call
the same services as PATCH /v1/posts/{id}."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from accounts import selectors as account_selectors
from accounts.services import destinations as destination_services
from accounts.views import dashboard_view
from dravo.errors import error_text
from publishing import services
from publishing.api.serializers import PostEditSerializer
from publishing.errors import PostNotEditable, RevisionMismatch
from publishing.forms import (
    TEXT_LIMITS,
    ComposeForm,
    options_kept,
    post_changes,
    post_form_data,
    same_minute,
)
from publishing.models import Post, PostSeries
from publishing.previews import preview_cards
from publishing.recurrence import RecurrenceError
from publishing.repeat import Preview, recurrence_preview, repeat_rule
from publishing.views import post_or_404

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
    post = post_or_404(request, post_id)
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

"""Dashboard pages of the publishing app: home, compose, the posts history, a post's page
and its live updates (the calendar and editing have modules of their own). They call the
same services and selectors as /v1/posts; templates only format."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, ValidationError

from accounts import selectors as account_selectors
from accounts.services import destinations as destination_services
from accounts.views import dashboard_view
from dravo.errors import DomainError, error_text
from dravo.pagination import decode_cursor, keyset_page
from publishing import display, selectors, services
from publishing.api.creation import NOT_FOR_DRAFTS
from publishing.api.media_serializers import MediaSerializer
from publishing.api.serializers import PostCreateSerializer, PostDraftSerializer
from publishing.forms import (
    TEXT_LIMITS,
    ComposeForm,
    PostFilterForm,
)
from publishing.models import Post
from publishing.services import media as media_services

PAGE_SIZE = 20


def post_or_404(request, post_id: str) -> Post:
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
    post = found[0] if found else post_or_404(request, post_id)  # a legacy job id: the plain read
    return render(request, "dashboard/post_detail.html", _post_page_context(post=post))


def _after_action(request, post_id: str):
    """htmx swaps the post's card in place; without JavaScript, back to where we were."""
    if request.headers.get("HX-Request"):
        post = post_or_404(request, post_id)
        return render(request, "dashboard/_post.html", {"post": post, "swap": True})
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "posts")


def _post_action(request, post_id: str, service, done: str):
    """Run one post service from a dashboard button; its refusal (409) becomes a message."""
    try:
        service(post=post_or_404(request, post_id))
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
        services.post_delete(post=post_or_404(request, post_id))
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("post-detail", post_id=post_id)
    messages.success(request, f"Deleted post {post_id}.")
    return redirect("posts")


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

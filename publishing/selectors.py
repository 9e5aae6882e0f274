"""Reads of posts; each takes the workspace (and mode) first."""

from django.db import connection
from django.db.models import BooleanField, Prefetch, Q
from django.db.models.expressions import RawSQL

from accounts.models import Workspace
from publishing.models import Delivery, Post

# The history's `total` counts at most this many posts (null beyond): a count reads every
# matching row, and a workspace with a million posts would pay that on every page.
HISTORY_COUNT_LIMIT = 1000
RESULT_FIELDS = (
    "post",
    "account",
    "provider",
    "status",
    "attempts",
    "next_attempt_at",
    "error",
    "error_code",
    "warnings",
    "platform_post_id",
    "platform_post_url",
    "published_at",
)


def _with_results(qs, lean: bool = False):
    deliveries = Delivery.objects.order_by("pk")
    if lean:  # what a list shows of each result: fewer columns to fetch and decode per row
        deliveries = deliveries.only(*RESULT_FIELDS)
    return qs.prefetch_related(Prefetch("deliveries", queryset=deliveries))


def post_list(
    *, workspace: Workspace, mode: str, status: str | None = None, provider: str | None = None, q: str | None = None
):
    """The history, newest first once paged: every filter is a condition on the post row, so
    a page walks the (workspace, mode, created_at, id) index and stops after `limit` rows."""
    qs = Post.objects.filter(workspace=workspace, mode=mode)
    if status:
        qs = qs.filter(status=status)
    if provider:
        qs = _targets_provider(qs, provider)
    if q:
        qs = _search(qs, q)
    return _with_results(qs, lean=True)


def _targets_provider(qs, provider: str):
    """Posts that target `provider` (its `providers`, written at create: found before the fan-out)."""
    if connection.vendor == "postgresql":
        return qs.filter(providers__contains=[provider])
    # SQLite has no JSON containment; a network name is a plain token, so its quoted form is exact.
    return qs.filter(providers__icontains=f'"{provider}"')


def _search(qs, q: str):
    if connection.vendor == "postgresql":
        # Matches the GIN index on to_tsvector('simple', text) (migration 0002).
        match = RawSQL(
            "to_tsvector('simple', publishing_post.text) @@ websearch_to_tsquery('simple', %s)",
            [q],
            output_field=BooleanField(),
        )
        return qs.alias(fts=match).filter(fts=True)
    return qs.filter(text__icontains=q)


def post_get(*, workspace: Workspace, mode: str, post_id: str) -> Post | None:
    """A post by its id (`post_…`) or legacy job id (`job_…`, same suffix)."""
    if post_id.startswith("job_"):
        post_id = "post_" + post_id[4:]
    return _with_results(Post.objects.filter(workspace=workspace, mode=mode, pk=post_id)).first()


def post_counts(*, workspace: Workspace, mode: str) -> dict[str, int]:
    """What the dashboard's home counts: scheduled posts and posts that need a look."""
    posts = Post.objects.filter(workspace=workspace, mode=mode)
    return {
        "scheduled_count": posts.filter(status=Post.Status.SCHEDULED).count(),
        "failed_count": posts.filter(status__in=[Post.Status.FAILED, Post.Status.PARTIAL]).count(),
    }


def post_calendar(*, workspace: Workspace, mode: str, start, end):
    """Posts scheduled in [start, end), or created then when they were not scheduled."""
    in_range = Q(scheduled_at__gte=start, scheduled_at__lt=end) | Q(
        scheduled_at__isnull=True, created_at__gte=start, created_at__lt=end
    )
    return post_list(workspace=workspace, mode=mode).filter(in_range)

"""Reads of posts; each takes the workspace (and mode) first."""

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL

from accounts.models import Workspace
from publishing.models import Delivery, Post


def _with_results(qs):
    return qs.prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("pk")))


def post_list(
    *, workspace: Workspace, mode: str, status: str | None = None, provider: str | None = None, q: str | None = None
):
    qs = Post.objects.filter(workspace=workspace, mode=mode)
    if status:
        qs = qs.filter(status=status)
    if provider:
        qs = qs.filter(Exists(Delivery.objects.filter(post=OuterRef("pk"), provider=provider)))
    if q:
        qs = _search(qs, q)
    return _with_results(qs)


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

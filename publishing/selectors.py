"""Reads of posts; each takes the workspace (and mode) first."""

from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL

from accounts.models import SocialAccount, Workspace
from publishing.models import Delivery, Job, Post

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
    *,
    workspace: Workspace,
    mode: str,
    status: str | None = None,
    provider: str | None = None,
    account_id: str | None = None,
    q: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
):
    """The workspace's posts in `mode`, with their results. `provider` and `account_id`
    match what the post targets (its `providers` and `targets`, set at create), so a post
    is found before its fan-out has made its deliveries; `created_from`/`created_to` are
    inclusive bounds on `created_at`. Every filter is a condition on the
    post row, so a page walks the (workspace, mode, created_at, id) index and stops after
    `limit` rows.

    The posts come ordered as the history pages them (newest first), so the capped `total`
    (the first HISTORY_COUNT_LIMIT + 1 rows, counted in this order) walks the same index as
    the page and stops there too; unordered, the planner may read the whole table for it
    (a status and a network together: a sequential scan). With `q` they come unordered: the
    text index finds the matches at once, whereas walking the page's index would parse the
    text of every post passed over."""
    qs = Post.objects.filter(workspace=workspace, mode=mode)
    if status:
        qs = qs.filter(status=status)
    if provider:
        qs = qs.filter(_targets_network(provider))
    if account_id:
        # Posts from before `targets` existed name their accounts only in their deliveries.
        qs = qs.filter(
            _targets_account(account_id) | Exists(Delivery.objects.filter(post=OuterRef("pk"), account_id=account_id))
        )
    if created_from:
        qs = qs.filter(created_at__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__lte=created_to)
    if q:
        qs = _search(qs, q).order_by()
    else:
        qs = qs.order_by("-created_at", "-pk")
    return _with_results(qs, lean=True)


def _targets_network(provider: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(providers__contains=[provider])  # jsonb @>
    return Q(_json_has(f"EXISTS (SELECT 1 FROM json_each({_POST}.providers) WHERE json_each.value = %s)", provider))


def _targets_account(account_id: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(targets__contains=[[account_id]])  # some [account id, network] pair starts with it
    sql = f"EXISTS (SELECT 1 FROM json_each({_POST}.targets) WHERE json_extract(json_each.value, '$[0]') = %s)"
    return Q(_json_has(sql, account_id))


_POST = Post._meta.db_table


def _json_has(sql: str, value: str) -> RawSQL:
    """SQLite has no JSON containment lookup in Django; json_each does the same there."""
    return RawSQL(sql, [value], output_field=BooleanField())


def _search(qs, q: str):
    if connection.vendor == "postgresql":
        # `text_search` is a stored to_tsvector('simple', text), GIN-indexed (migration 0011):
        # the text index finds rare words, and a walk of the page index tests each post
        # without parsing its text.
        match = RawSQL(
            "publishing_post.text_search @@ websearch_to_tsquery('simple', %s)",
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


def job_get(*, workspace: Workspace, mode: str, job_id: str) -> Job | None:
    return Job.objects.filter(workspace=workspace, mode=mode, pk=job_id).first()


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


def posts_with_accounts(*, workspace: Workspace, mode: str, post_ids: list[str]) -> list[Post]:
    """The workspace's posts of `mode` among `post_ids` (others are ignored), with their
    results and each result's account: three queries however many posts and results."""
    deliveries = Delivery.objects.select_related("account").order_by("pk")
    qs = Post.objects.filter(workspace=workspace, mode=mode, pk__in=post_ids)
    return list(qs.prefetch_related(Prefetch("deliveries", queryset=deliveries)).order_by("-created_at", "-pk"))


def post_named_accounts(*, post: Post) -> dict[str, SocialAccount]:
    """The accounts a post names (its targets, and the account ids its options are keyed
    by) of its workspace and mode, by id: one query."""
    ids = {*post.account_ids, *(post.platform_options or {})}
    accounts = SocialAccount.objects.filter(workspace_id=post.workspace_id, mode=post.mode, pk__in=ids)
    return {account.pk: account for account in accounts}

"""Reads on workspaces and keys; each takes the workspace first."""

from django.db.models import Q

from accounts.models import ApiKey, Membership, SocialAccount, Workspace


def api_key_list(*, workspace: Workspace):
    return ApiKey.objects.filter(workspace=workspace).order_by("-created_at")


def membership_for_user(*, user, workspace_id: str | None = None) -> Membership | None:
    """The user's membership in `workspace_id`, or their first one when none is named."""
    qs = Membership.objects.select_related("workspace").filter(user=user, workspace__is_active=True)
    if workspace_id:
        qs = qs.filter(workspace_id=workspace_id)
    return qs.order_by("created_at").first()


def membership_role(*, user_id: int, workspace: Workspace) -> str | None:
    return Membership.objects.filter(user_id=user_id, workspace=workspace).values_list("role", flat=True).first()


def social_account_list(*, workspace: Workspace, mode: str, provider: str | None = None, q: str | None = None):
    """The workspace's connected accounts of one mode, filtered by provider and a search
    on handle, name, platform id and metadata."""
    qs = SocialAccount.objects.filter(workspace=workspace, mode=mode)
    if provider:
        qs = qs.filter(provider=provider)
    if q:
        qs = qs.filter(
            Q(handle__icontains=q) | Q(name__icontains=q) | Q(platform_account_id=q) | Q(metadata__icontains=q)
        )
    return qs


def social_accounts_usable(*, workspace: Workspace, mode: str, ids) -> dict[str, SocialAccount]:
    """The named accounts of the workspace and mode, with what a post's checks read (id,
    network, health; other fields load on access). Every POST /v1/posts runs this, so it
    is a raw() query: compiling the equivalent filter() cost more than the query itself."""
    ids = list(ids)
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT id, provider, health FROM {SocialAccount._meta.db_table} "
        f"WHERE workspace_id = %s AND mode = %s AND id IN ({marks})"
    )
    return {a.id: a for a in SocialAccount.objects.raw(sql, [workspace.pk, mode, *ids])}


def membership_list(*, user):
    """The user's memberships in active workspaces (the dashboard's workspace switcher)."""
    return Membership.objects.filter(user=user, workspace__is_active=True).select_related("workspace")


def social_account_counts(*, workspace: Workspace, mode: str) -> dict[str, int]:
    accounts = SocialAccount.objects.filter(workspace=workspace, mode=mode)
    Health = SocialAccount.Health
    return {
        "accounts_count": accounts.exclude(health=Health.DISCONNECTED).count(),
        "attention_count": accounts.filter(health__in=[Health.EXPIRED, Health.REQUIRES_RECONNECT]).count(),
    }

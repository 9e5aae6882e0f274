"""Reads on workspaces and keys; each takes the workspace first."""

from accounts.models import ApiKey, Membership, Workspace


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

"""Reads on workspaces and keys; each takes the workspace first."""

from django.db import DEFAULT_DB_ALIAS, connection
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


# What social_accounts_usable read, per process: {(workspace id, mode): (the workspace's
# accounts version it was read under, {account id: its row, or None for no such account})}.
# An entry serves a request only while the version the request read with its workspace
# (AccountsVersion, kept by database triggers) is the entry's, so it is never older than
# a fresh read would be.
_read: dict[tuple[str, str], tuple[int, dict]] = {}
READ_WORKSPACES, READ_ROWS = 10_000, 1_000  # bounds: past them, reads are not kept
_FIELDS = ("id", "workspace_id", "mode", "provider", "health")


def accounts_version(workspace: Workspace) -> int | None:
    """The workspace's accounts version when it was read with the workspace (an API key's
    authentication does: `select_related("workspace__accounts_version")`), else None."""
    if not Workspace.accounts_version.is_cached(workspace):
        return None
    row = getattr(workspace, "accounts_version", None)  # None: no account changed yet
    return row.version if row is not None else 0


def social_accounts_usable(*, workspace: Workspace, mode: str, ids) -> dict[str, SocialAccount]:
    """The named accounts of the workspace and mode, with what a post's checks read (id,
    network, health; other fields load on access). Every POST /v1/posts runs this: a row
    read earlier by this process is used again while the workspace's accounts version
    (read with the workspace) is unchanged, and the rest are one raw query."""
    ids = list(ids)
    if not ids:
        return {}
    version = accounts_version(workspace)
    key = (workspace.pk, mode)
    entry = _read.get(key) if version is not None else None
    rows = entry[1] if entry is not None and entry[0] == version else {}
    missing = [account_id for account_id in ids if account_id not in rows]
    if missing:
        found = _usable_rows(workspace=workspace, mode=mode, ids=missing)
        rows = {**rows, **{account_id: found.get(account_id) for account_id in missing}}
        # Kept only when read outside a transaction: what one reads may be its own
        # uncommitted change, which no other request may see.
        if version is not None and len(rows) <= READ_ROWS and not connection.in_atomic_block:
            if len(_read) >= READ_WORKSPACES:
                _read.clear()
            _read[key] = (version, rows)
    return {
        account_id: SocialAccount.from_db(DEFAULT_DB_ALIAS, _FIELDS, rows[account_id])
        for account_id in ids
        if rows.get(account_id) is not None
    }


def _usable_rows(*, workspace: Workspace, mode: str, ids: list[str]) -> dict[str, tuple]:
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT id, provider, health FROM {SocialAccount._meta.db_table} "
        f"WHERE workspace_id = %s AND mode = %s AND id IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace.pk, mode, *ids])
        return {row[0]: (row[0], workspace.pk, mode, row[1], row[2]) for row in cursor}


def social_account_metadata(*, ids) -> dict[str, dict]:
    """{account id: its metadata} for these accounts, in one query."""
    return dict(SocialAccount.objects.filter(pk__in=list(ids)).values_list("pk", "metadata"))


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

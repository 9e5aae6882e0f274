"""Writes on workspaces, memberships and API keys."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.keys import generate_key, hash_key, parse_key
from accounts.models import ApiKey, Membership, Workspace

LAST_USED_GRANULARITY = timedelta(minutes=1)


def workspace_get_or_create(*, name: str) -> Workspace:
    """The workspace named `name`, created if missing. Safe to repeat."""
    workspace, _ = Workspace.objects.get_or_create(name=name)
    return workspace


def membership_ensure(*, user, workspace: Workspace, role: str = Membership.Role.MEMBER) -> Membership:
    """Make `user` a member of `workspace` with `role`. Safe to repeat."""
    membership, created = Membership.objects.get_or_create(user=user, workspace=workspace, defaults={"role": role})
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def api_key_create(*, workspace: Workspace, mode: str, name: str = "") -> tuple[ApiKey, str]:
    """Create a key; returns the row and the raw key, which is never retrievable again."""
    raw = generate_key(mode)
    parsed = parse_key(raw)
    key = ApiKey.objects.create(workspace=workspace, mode=mode, name=name, lookup=parsed.lookup, key_hash=hash_key(raw))
    return key, raw


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key; revoking again keeps the first revocation time."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record use, at most once a minute per key so that reads do not each cost a write."""
    now = timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < LAST_USED_GRANULARITY:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


@transaction.atomic
def demo_setup(*, username: str, password: str, workspace_name: str) -> tuple[Workspace, str]:
    """A demo user (owner) and workspace with a fresh test API key. Keeps existing data."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True, "is_superuser": True})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    workspace = workspace_get_or_create(name=workspace_name)
    membership_ensure(user=user, workspace=workspace, role=Membership.Role.OWNER)
    _, raw = api_key_create(workspace=workspace, mode="test", name="demo")
    return workspace, raw

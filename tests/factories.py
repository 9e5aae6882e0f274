"""Small builders with overridable defaults; state is built through services."""

from django.contrib.auth import get_user_model

from accounts import services
from accounts.models import Membership
from dravo.ids import random_base62


def make_workspace(name: str | None = None):
    return services.workspace_get_or_create(name=name or f"ws-{random_base62(8)}")


def make_api_key(workspace=None, mode: str = "test"):
    """Returns (ApiKey row, raw key)."""
    return services.api_key_create(workspace=workspace or make_workspace(), mode=mode, name="tests")


def make_user(workspace=None, role: str = Membership.Role.OWNER, password: str = "s3cret-pass!", username=None):
    user = get_user_model().objects.create_user(username=username or f"user-{random_base62(8)}", password=password)
    if workspace is not None:
        services.membership_ensure(user=user, workspace=workspace, role=role)
    return user

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


def make_account(workspace, *, provider="x", mode="test", platform_account_id=None, handle=None, health=None,
                 credentials=None, token_expires_at=None):
    """A connected account stored directly (no network call); credentials encrypted as the service does."""
    from accounts.crypto import encrypt_credentials
    from accounts.models import SocialAccount

    extras = {"facebook": {"page_id": "1001"}, "instagram": {"ig_user_id": "1784"},
              "linkedin": {"author_urn": "urn:li:organization:5515"}}
    creds = credentials if credentials is not None else {"access_token": f"tok-{random_base62(10)}",
                                                          **extras.get(provider, {})}
    if mode == "test" and "sandbox" not in creds:
        creds = {**creds, "sandbox": {"behavior": "ok"}}
    return SocialAccount.objects.create(
        workspace=workspace, mode=mode, provider=provider,
        platform_account_id=platform_account_id or random_base62(12), handle=handle or f"@h{random_base62(6)}",
        health=health or SocialAccount.Health.ACTIVE, credentials_encrypted=encrypt_credentials(creds),
        token_expires_at=token_expires_at,
    )


def make_post(workspace, accounts, text: str = "hello", **fields):
    """A post for now with its deliveries made, as the worker's fan-out leaves it just
    after the 202 (their task messages are not run)."""
    from publishing import services

    post = services.post_create(
        workspace=workspace, mode=accounts[0].mode, account_ids=[a.pk for a in accounts], text=text, **fields
    )
    services.post_fan_out(post_id=post.pk)
    return post

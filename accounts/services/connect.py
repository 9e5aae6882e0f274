"""Hosted connect links and storing the accounts an OAuth consent granted."""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ConnectLink, SocialAccount, Workspace
from accounts.services.social_accounts import social_account_store

LINK_LIFETIME = timedelta(minutes=30)


class ConnectLinkInvalid(Exception):
    """The link is unknown, already used or expired."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def connect_link_create(
    *, workspace: Workspace, mode: str, provider: str, redirect_uri: str = ""
) -> tuple[ConnectLink, str]:
    """A single-use link to the consent flow; returns the row and its URL (the token is not stored)."""
    token = secrets.token_urlsafe(32)
    link = ConnectLink.objects.create(
        workspace=workspace,
        mode=mode,
        provider=provider,
        redirect_uri=redirect_uri,
        token_hash=_hash(token),
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    return link, f"{settings.BASE_URL}/connect/{token}"


def connect_link_open(*, token: str) -> ConnectLink:
    """Consume the link (single use). Raises ConnectLinkInvalid if unknown, used or expired."""
    now = timezone.now()
    updated = ConnectLink.objects.filter(token_hash=_hash(token), opened_at__isnull=True, expires_at__gt=now).update(
        opened_at=now
    )
    if not updated:
        raise ConnectLinkInvalid("This connect link is unknown, already used or expired.")
    return ConnectLink.objects.get(token_hash=_hash(token))


@transaction.atomic
def connect_link_complete(*, link: ConnectLink, grants: list[dict]) -> list[SocialAccount]:
    """Store each granted account ({platform_account_id, handle, name, credentials,
    expires_at, metadata}) in the link's workspace: created, or updated keeping its id."""
    accounts = [
        social_account_store(
            workspace=link.workspace,
            mode=link.mode,
            provider=link.provider,
            platform_account_id=grant["platform_account_id"],
            handle=grant.get("handle", ""),
            name=grant.get("name", ""),
            metadata=grant.get("metadata", {}),
            credentials=grant["credentials"],
            expires_at=grant.get("expires_at"),
            connection_type=SocialAccount.ConnectionType.OAUTH,
        )[0]
        for grant in grants
    ]
    ConnectLink.objects.filter(pk=link.pk).update(completed_at=timezone.now(), account_ids=[a.pk for a in accounts])
    return accounts


def connect_link_fail(*, link: ConnectLink, error: str) -> None:
    ConnectLink.objects.filter(pk=link.pk).update(completed_at=timezone.now(), error=error[:2000])


def redirect_target(link: ConnectLink, **params) -> str | None:
    """The customer's redirect_uri with the result appended, or None when it has none."""
    if not link.redirect_uri:
        return None
    parts = urlsplit(link.redirect_uri)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))

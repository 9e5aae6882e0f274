"""Connected social accounts: connect (BYOK and OAuth), disconnect, token refresh."""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.crypto import decrypt_credentials, encrypt_credentials, reencrypt
from accounts.errors import AccountNotGranted, AccountVerificationFailed, ProviderUnreachable, RefreshFailed
from accounts.models import SocialAccount, Workspace
from dravo.events import event_emit
from dravo.leases import lease_claim
from providers import registry
from providers.errors import (
    AccountMismatch,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    TokenExpired,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")
Health = SocialAccount.Health

REFRESH_LEASE = timedelta(seconds=120)
# How long before expiry a token is refreshed, by the network's own token lifetime
# (each network's descriptor: minutes for 2-hour tokens, days for 60-day ones).
REFRESH_AHEAD = {key: network.refresh_ahead for key, network in registry.NETWORKS.items()}


def credentials_of(account: SocialAccount) -> dict:
    return decrypt_credentials(account.credentials_encrypted)


def client_for(account: SocialAccount, credentials: dict | None = None):
    creds = credentials if credentials is not None else credentials_of(account)
    return registry.get_client(account.provider, creds, sandbox=account.is_sandbox)


def social_account_call(*, account: SocialAccount, call: Callable[[Any], T]) -> T:
    """`call(client)` with the account's client; when the network answers TokenExpired,
    refresh the token once (social_account_refresh) and call again with the new one.

    Raises whatever `call` raises, RefreshFailed or ProviderUnreachable from the refresh,
    and ReconnectRequired when the token is refused again right after a refresh. As safe
    to repeat as `call` is."""
    try:
        return call(client_for(account))
    except TokenExpired:
        account = social_account_refresh(account_id=account.pk)
    try:
        return call(client_for(account))
    except TokenExpired as exc:
        raise ReconnectRequired(f"The token was refused again after a refresh: {exc}") from exc


def _expires_at(credentials: dict) -> datetime | None:
    value = credentials.get("expires_at")
    if not value or isinstance(value, datetime):
        return value or None
    return parse_datetime(str(value))


def social_account_connect(*, workspace: Workspace, mode: str, provider: str, credentials: dict, **named) -> tuple[
    SocialAccount, bool
]:
    """Verify the credentials (social_account_verify), then store the account (created or
    updated). Raises what social_account_verify raises. Safe to repeat."""
    verified = social_account_verify(mode=mode, provider=provider, credentials=credentials, **named)
    return social_account_store(workspace=workspace, mode=mode, **verified)


def social_account_verify(
    *,
    mode: str,
    provider: str,
    credentials: dict,
    platform_account_id: str | None = None,
    handle: str | None = None,
    connection_type: str = SocialAccount.ConnectionType.BYOK,
    metadata: dict | None = None,
) -> dict:
    """Prove that the token can act as the account named at connect; returns the keyword
    arguments of social_account_store (everything but workspace and mode). Calls the
    network and writes nothing, so callers run it outside any transaction.

    The account is named by the network's credential (its client's
    `account_credential`), filled in from `platform_account_id` when the credentials
    leave it out. Raises AccountNotGranted (400, naming the
    field that named the account) when the token works for another account or when
    `platform_account_id` names another account than the credentials,
    AccountVerificationFailed (400) when the network refuses the token and
    ProviderUnreachable (503) when it cannot answer. Safe to repeat.
    """
    if mode == "test":
        credentials = {**credentials, "sandbox": credentials.get("sandbox") or {"behavior": "ok"}}
    else:
        credentials = {key: value for key, value in credentials.items() if key != "sandbox"}
    key = registry.CLIENTS[provider].account_credential
    named_by_id = bool(platform_account_id) and not credentials.get(key)
    if named_by_id:
        credentials = {**credentials, key: platform_account_id}
    try:
        profile = registry.get_client(provider, credentials, sandbox=mode == "test").verify()
    except AccountMismatch as exc:
        attr = "platform_account_id" if named_by_id else f"credentials.{exc.field}"
        raise AccountNotGranted(attr=attr, reason=str(exc)) from exc
    except (ProviderUnavailable, RateLimited) as exc:
        raise ProviderUnreachable(f"{provider} could not verify the token right now: {exc}") from exc
    except ProviderError as exc:
        raise AccountVerificationFailed(str(exc)) from exc
    if platform_account_id and platform_account_id not in (profile.id, str(credentials.get(key, ""))):
        reason = f"Must name the account the credentials name ({credentials[key]}), not {platform_account_id}."
        raise AccountNotGranted(attr="platform_account_id", reason=reason)
    credentials = {**registry.network(provider).client.profile_credentials(profile), **credentials}
    return {
        "provider": provider,
        "platform_account_id": platform_account_id or profile.id,
        "handle": handle or profile.handle,
        "name": profile.name,
        "metadata": {**(metadata or {}), **profile.extra},
        "credentials": _without_expiry(credentials),
        "expires_at": _expires_at(credentials),
        "connection_type": connection_type,
    }


def social_account_store(
    *,
    workspace: Workspace,
    mode: str,
    provider: str,
    platform_account_id: str,
    handle: str,
    name: str,
    metadata: dict,
    credentials: dict,
    expires_at,
    connection_type: str,
) -> tuple[SocialAccount, bool]:
    """Create the account, or update the same provider account keeping its id, active and
    with the new (encrypted) credentials. Verification is the caller's. Safe to repeat."""
    fields = {
        "handle": handle,
        "name": name,
        "metadata": metadata,
        "connection_type": connection_type,
        "health": Health.ACTIVE,
        "health_reason": "",
        "disconnected_at": None,
        "credentials_encrypted": encrypt_credentials(credentials),
        "token_expires_at": expires_at,
    }
    lookup = {"workspace": workspace, "mode": mode, "provider": provider, "platform_account_id": platform_account_id}
    try:
        with transaction.atomic():
            account, created = SocialAccount.objects.update_or_create(**lookup, defaults=fields)
            _tell("account.connected", account)
            return account, created
    except IntegrityError:  # a concurrent connect of the same account won the insert
        with transaction.atomic():
            account = SocialAccount.objects.update_or_create(**lookup, defaults=fields)[0]
            _tell("account.connected", account)
            return account, False


def _tell(event: str, account: SocialAccount) -> None:
    event_emit(event, workspace_id=account.workspace_id, mode=account.mode, subject=account)


def _without_expiry(credentials: dict) -> dict:
    return {key: value for key, value in credentials.items() if key != "expires_at"}


def social_account_disconnect(*, account: SocialAccount) -> SocialAccount:
    """Erase the credentials and mark the account disconnected; its history stays. Safe to repeat."""
    now = timezone.now()
    with transaction.atomic():
        changed = SocialAccount.objects.filter(pk=account.pk).exclude(health=Health.DISCONNECTED).update(
            health=Health.DISCONNECTED, credentials_encrypted="", token_expires_at=None, disconnected_at=now,
            updated_at=now,
        )
        if changed:
            _tell("account.disconnected", account)
    account.refresh_from_db()
    return account


def social_account_mark_reconnect(*, account_id: str, reason: str) -> None:
    """The network refused the grant for good: the account must be reconnected (told as
    `account.requires_reconnect` when it was not so already). Safe to repeat."""
    with transaction.atomic():
        accounts = SocialAccount.objects.filter(pk=account_id).exclude(health=Health.DISCONNECTED)
        newly = accounts.exclude(health=Health.REQUIRES_RECONNECT).update(
            health=Health.REQUIRES_RECONNECT, health_reason=reason[:2000], updated_at=timezone.now()
        )
        if newly:
            _tell("account.requires_reconnect", SocialAccount.objects.get(pk=account_id))
        else:
            accounts.update(health_reason=reason[:2000], updated_at=timezone.now())


def _claim_refresh(account_id: str) -> bool:
    return lease_claim(
        SocialAccount.objects.filter(pk=account_id), field="refresh_lease_until", duration=REFRESH_LEASE
    )


def _release_refresh(account_id: str, **fields) -> None:
    SocialAccount.objects.filter(pk=account_id).update(refresh_lease_until=None, updated_at=timezone.now(), **fields)


def social_account_refresh(*, account_id: str, wait: float = 30.0) -> SocialAccount:
    """Refresh the account's token with its network and store the new credentials.

    Refreshes of one account are serialized by a lease on the row (claimed with a
    conditional update, so no transaction is held across the HTTP call); whoever waits
    for a running refresh re-reads the row afterwards instead of spending the (possibly
    single-use) refresh token again. A stored refresh token is never replaced by an empty
    one. Only a definite refusal (ReconnectRequired) makes the account
    `requires_reconnect` and raises RefreshFailed; a timeout, 5xx or 429 leaves it
    connected and raises ProviderUnreachable.
    """
    deadline = timezone.now() + timedelta(seconds=wait)
    started = timezone.now()
    while not _claim_refresh(account_id):
        if timezone.now() > deadline:
            raise ProviderUnreachable("Another refresh of this account is still running.")
        time.sleep(0.2)
    account = SocialAccount.objects.get(pk=account_id)  # re-read under the lease
    if account.refreshed_at and account.refreshed_at >= started and account.health == Health.ACTIVE:
        _release_refresh(account_id)  # someone refreshed while we waited
        return account
    if account.health == Health.DISCONNECTED:
        _release_refresh(account_id)
        raise RefreshFailed("The account is disconnected.")
    old = credentials_of(account)
    try:
        result = client_for(account, old).refresh()
    except (ReconnectRequired, TokenExpired) as exc:
        _release_refresh(account_id)
        social_account_mark_reconnect(account_id=account_id, reason=str(exc))
        raise RefreshFailed(f"The network refused the refresh: {exc}") from exc
    except ProviderError as exc:
        _release_refresh(account_id, health_reason=f"Refresh deferred: {exc}"[:2000])
        raise ProviderUnreachable(f"The network could not refresh the token right now: {exc}") from exc
    new = {**old, **{k: v for k, v in result.credentials.items() if v not in (None, "")}}
    changed = {"metadata": {**(account.metadata or {}), **result.metadata}} if result.metadata else {}
    _release_refresh(
        account_id,
        **changed,
        credentials_encrypted=encrypt_credentials(_without_expiry(new)),
        token_expires_at=result.expires_at,
        refreshed_at=timezone.now(),
        health=Health.ACTIVE,
        health_reason="",
    )
    return SocialAccount.objects.get(pk=account_id)


def social_accounts_refresh_due(*, now=None) -> list[str]:
    """Mark accounts past expiry `expired`, and return the ids whose token expires within
    its network's lead time (to be refreshed by one task each). Safe to repeat."""
    now = now or timezone.now()
    SocialAccount.objects.filter(health=Health.ACTIVE, token_expires_at__lte=now).update(health=Health.EXPIRED)
    due = Q()
    for provider, ahead in REFRESH_AHEAD.items():
        due |= Q(provider=provider, token_expires_at__lte=now + ahead)
    qs = SocialAccount.objects.filter(due, health__in=SocialAccount.USABLE_HEALTH, token_expires_at__isnull=False)
    qs = qs.filter(Q(refresh_lease_until__isnull=True) | Q(refresh_lease_until__lt=now))
    return list(qs.values_list("id", flat=True)[:500])


def social_accounts_warn_expiring(*, now=None) -> int:
    """Tell `account.token_expiring` once per token (per account and expiry) for usable
    accounts whose token expires within TOKEN_EXPIRING_WARNING_DAYS (7) and that Dravo
    will not renew in time: networks that cannot renew a token without the user, and
    renewable ones whose renewal is an hour overdue (it keeps failing). Safe to repeat."""
    now = now or timezone.now()
    warning = timedelta(days=settings.TOKEN_EXPIRING_WARNING_DAYS)
    due = Q()
    for provider, ahead in REFRESH_AHEAD.items():
        window = min(warning, ahead - timedelta(hours=1)) if ahead else warning
        if window > timedelta(0):
            due |= Q(provider=provider, token_expires_at__lte=now + window)
    if not due:
        return 0
    expiring = SocialAccount.objects.filter(due, health__in=SocialAccount.USABLE_HEALTH, token_expires_at__gt=now)
    count = 0
    for account in expiring[:500]:
        with transaction.atomic():
            event_emit("account.token_expiring", workspace_id=account.workspace_id, mode=account.mode,
                       subject=account, dedupe_key=f"token_expiring:{account.pk}:{account.token_expires_at:%s}")
        count += 1
    return count


def social_accounts_rotate_encryption() -> int:
    """Re-encrypt every stored credential with the newest key. Safe to repeat."""
    count = 0
    for account_id, token in (
        SocialAccount.objects.exclude(credentials_encrypted="").values_list("id", "credentials_encrypted").iterator()
    ):
        SocialAccount.objects.filter(pk=account_id, credentials_encrypted=token).update(
            credentials_encrypted=reencrypt(token)
        )
        count += 1
    return count

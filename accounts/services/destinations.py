"""Destinations: the places inside a connected account a post can go to (a board, a
playlist, a location, a category). Dravo keeps a copy of the network's listing per
account, served for DESTINATIONS_TTL seconds and replaced whole by a refresh."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.errors import ProviderUnreachable, RefreshFailed
from accounts.models import Destination, SocialAccount
from accounts.services.social_accounts import social_account_call, social_account_mark_reconnect
from dravo.pagination import decode_cursor, encode_cursor
from providers import registry
from providers.errors import ProviderError, ProviderUnavailable, RateLimited, ReconnectRequired


class AccountUnusable(RefreshFailed):
    default_code = "account_unusable"
    default_detail = "The account must be reconnected before Dravo can read its destinations."


def _fresh(fetched_at) -> bool:
    return fetched_at is not None and timezone.now() - fetched_at <= timedelta(seconds=settings.DESTINATIONS_TTL)


def destinations_listing(*, account: SocialAccount, refresh: bool = False):
    """The account's destinations in the network's order (a queryset) and when they were
    read, read from the network first when Dravo has no copy, the copy is older than
    DESTINATIONS_TTL or `refresh` asks; none (and None) for a network that posts to the
    account itself. Raises AccountUnusable (409) for a disconnected account or one the
    network refuses for good, ProviderUnreachable (503) when the network cannot answer now."""
    if registry.network(account.provider).destinations is None:
        return Destination.objects.none(), None  # the network posts to the account itself
    rows = Destination.objects.filter(account=account).order_by("position")
    fetched_at = rows.values_list("fetched_at", flat=True).first()
    if refresh or not _fresh(fetched_at):
        fetched_at = destinations_refresh(account=account)
    return rows, fetched_at


def destinations_page(*, account: SocialAccount, limit: int, cursor: str | None = None, refresh: bool = False):
    """One page of the account's destinations (destinations_listing) and the time they
    were read: (rows, next_cursor, total, fetched_at). The cursor carries the listing's
    time and the last position; a cursor from a listing that a refresh has since replaced
    is a 400 (the positions moved), so a client never mixes two listings."""
    rows, fetched_at = destinations_listing(account=account, refresh=refresh)
    total = rows.count()
    if cursor:
        when, position = decode_cursor(cursor)
        if when != fetched_at or not position.isdigit():
            raise ValidationError(
                {"cursor": ["The destinations were read again since this cursor: start from the first page."]},
                code="stale_cursor",
            )
        rows = rows.filter(position__gt=int(position))
    page = list(rows[: limit + 1])
    items, more = page[:limit], len(page) > limit
    next_cursor = encode_cursor(fetched_at, f"{items[-1].position:08d}") if more else None
    return items, next_cursor, total, fetched_at


def destinations_refresh(*, account: SocialAccount):
    """Read the account's destinations from its network and replace Dravo's copy with
    them; returns when they were read. Safe to repeat."""
    if not account.is_usable:
        raise AccountUnusable(f"The account is {account.health}: reconnect it to list its destinations.")
    try:
        listed = social_account_call(account=account, call=lambda client: client.destinations())
    except ReconnectRequired as exc:
        social_account_mark_reconnect(account_id=account.pk, reason=str(exc))
        raise AccountUnusable(f"The network refused the account's token: {exc}") from exc
    except (ProviderUnavailable, RateLimited) as exc:
        raise ProviderUnreachable(f"The network could not list the destinations right now: {exc}") from exc
    except ProviderError as exc:
        raise ProviderUnreachable(f"The network refused to list the destinations: {exc}") from exc
    now = timezone.now()
    seen: dict[str, Destination] = {}
    for destination in listed:
        seen.setdefault(
            str(destination.id),
            Destination(
                account=account,
                external_id=str(destination.id)[:300],
                kind=destination.kind,
                name=(destination.name or "")[:500],
                extra=destination.extra,
                position=len(seen),
                fetched_at=now,
            ),
        )
    with transaction.atomic():
        Destination.objects.filter(account=account).delete()
        Destination.objects.bulk_create(seen.values())
    return now


def destinations_for_accounts(*, accounts) -> dict[str, list[Destination] | str]:
    """For the compose form: the destinations of each account whose network has them,
    from Dravo's copies (one query for all; an account without a fresh copy is read from
    its network), or the reason they cannot be read now, by account id."""
    accounts = [account for account in accounts if registry.network(account.provider).destinations is not None]
    copies: dict[str, list[Destination]] = {account.id: [] for account in accounts}
    for row in Destination.objects.filter(account__in=accounts).order_by("account_id", "position"):
        copies[row.account_id].append(row)
    found: dict[str, list[Destination] | str] = {}
    for account in accounts:
        rows = copies[account.id]
        if rows and _fresh(rows[0].fetched_at):
            found[account.id] = rows
            continue
        try:
            found[account.id] = list(destinations_listing(account=account, refresh=True)[0])
        except (AccountUnusable, ProviderUnreachable) as exc:
            found[account.id] = str(exc.detail)
    return found

"""Celery tasks of accounts: token refresh ahead of expiry, pruning closed throttle windows."""

import logging

from celery import shared_task

from accounts import services
from accounts.errors import ProviderUnreachable, RefreshFailed

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def refresh_due_tokens_task() -> None:
    """Beat: one refresh task per account whose token expires soon."""
    for account_id in services.social_accounts_refresh_due():
        social_account_refresh_task.delay(account_id)


@shared_task(ignore_result=True)
def social_account_refresh_task(account_id: str) -> None:
    """Refresh one account; a refused grant is recorded on the account by the service,
    a transient failure leaves it for the next sweep."""
    try:
        services.social_account_refresh(account_id=account_id)
    except (RefreshFailed, ProviderUnreachable) as exc:
        logger.info("Refresh of %s did not succeed: %s", account_id, exc)


@shared_task(ignore_result=True)
def prune_throttle_counters_task() -> None:
    """Beat, hourly: delete the database throttle counters whose window has closed."""
    services.throttle_counters_prune()


@shared_task(ignore_result=True)
def warn_expiring_tokens_task() -> None:
    """Beat, hourly: tell `account.token_expiring` for tokens Dravo will not renew in time."""
    services.social_accounts_warn_expiring()

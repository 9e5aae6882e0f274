"""Writes of the accounts app: workspaces and API keys, connected social accounts."""

from accounts.services.connect import (  # noqa: F401, E402
    ConnectLinkInvalid,
    connect_link_complete,
    connect_link_create,
    connect_link_fail,
    connect_link_open,
    redirect_target,
)
from accounts.services.rate_limits import (  # noqa: F401
    login_attempt_spend,
    parse_rate,
    rate_limit_hit,
    throttle_counters_prune,
)
from accounts.services.social_accounts import (  # noqa: F401
    client_for,
    credentials_of,
    social_account_call,
    social_account_connect,
    social_account_disconnect,
    social_account_mark_reconnect,
    social_account_refresh,
    social_account_store,
    social_account_verify,
    social_accounts_refresh_due,
    social_accounts_rotate_encryption,
    social_accounts_warn_expiring,
)
from accounts.services.workspaces import (  # noqa: F401
    api_key_create,
    api_key_revoke,
    api_key_touch,
    demo_setup,
    membership_ensure,
    workspace_get_or_create,
)

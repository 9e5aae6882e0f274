"""Domain errors of the accounts app; DRF renders them with the one error format."""

from rest_framework.exceptions import ValidationError

from dravo.errors import Conflict, Unavailable


class AccountVerificationFailed(ValidationError):
    """The network refused the token given for a connection (400, naming `credentials`)."""

    def __init__(self, reason: str):
        super().__init__({"credentials": [f"The network refused this token: {reason}"]}, code="token_refused")


class AccountNotGranted(ValidationError):
    """The token works but cannot act as the account named at connect (400, naming the
    field that named it: `credentials.page_id`, `platform_account_id`…)."""

    def __init__(self, *, attr: str, reason: str):
        super().__init__({attr: [reason]}, code="account_mismatch")


class ProviderUnreachable(Unavailable):
    default_code = "provider_unavailable"
    default_detail = "The network could not be reached; try again shortly."


class RefreshFailed(Conflict):
    default_code = "refresh_failed"
    default_detail = "The network refused the refresh; the account needs to be reconnected."

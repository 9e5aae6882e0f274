"""Typed failures of a network call. Every provider maps its answers to these in one
`raise_for_response()`; the publishing layer decides what to do from the type alone.

- `RateLimited(retry_after)`: try again after `retry_after` seconds.
- `ProviderUnavailable` (alias `Transient`): 5xx, timeout, connection error: retry with backoff.
- `ProcessingTimeout`: the network's media/publish processing outlived the bounded wait
  (a ProviderUnavailable; the checkpoint saved so far lets a retry resume, not restart).
- `TokenExpired`: refresh the token once, then try again.
- `ReconnectRequired`: the grant is gone (revoked, invalid_grant): the account must reconnect.
- `Rejected(reason)`: a permanent refusal of this content, with the network's message.
- `MediaUnavailable`: the network could not fetch or process the media (permanent).
- `MetricsUnsupported`: this account gives no post metrics (e.g. one site of a network
  whose other sites do): analytics marks the row unsupported and never asks again.
- `AccountMismatch(field)`: verify() found a working token that cannot act as the account
  named at connect by the credential `field` (permanent).
"""


class ProviderError(Exception):
    permanent = True
    code = "provider_error"

    def __init__(self, message: str, *, permanent: bool | None = None, status: int | None = None, raw=None):
        super().__init__(message)
        self.message = message
        if permanent is not None:
            self.permanent = permanent
        self.status = status
        self.raw = raw

    def __str__(self) -> str:
        return self.message


class ProviderUnavailable(ProviderError):
    permanent = False
    code = "provider_unavailable"


Transient = ProviderUnavailable


class ProcessingTimeout(ProviderUnavailable):
    code = "processing_timeout"


class RateLimited(ProviderError):
    permanent = False
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float = 60.0, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = max(0.0, float(retry_after))


class TokenExpired(ProviderError):
    permanent = False
    code = "token_expired"


class ReconnectRequired(ProviderError):
    code = "reconnect_required"


class Rejected(ProviderError):
    code = "rejected"

    @property
    def reason(self) -> str:
        return self.message


class MediaUnavailable(ProviderError):
    code = "media_unavailable"


class MetricsUnsupported(ProviderError):
    """The account (not the whole network: that is the client's `metrics_unsupported`)
    gives no post metrics; the message says why."""

    code = "metrics_unsupported"


class AccountMismatch(ProviderError):
    """The token works, but not for the account a connect named: another Page, user,
    author or creator. `field` is the credential that named the account."""

    code = "account_mismatch"

    def __init__(self, message: str, *, field: str, **kwargs):
        super().__init__(message, **kwargs)
        self.field = field

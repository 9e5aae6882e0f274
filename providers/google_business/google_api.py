"""Google's error answers and token refresh, as every network built on Google's APIs reads
them: the same rules as `providers.google`, kept here because this network's client cannot
import that module. `providers.google` also holds the connect backend, which imports
`providers.oauth`, which imports the registry, which imports this client: importing it
from the client would close an import circle. Once the backend lives in a module of its
own, the client can use `providers.google` and this module goes.

Docs: https://cloud.google.com/apis/design/errors (the error shape),
https://developers.google.com/identity/protocols/oauth2/web-server#offline (refresh).
"""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from providers import http
from providers.base import RefreshResult
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired, Rejected, TokenExpired

RATE_LIMIT_RETRY_S = 60.0  # Google sends no reset time with a rate limit
TOKEN_PATH = "/token"
# 403 reasons saying the consent did not grant what the call needs: only a new consent does.
SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficient_scope"})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED"})
UNAVAILABLE_REASONS = frozenset({"backendError", "internalError", "UNAVAILABLE", "INTERNAL"})


class GoogleError(NamedTuple):
    status: int
    reason: str  # errors[0].reason, else a detail's reason, else the status name
    message: str


def parse_error(response) -> GoogleError:
    """The (status, reason, message) of a Google error answer: the APIs' `{"error": {"code",
    "message", "status", "errors": [{"reason"}], "details": [{"reason"}]}}`, or the token
    endpoint's `{"error": "invalid_grant", "error_description": "..."}`. No I/O."""
    body = http.json_or_empty(response)
    error = body.get("error")
    if isinstance(error, str):
        return GoogleError(response.status_code, error, str(body.get("error_description") or error))
    if not isinstance(error, dict):
        return GoogleError(response.status_code, "", "")
    items = [*(error.get("errors") or []), *(error.get("details") or [])]
    reason = next((str(item["reason"]) for item in items if isinstance(item, dict) and item.get("reason")), "")
    return GoogleError(response.status_code, reason or str(error.get("status") or ""), str(error.get("message") or ""))


def raise_google_error(response, label: str) -> None:
    """The typed error of a Google answer (nothing for a success): 401 → TokenExpired; 403
    for a scope not granted → ReconnectRequired; 429 or a rate-limit reason → RateLimited
    (Retry-After, else 60 s); 5xx or a backend reason → ProviderUnavailable; any other 4xx
    → Rejected."""
    if response.status_code < 400:
        return
    error = parse_error(response)
    text = f"{label}: {error.message or error.reason or f'HTTP {error.status}'}"
    kwargs = {"status": error.status, "raw": http.json_or_empty(response) or None}
    if error.status == 401:
        raise TokenExpired(text, **kwargs)
    if error.status == 403 and error.reason in SCOPE_REASONS:
        raise ReconnectRequired(text, **kwargs)
    if error.status == 429 or error.reason in RATE_REASONS or error.reason == "quotaExceeded":
        retry = http.retry_after_seconds(response.headers.get("Retry-After"), RATE_LIMIT_RETRY_S)
        raise RateLimited(text, retry_after=retry, **kwargs)
    if error.status >= 500 or error.reason in UNAVAILABLE_REASONS:
        raise ProviderUnavailable(text, **kwargs)
    raise Rejected(text, **kwargs)


def refresh_access_token(client) -> RefreshResult:
    """A new access token for `client`'s account (`grant_type=refresh_token` at its
    `token_url` host, the app's id and secret in the form). Google does not rotate refresh
    tokens: the one held is kept unless the answer carries a new one. ReconnectRequired
    when there is none or the endpoint refuses the grant (any 4xx but 429; `invalid_grant`);
    RateLimited or ProviderUnavailable when it could not answer. Safe to repeat."""
    refresh_token = client.credentials.get("refresh_token")
    if not refresh_token:
        raise ReconnectRequired("This Google account has no refresh token; reconnect it.")
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": client.app["client_id"],
        "client_secret": client.app["client_secret"],
    }
    response = http.request("POST", client.url("token_url", TOKEN_PATH), data=form, via=client.session)
    if response.status_code >= 400:
        error = parse_error(response)
        if error.status < 500 and error.status != 429:
            message = error.message or error.reason or f"HTTP {error.status}"
            raise ReconnectRequired(f"Google refused the refresh token: {message}", status=error.status)
        raise_google_error(response, "Google token endpoint")
    body = http.json_or_empty(response)
    if not body.get("access_token"):
        raise ProviderUnavailable("Google's token answer carried no access_token.")
    credentials = {**client.credentials, "access_token": body["access_token"]}
    if body.get("refresh_token"):
        credentials["refresh_token"] = body["refresh_token"]
    expires_in = http.int_or_none(body.get("expires_in"))
    return RefreshResult(credentials, datetime.now(UTC) + timedelta(seconds=expires_in) if expires_in else None)

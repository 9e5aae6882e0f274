"""What Dravo's networks built on Google's APIs share: reading Google's error answers,
mapping them to Dravo's typed errors, and refreshing a Google access token (the
social-auth backend of Google's OAuth 2.0 web-server flow is in providers.google_oauth).

A Google network's folder uses them like this:

- its client's `raise_for_response()` first handles the reasons only it knows (for
  example a per-project daily quota, `quotaExceeded`, which resets at midnight Pacific
  time), then calls `raise_google_error(response, label)` for the rest;
- its client's `refresh()` is `return refresh_access_token(self)`, with a `token_url`
  host (default `https://oauth2.googleapis.com`) among the network's hosts;
- its connect backend is a `providers.google_oauth.GoogleConnect` subclass setting `name`
  and `provider` (a module of its own: the connect backends read the registry, which
  imports the clients that import this one); the network's descriptor sets `oauth_url`
  (default `https://accounts.google.com`) and its scopes, e.g.
  `https://www.googleapis.com/auth/business.manage` for Business Profile.

Docs: https://developers.google.com/identity/protocols/oauth2/web-server (consent,
offline access, refresh), https://cloud.google.com/apis/design/errors (the error shape).
"""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from providers import http
from providers.base import RefreshResult
from providers.errors import (
    ProviderUnavailable,
    RateLimited,
    ReconnectRequired,
    Rejected,
    TokenExpired,
)

RATE_LIMIT_RETRY_S = 60.0  # when a rate-limit answer carries no Retry-After
TOKEN_PATH = "/token"
# 403 reasons saying the consent did not grant what the call needs: only a new consent does.
SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficient_scope"})
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED"})
UNAVAILABLE_REASONS = frozenset({"backendError", "internalError", "UNAVAILABLE", "INTERNAL"})


class GoogleError(NamedTuple):
    status: int
    reason: str  # errors[0].reason, else an ErrorInfo detail's reason, else the status name
    message: str


def parse_error(response) -> GoogleError:
    """The (status, reason, message) of a Google error answer, in either of its shapes:
    the APIs' `{"error": {"code", "message", "status", "errors": [{"reason", "domain"}],
    "details": [{"@type": "...ErrorInfo", "reason"}]}}`, or the OAuth token endpoint's
    `{"error": "invalid_grant", "error_description": "..."}`. No I/O."""
    body = http.json_or_empty(response)
    error = body.get("error")
    if isinstance(error, str):
        return GoogleError(response.status_code, error, str(body.get("error_description") or error))
    if not isinstance(error, dict):
        return GoogleError(response.status_code, "", "")
    reason = ""
    for item in error.get("errors") or []:
        if isinstance(item, dict) and item.get("reason"):
            reason = str(item["reason"])
            break
    if not reason:
        for detail in error.get("details") or []:
            if isinstance(detail, dict) and detail.get("reason"):
                reason = str(detail["reason"])
                break
    return GoogleError(response.status_code, reason or str(error.get("status") or ""), str(error.get("message") or ""))


def raise_google_error(response, label: str) -> None:
    """Raise the typed error of a Google answer (nothing for a success); `label` names the
    API in the message ("<label>: <message>").

    401 → TokenExpired (refresh once); 403 for a scope not granted → ReconnectRequired;
    429, or a rate-limit reason → RateLimited after Retry-After, else 60 s; 5xx or
    `backendError` → ProviderUnavailable; any other 4xx (`forbidden`, validation) →
    Rejected. A network with a daily quota handles `quotaExceeded` before calling this;
    left here, it is a rate limit like the others."""
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
    """A new access token for `client`'s account (`grant_type=refresh_token` at the token
    endpoint of its `token_url` host, with the app's client_id and client_secret). Google
    does not rotate refresh tokens: the one held is kept unless the answer carries a new
    one. ReconnectRequired when there is none or the endpoint refuses the grant (any 4xx
    but 429; `invalid_grant`: revoked, unused for six months, a Testing app's seven days);
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
    now = datetime.now(UTC)
    return RefreshResult(credentials, now + timedelta(seconds=expires_in) if expires_in else None)

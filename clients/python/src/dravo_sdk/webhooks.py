"""Check that a webhook request really comes from Dravo (Standard Webhooks signatures).

Dravo signs each event with the endpoint's secret (`whsec_…`) and sends three headers:
`webhook-id`, `webhook-timestamp` and `webhook-signature`. Verify the body exactly as
received, before parsing it:

    event = verify(request.body, request.headers, secret)   # {"type", "timestamp", "data"}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

__all__ = ["InvalidSignature", "verify"]


class InvalidSignature(ValueError):
    """The request is not a genuine, recent event: a header is missing, the signature
    does not match the body, or the timestamp is more than 5 minutes off."""


def verify(payload: bytes | str, headers: Mapping[str, str] | Any, secret: str) -> dict[str, Any]:
    """The event of a signed request, parsed from `payload` (the raw body). `headers` is
    any mapping (or object with `.items()`), names in any case. Raises `InvalidSignature`;
    a malformed secret raises `ValueError`. Safe to call again on the same request."""
    plain = {str(name).lower(): str(value) for name, value in headers.items()}
    try:
        webhook = Webhook(secret)
    except Exception as error:  # a secret that is not base64 after its prefix
        raise ValueError(f"not a webhook secret: {error}") from error
    try:
        event = webhook.verify(payload, plain)
    except WebhookVerificationError as error:
        raise InvalidSignature(str(error)) from error
    except ValueError as error:  # signed correctly, but not JSON
        raise InvalidSignature(f"the body is not JSON: {error}") from error
    return event

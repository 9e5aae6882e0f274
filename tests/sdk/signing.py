"""Events signed here as Dravo signs them (Standard Webhooks), for the webhook tests."""

import base64
import json
from datetime import UTC, datetime

from standardwebhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"a secret of thirty-two bytes!!!!").decode()


def signed(event: dict, *, secret: str = SECRET, at: datetime | None = None, msg_id: str = "msg_1"):
    """(body, headers) as Dravo sends an event."""
    body = json.dumps(event).encode()
    at = at or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id, at, body)
    return body, {"Webhook-Id": msg_id, "Webhook-Timestamp": str(int(at.timestamp())), "Webhook-Signature": signature}


EVENT = {"type": "post.published", "timestamp": "2026-12-05T12:00:00Z", "data": {"id": "post_1"}}

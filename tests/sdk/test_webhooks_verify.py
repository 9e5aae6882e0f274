"""`dravo_sdk.webhooks.verify()` on requests signed here with the Standard Webhooks library."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from dravo_sdk.webhooks import InvalidSignature, verify
from standardwebhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"a secret of thirty-two bytes!!!!").decode()


def signed(event: dict, *, secret: str = SECRET, at: datetime | None = None, msg_id: str = "msg_1"):
    """(body, headers) as Dravo sends an event."""
    body = json.dumps(event).encode()
    at = at or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id, at, body)
    return body, {"Webhook-Id": msg_id, "Webhook-Timestamp": str(int(at.timestamp())), "Webhook-Signature": signature}


EVENT = {"type": "post.published", "timestamp": "2026-12-05T12:00:00Z", "data": {"id": "post_1"}}


def test_a_genuine_event_is_answered_parsed():
    body, headers = signed(EVENT)
    assert verify(body, headers, SECRET) == EVENT


def test_a_changed_body_is_refused():
    body, headers = signed(EVENT)
    with pytest.raises(InvalidSignature, match="signature"):
        verify(body.replace(b"post_1", b"post_2"), headers, SECRET)


def test_another_secret_is_refused():
    body, headers = signed(EVENT, secret="whsec_" + base64.b64encode(b"another secret, another sender!!").decode())
    with pytest.raises(InvalidSignature):
        verify(body, headers, SECRET)


def test_an_old_timestamp_is_refused_as_a_replay():
    body, headers = signed(EVENT, at=datetime.now(UTC) - timedelta(minutes=10))
    with pytest.raises(InvalidSignature, match="too old"):
        verify(body, headers, SECRET)


def test_missing_headers_are_refused():
    body, headers = signed(EVENT)
    del headers["Webhook-Signature"]
    with pytest.raises(InvalidSignature, match="Missing"):
        verify(body, headers, SECRET)


def test_a_malformed_secret_is_a_value_error_not_a_refusal():
    body, headers = signed(EVENT)
    with pytest.raises(ValueError) as raised:
        verify(body, headers, "whsec_")
    assert not isinstance(raised.value, InvalidSignature)

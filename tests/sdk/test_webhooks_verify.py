"""`dravo_sdk.webhooks.verify()` on requests signed here with the Standard Webhooks library."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from dravo_sdk.webhooks import InvalidSignature, verify

from tests.sdk.signing import EVENT, SECRET, signed


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

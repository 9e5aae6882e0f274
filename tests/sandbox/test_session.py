"""The real clients send nothing sandbox-specific: a test-mode account's behaviour header
is added by the session the sandbox app gives the client the registry builds for it."""

import pytest
import responses

from providers import registry

URL = "https://api.example.test/ping"
CREDENTIALS = {"access_token": "tok", "sandbox": {"behavior": "flaky", "latency_ms": 5}}


@pytest.fixture
def key(settings):
    settings.SANDBOX_ENABLED = True
    return next(iter(registry.NETWORKS))


@responses.activate
def test_a_live_client_sends_no_sandbox_header_even_with_sandbox_credentials(key):
    responses.get(URL, json={})
    registry.get_client(key, CREDENTIALS, sandbox=False).call("GET", URL)
    assert "X-Dravo-Sandbox" not in responses.calls[0].request.headers


@responses.activate
def test_a_test_mode_client_sends_the_account_s_behaviour_through_the_sandbox_session(key):
    responses.get(URL, json={})
    client = registry.get_client(key, CREDENTIALS, sandbox=True)
    client.call("GET", URL, headers={"Authorization": "Bearer tok"})
    sent = responses.calls[0].request.headers
    assert sent["X-Dravo-Sandbox"] == "behavior=flaky;latency_ms=5"
    assert sent["Authorization"] == "Bearer tok"
    assert sent["User-Agent"].startswith("Dravo/")

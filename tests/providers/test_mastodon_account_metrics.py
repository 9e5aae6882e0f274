"""Mastodon's account metrics: the client against recorded-shape answers (responses), each
error class, and end to end against the Mastodon sandbox."""

import pytest
import responses
from responses import matchers

from providers import registry
from providers.errors import ProviderUnavailable, RateLimited, ReconnectRequired
from providers.mastodon.client import MastodonClient

API = "https://api.test"  # an operator-pinned host (DRAVO_MASTODON_API_URL), so no DNS is needed
VERIFY = f"{API}/api/v1/accounts/verify_credentials"
ACCOUNT = {"id": "42", "username": "me", "followers_count": 1200, "following_count": 310, "statuses_count": 87}


def client():
    credentials = {"access_token": "tok", "instance_url": "https://mastodon.social", "account_id": "42@mastodon.social"}
    return MastodonClient(credentials, endpoints={"api_url": API, "oauth_url": API})


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def test_the_account_s_counts_and_their_normalized_names(mocked):
    mocked.get(VERIFY, json=ACCOUNT, match=[matchers.header_matcher({"Authorization": "Bearer tok"})])
    metrics = client().fetch_account_metrics()
    assert metrics == {"followers_count": 1200, "following_count": 310, "statuses_count": 87}
    assert MastodonClient.normalize_account_metrics(metrics) == {"followers": 1200, "reach": None, "engagement": None}
    assert len(mocked.calls) == 1


def test_counts_an_instance_leaves_out_are_left_out(mocked):
    mocked.get(VERIFY, json={"id": "42", "username": "me", "followers_count": 5, "statuses_count": None})
    assert client().fetch_account_metrics() == {"followers_count": 5}


def test_a_revoked_token_requires_a_reconnect(mocked):
    mocked.get(VERIFY, status=401, json={"error": "The access token is invalid"})
    with pytest.raises(ReconnectRequired, match="access token is invalid"):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


def test_a_429_is_rate_limited(mocked):
    mocked.get(VERIFY, status=429, json={"error": "Too many requests"}, headers={"Retry-After": "30"})
    with pytest.raises(RateLimited) as caught:
        client().fetch_account_metrics()
    assert caught.value.retry_after == 30 and len(mocked.calls) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_transient(mocked, status):
    mocked.get(VERIFY, status=status, body="<html>oops</html>")
    with pytest.raises(ProviderUnavailable):
        client().fetch_account_metrics()
    assert len(mocked.calls) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_serves_plausible_counts_the_same_on_a_second_read(sandbox):
    credentials = {"access_token": "tok-metrics-1", "instance_url": "https://mastodon.social", "sandbox": {}}
    client = registry.get_client("mastodon", credentials, sandbox=True)
    metrics = client.fetch_account_metrics()
    assert set(metrics) == {"followers_count", "following_count", "statuses_count"}
    assert all(isinstance(value, int) and value > 0 for value in metrics.values())
    assert client.fetch_account_metrics() == metrics
    assert type(client).normalize_account_metrics(metrics)["followers"] == metrics["followers_count"]
    refused = registry.get_client("mastodon", {**credentials, "access_token": "invalid-token"}, sandbox=True)
    with pytest.raises(ReconnectRequired, match="access token is invalid"):
        refused.fetch_account_metrics()
